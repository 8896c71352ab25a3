package io.dbrescue.postgres.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header of a pg_dump archive (custom file, tar member toc.dat, directory toc.dat), laid out as
 * PostgreSQL's WriteHead / ReadHead (src/bin/pg_dump/pg_backup_archiver.c) write and read it:
 * "PGDMP", version major, minor, revision bytes, intSize, offSize, format byte; then the
 * compression (archive 1.15+: one algorithm byte, 0 none 1 gzip 2 lz4 3 zstd; 1.4 to 1.14: an int
 * level, 0 = none, anything else gzip); then (1.4+) the creation time as seven ints (tm_sec, tm_min,
 * tm_hour, tm_mday, tm_mon, tm_year, tm_isdst, in the dumping machine's local time) and the database
 * name; then (1.10+) the server version and the pg_dump version as strings.
 */
record PgArchiveHeader(int major, int minor, int rev, int intSize, int offSize, int format,
                       String compression, String createdAt, String database, String serverVersion,
                       String pgDumpVersion) {

    static final byte[] MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);
    /** Format bytes: archCustom = 1, archTar = 3 (also written in a directory dump's toc.dat), archDirectory = 5. */
    static final int FORMAT_CUSTOM = 1;
    static final int FORMAT_TAR = 3;
    static final int FORMAT_DIRECTORY = 5;
    /** Newest archive minor version whose layout this reader knows (1.16 = pg_dump 17 and 18). */
    static final int NEWEST_KNOWN_MINOR = 16;

    static boolean hasMagic(byte[] head) {
        return head != null && head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** Reads the header from the start of an archive (the magic included). */
    static PgArchiveHeader read(PgArchiveInput in) throws IOException {
        byte[] magic = in.readBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new PgArchiveException("the file does not start with PGDMP");
        }
        int major = in.readByte();
        int minor = in.readByte();
        int rev = (major > 1 || (major == 1 && minor > 0)) ? in.readByte() : 0;
        if (major != 1) {
            throw new PgArchiveException("unsupported archive version " + major + "." + minor);
        }
        int intSize = in.readByte();
        if (intSize < 1 || intSize > 32) {
            throw new PgArchiveException("the integer size in the header is " + intSize + " (pg_dump writes 4)");
        }
        in.intSize = intSize;
        int offSize = minor >= 7 ? in.readByte() : intSize;
        if (offSize < 1 || offSize > 32) {
            throw new PgArchiveException("the offset size in the header is " + offSize + " (pg_dump writes 8)");
        }
        in.offSize = offSize;
        int format = in.readByte();
        if (format != FORMAT_CUSTOM && format != FORMAT_TAR && format != FORMAT_DIRECTORY) {
            throw new PgArchiveException("unknown archive format byte " + format);
        }
        String compression = readCompression(in, minor);
        String created = null;
        String database = null;
        if (minor >= 4) {
            created = readCreationTime(in);
            database = in.readStr(4096);
        }
        String server = null;
        String pgDump = null;
        if (minor >= 10) {
            server = in.readStr(4096);
            pgDump = in.readStr(4096);
        }
        return new PgArchiveHeader(major, minor, rev, intSize, offSize, format, compression, created, database,
                server, pgDump);
    }

    /** The compression: an algorithm byte (1.15+), a level (1.2 to 1.14; 1.2 and 1.3 a byte), else always gzip. */
    private static String readCompression(PgArchiveInput in, int minor) throws IOException {
        if (minor >= 15) {
            int algorithm = in.readByte();
            return switch (algorithm) {
                case 0 -> "none";
                case 1 -> "gzip";
                case 2 -> "lz4";
                case 3 -> "zstd";
                default -> throw new PgArchiveException("unknown compression algorithm " + algorithm);
            };
        } else if (minor >= 2) {
            long level = minor < 4 ? in.readByte() : in.readInt();
            return level == 0 ? "none" : level == -1 ? "gzip" : "gzip (level " + level + ")";
        } else {
            return "gzip";
        }
    }

    /** The seven ints of the creation time as "yyyy-MM-dd HH:mm:ss", or null when they are not a time. */
    private static String readCreationTime(PgArchiveInput in) throws IOException {
        long sec = in.readInt();
        long min = in.readInt();
        long hour = in.readInt();
        long mday = in.readInt();
        long mon = in.readInt();
        long year = in.readInt();
        in.readInt(); // tm_isdst
        if (sec >= 0 && sec <= 61 && min >= 0 && min < 60 && hour >= 0 && hour < 24 && mday >= 1 && mday <= 31
                && mon >= 0 && mon < 12 && year >= 0 && year < 1000) {
            return String.format("%04d-%02d-%02d %02d:%02d:%02d", year + 1900, mon + 1, mday, hour, min, sec);
        }
        return null;
    }

    /** "1.14" (the revision is added only when not 0). */
    String archiveVersion() {
        return major + "." + minor + (rev != 0 ? "." + rev : "");
    }

    boolean newerThanKnown() {
        return minor > NEWEST_KNOWN_MINOR;
    }

    /** The oldest pg_restore that reads this archive version (from the K_VERS_1_x history). */
    String pgRestoreNeeded() {
        if (minor >= 17) {
            return "newer than 18";
        }
        return switch (minor) {
            case 16 -> "17";
            case 15 -> "16";
            case 14 -> "12";
            case 13 -> "11"; // also the 2018 minor releases of 9.3 to 10 (10.3, 9.6.8...)
            case 12 -> "9.0";
            case 11 -> "8.4";
            default -> "8.x";
        };
    }

    /** Which pg_dump releases write this archive version. */
    String writtenBy() {
        return switch (minor) {
            case 16 -> "pg_dump 17 or 18";
            case 15 -> "pg_dump 16";
            case 14 -> "pg_dump 12 to 15";
            case 13 -> "pg_dump 11 (or a 2018+ minor release of 9.3 to 10)";
            case 12 -> "pg_dump 9.0 to 10";
            default -> minor > 16 ? "a pg_dump newer than 18" : "a pg_dump older than 9.0";
        };
    }

    /** "15.18" from "15.18 (Debian 15.18-0+deb12u1)": the first word of a version text. */
    static String shortVersion(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        int sp = t.indexOf(' ');
        t = sp < 0 ? t : t.substring(0, sp);
        return t.isEmpty() ? null : t;
    }

    /** The major version number of a version text ("15.18" → 15, "9.6.3" → 9), or -1. */
    static int majorOf(String text) {
        String s = shortVersion(text);
        if (s == null) {
            return -1;
        }
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        try {
            return i == 0 ? -1 : Integer.parseInt(s.substring(0, i));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
