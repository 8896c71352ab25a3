package io.dbrescue.postgres.scan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * What global/pg_control says: the fields of PostgreSQL's {@code ControlFileData} that dbrescue needs,
 * read without a server.
 *
 * <p>The struct starts the same in every version (offset 0 u64 system_identifier, 8 u32
 * pg_control_version, 12 u32 catalog_version_no, 16 u32 state, 24 i64 time of the last update); where
 * {@code data_checksum_version} and {@code crc} sit depends on the version. The offsets below are the
 * x86_64 (little-endian, 8-byte alignment of uint64/double) layout of {@code ControlFileData} as
 * declared in src/include/catalog/pg_control.h of each major, computed with offsetof() from the
 * declarations (CheckPoint with its XLogRecPtr/TimeLineID/FullTransactionId members included):
 *
 * <pre>
 * pg_control_version  majors   sizeof  data_checksum_version  crc   CRC algorithm
 *   942               9.4       248      236                  240   legacy CRC-32 (see below)
 *   942               9.5       264      252                  256   CRC-32C
 *   960               9.6       264      252                  256   CRC-32C
 *  1002               10        296      252                  288   CRC-32C  (mock_authentication_nonce added)
 *  1100               11        288      244                  280   CRC-32C  (prevCheckPoint removed)
 *  1201               12        296      252                  288   CRC-32C  (nextXid became FullTransactionId)
 *  1300               13-16     296      252                  288   CRC-32C
 *  1700               17        296      252                  288   CRC-32C  (CheckPoint.wal_level; same offsets)
 *  1800               18        296      252                  292   CRC-32C  (default_char_signedness)
 * </pre>
 *
 * 9.4 and 9.5 share pg_control_version 942 but differ in layout (9.5 added track_commit_timestamp,
 * loblksize and the commit-timestamp XIDs in CheckPoint), so the PG_VERSION file decides between them.
 * Before 9.5 the CRC was PostgreSQL's "legacy" CRC-32: the reflected CRC-32 table driven with the
 * non-reflected (shift left) loop. Versions before 9.4 (pg_control_version 937 and older) are not decoded
 * beyond the common first fields: their CRC is reported as not verified.
 */
public final class PgControl {
    /** Size PostgreSQL writes pg_control with (PG_CONTROL_FILE_SIZE). */
    public static final int FILE_SIZE = 8192;
    /** Enough to read every layout known here. */
    public static final int READ_BYTES = 512;

    /** CRC check outcome. */
    public enum Crc { OK, MISMATCH, NOT_VERIFIED }

    private final long systemIdentifier;
    private final int controlVersion;
    private final int catalogVersion;
    private final int state;
    private final long time;
    private final Integer dataChecksumVersion;
    private final Crc crc;
    private final String layout;

    private PgControl(long systemIdentifier, int controlVersion, int catalogVersion, int state, long time,
                      Integer dataChecksumVersion, Crc crc, String layout) {
        this.systemIdentifier = systemIdentifier;
        this.controlVersion = controlVersion;
        this.catalogVersion = catalogVersion;
        this.state = state;
        this.time = time;
        this.dataChecksumVersion = dataChecksumVersion;
        this.crc = crc;
        this.layout = layout;
    }

    /** Where a layout keeps data_checksum_version and crc. */
    record Layout(String majors, int size, int checksumOffset, int crcOffset, boolean legacyCrc) {
    }

    /**
     * The layout for a pg_control_version, or null when unknown. {@code pgVersion} (PG_VERSION text, may
     * be null) picks between 9.4 and 9.5, which share 942.
     */
    static Layout layout(int controlVersion, String pgVersion) {
        return switch (controlVersion) {
            case 942 -> "9.4".equals(pgVersion)
                    ? new Layout("9.4", 248, 236, 240, true)
                    : new Layout("9.5", 264, 252, 256, false);
            case 960 -> new Layout("9.6", 264, 252, 256, false);
            case 1002 -> new Layout("10", 296, 252, 288, false);
            case 1100 -> new Layout("11", 288, 244, 280, false);
            case 1201 -> new Layout("12", 296, 252, 288, false);
            case 1300 -> new Layout("13-16", 296, 252, 288, false);
            case 1700 -> new Layout("17", 296, 252, 288, false);
            case 1800 -> new Layout("18", 296, 252, 292, false);
            default -> null;
        };
    }

