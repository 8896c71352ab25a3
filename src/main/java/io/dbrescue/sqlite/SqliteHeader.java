package io.dbrescue.sqlite;

/**
 * The 100-byte header at the start of every SQLite 3 database (https://www.sqlite.org/fileformat.html),
 * big-endian: magic "SQLite format 3\0", page size at 16 (1 means 65536), write/read version at 18/19
 * (2 = WAL), file change counter at 24, size in pages at 28 (valid only when the change counter equals
 * "version-valid-for" at 92), text encoding at 56, user version at 60, application id at 68, and at 96
 * the SQLITE_VERSION_NUMBER of the library that last wrote the file (3045001 = 3.45.1).
 */
record SqliteHeader(int pageSize, int writeVersion, int readVersion, long changeCounter, long pages,
                    long versionValidFor, int textEncoding, long userVersion, long applicationId,
                    long sqliteVersionNumber) {

    static final byte[] MAGIC = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int SIZE = 100;

    static boolean hasMagic(byte[] b) {
        return b.length >= MAGIC.length && java.util.Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** True for text that starts like the magic but lacks its NUL (a note about SQLite, not a database). */
    static boolean looksLikeMagicText(byte[] b) {
        return b.length >= MAGIC.length - 1 && !hasMagic(b)
                && java.util.Arrays.equals(b, 0, MAGIC.length - 1, MAGIC, 0, MAGIC.length - 1);
    }

    static SqliteHeader parse(byte[] b) {
        int raw = u16(b, 16);
        return new SqliteHeader(raw == 1 ? 65536 : raw, b[18] & 0xff, b[19] & 0xff, u32(b, 24), u32(b, 28),
                u32(b, 92), (int) u32(b, 56), u32(b, 60), u32(b, 68), u32(b, 96));
    }

    boolean validPageSize() {
        return pageSize >= 512 && pageSize <= 65536 && Integer.bitCount(pageSize) == 1;
    }

    /** The header's page count is trustworthy (SQLite 3.7.0+ wrote it and no older version changed the file since). */
    boolean pageCountValid() {
        return pages > 0 && changeCounter == versionValidFor;
    }

    boolean wal() {
        return writeVersion == 2 || readVersion == 2;
    }

    /** "3.45.1" from 3045001; null when the field is 0 (written by a library older than 3.7.0). */
    String sqliteVersion() {
        long v = sqliteVersionNumber;
        if (v < 3_000_000 || v > 9_999_999) {
            return null;
        }
        return (v / 1_000_000) + "." + (v / 1000 % 1000) + "." + (v % 1000);
    }

    String encodingName() {
        return switch (textEncoding) {
            case 1 -> "UTF-8";
            case 2 -> "UTF-16le";
            case 3 -> "UTF-16be";
            default -> null;
        };
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static long u32(byte[] b, int at) {
        return (long) (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