    /** The majors a pg_control_version belongs to (as PG_VERSION spells them), or null when unknown. */
    static java.util.List<String> majorsOf(int controlVersion) {
        return switch (controlVersion) {
            case 942 -> java.util.List.of("9.4", "9.5");
            case 937 -> java.util.List.of("9.3");
            case 922 -> java.util.List.of("9.2");
            case 903 -> java.util.List.of("9.0", "9.1");
            case 960 -> java.util.List.of("9.6");
            case 1002 -> java.util.List.of("10");
            case 1100 -> java.util.List.of("11");
            case 1201 -> java.util.List.of("12");
            case 1300 -> java.util.List.of("13", "14", "15", "16");
            case 1700 -> java.util.List.of("17");
            case 1800 -> java.util.List.of("18");
            default -> null;
        };
    }

    /** Smallest pg_control that holds the fields every version shares. */
    static final int COMMON_BYTES = 32;

    /**
     * Parses the start of a pg_control file.
     *
     * @param bytes     the first bytes of the file (at least {@link #COMMON_BYTES}, else null is returned)
     * @param pgVersion the PG_VERSION text of the data directory, or null
     */
    public static PgControl parse(byte[] bytes, String pgVersion) {
        if (bytes == null || bytes.length < COMMON_BYTES) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long sysid = b.getLong(0);
        int version = b.getInt(8);
        int catalog = b.getInt(12);
        int state = b.getInt(16);
        long time = b.getLong(24);
        Layout l = layout(version, pgVersion);
        if (l == null || bytes.length < l.crcOffset() + 4) {
            return new PgControl(sysid, version, catalog, state, time, null, Crc.NOT_VERIFIED, null);
        }
        int stored = b.getInt(l.crcOffset());
        int computed = l.legacyCrc() ? legacyCrc32(bytes, l.crcOffset()) : crc32c(bytes, l.crcOffset());
        Crc crc = stored == computed ? Crc.OK : Crc.MISMATCH;
        // 942 is shared by 9.4 and 9.5: when PG_VERSION did not say which, accept the other layout's CRC
        if (crc == Crc.MISMATCH && version == 942 && pgVersion == null && bytes.length >= 244) {
            Layout other = layout(942, "9.4");
            if (b.getInt(other.crcOffset()) == legacyCrc32(bytes, other.crcOffset())) {
                l = other;
                crc = Crc.OK;
            }
        }
        return new PgControl(sysid, version, catalog, state, time, b.getInt(l.checksumOffset()), crc, l.majors());
    }

    static int crc32c(byte[] bytes, int length) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, length);
        return (int) c.getValue();
    }

    private static final int[] CRC32_TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            CRC32_TABLE[n] = c;
        }
    }

    /** PostgreSQL's pre-9.5 CRC: the reflected CRC-32 table with the shift-left loop (not standard CRC-32). */
    static int legacyCrc32(byte[] bytes, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = 0; i < length; i++) {
            int index = ((crc >>> 24) ^ bytes[i]) & 0xFF;
            crc = CRC32_TABLE[index] ^ (crc << 8);
        }
        return ~crc;
    }

    public long systemIdentifier() { return systemIdentifier; }

    /** The system identifier as PostgreSQL prints it (unsigned decimal). */
    public String systemIdentifierText() { return Long.toUnsignedString(systemIdentifier); }

    public int controlVersion() { return controlVersion; }

    public int catalogVersion() { return catalogVersion; }

    public int state() { return state; }

    /** Seconds since the epoch of the last pg_control update. */
    public long time() { return time; }

    /** data_checksum_version, or null when the layout is unknown. */
    public Integer dataChecksumVersion() { return dataChecksumVersion; }

    public Crc crc() { return crc; }

    /** Which majors' layout was used to decode it, or null when the version is unknown. */
    public String layout() { return layout; }

    /** True when the layout of this pg_control_version is known here. */
    public boolean knownLayout() { return layout != null; }

    /** DB_SHUTDOWNED (1) or DB_SHUTDOWNED_IN_RECOVERY (2): the server stopped cleanly. */
    public boolean cleanShutdown() { return state == 1 || state == 2; }

    /** The DBState name as pg_controldata prints it, or "unknown (N)". */
    public String stateName() {
        return switch (state) {
            case 0 -> "starting up";
            case 1 -> "shut down";
            case 2 -> "shut down in recovery";
            case 3 -> "shutting down";
            case 4 -> "in crash recovery";
            case 5 -> "in archive recovery";
            case 6 -> "in production";
            default -> "unknown (" + state + ")";
        };
    }

    /** True when the first fields look like a pg_control written on a big-endian machine. */
    public boolean looksBigEndian() {
        return majorsOf(controlVersion) == null && majorsOf(Integer.reverseBytes(controlVersion)) != null;
    }
}
