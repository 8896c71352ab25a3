package io.dbrescue.mysql;

import io.dbrescue.scan.ReadOnly;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads the few InnoDB on-disk structures the scanner needs, without a server: page 0 of the system
 * tablespace (ibdata1) and the header of the redo log. Layouts from the MySQL and MariaDB sources
 * (fil0fil.h, fsp0fsp.h / fsp0types.h, log0log.h, MariaDB log0recv.cc and mtr0log.h).
 */
final class InnoDb {
    private InnoDb() {
    }

    // FIL page header (all big-endian)
    static final int FIL_PAGE_OFFSET = 4;
    static final int FIL_PAGE_LSN = 16;
    static final int FIL_PAGE_TYPE = 24;
    static final int FIL_PAGE_FILE_FLUSH_LSN = 26;
    static final int FIL_PAGE_SPACE_ID = 34;
    static final int FSP_HEADER = 38;
    static final int FIL_PAGE_TYPE_FSP_HDR = 8;

    /** What page 0 of a system tablespace says; null from {@link #readPage0} when it is not one. */
    record Page0(int pageSize, long pageLsn, long flushedLsn, long sizeInPages, boolean fullCrc32) {
    }

    /**
     * Checks that the bytes are page 0 of the InnoDB system tablespace: page number 0, page type
     * FSP_HDR, space id 0 in both the FIL header and the FSP header, a valid page size in the
     * tablespace flags, a non-zero size. A file of zeros or random bytes fails this.
     */
    static Page0 readPage0(byte[] b, long fileSize) {
        if (b == null || b.length < 64) {
            return null;
        }
        if (u32(b, FIL_PAGE_OFFSET) != 0 || u16(b, FIL_PAGE_TYPE) != FIL_PAGE_TYPE_FSP_HDR
                || u32(b, FIL_PAGE_SPACE_ID) != 0 || u32(b, FSP_HEADER) != 0) {
            return null;
        }
        long flags = u32(b, FSP_HEADER + 16);
        boolean fullCrc32 = (flags & 0x10) != 0 && (flags & ~0xffL) == 0 && (flags & 0xf) >= 3;
        int ssize;
        if (fullCrc32) {
            // MariaDB 10.5+ full_crc32 format: FSP_FLAGS_FCRC32_MASK_MARKER (bit 4), page ssize in bits 0-3
            ssize = (int) (flags & 0xf);
        } else {
            // MySQL 5.7+/8 and MariaDB (non full_crc32): page ssize in bits 6-9; 0 = the original 16 KiB
            ssize = (int) ((flags >> 6) & 0xf);
            if (ssize == 0) {
                ssize = 5;
            }
        }
        if (ssize < 3 || ssize > 7) {
            return null;
        }
        int pageSize = 512 << ssize;
        long pages = u32(b, FSP_HEADER + 8);
        long lsn = u64(b, FIL_PAGE_LSN);
        if (pages == 0 || lsn == 0 || fileSize < pageSize) {
            return null;
        }
        return new Page0(pageSize, lsn, u64(b, FIL_PAGE_FILE_FLUSH_LSN), pages, fullCrc32);
    }

    /** The redo log header: format, creator string ("MariaDB 10.11.6", "MySQL 8.0.36"), checkpoint. */
    record RedoHeader(long format, String creator, long firstLsn, long checkpointLsn, boolean mariaDbPhysical) {
        /** Product from the creator string: "mariadb", "mysql" or null. */
        String product() {
            if (creator == null) return null;
            if (creator.startsWith("MariaDB")) return "mariadb";
            if (creator.startsWith("MySQL")) return "mysql";
            return null;
        }

        /** The version in the creator string ("10.11.6"), or null. */
        String version() {
            if (creator == null) return null;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+\\.\\d+\\.\\d+)").matcher(creator);
            return m.find() ? m.group(1) : null;
        }
    }

    /** MariaDB 10.8+ redo format id "Phys" (log_t::FORMAT_10_8); with bit 31 set it is encrypted. */
    static final long FORMAT_10_8 = 0x50687973L;
    static final int MARIADB_HEADER_SIZE = 12288;

    static RedoHeader readRedoHeader(Path file) throws IOException {
        byte[] b = ReadOnly.head(file, 12288);
        if (b == null || b.length < 512) {
            return null;
        }
        long format = u32(b, 0);
        String creator = cstring(b, 16, 32);
        if (format == FORMAT_10_8 && b.length >= MARIADB_HEADER_SIZE) {
            // MariaDB 10.8+: checkpoint blocks at 0x1000 and 0x2000: checkpoint LSN, end LSN,
            // CRC-32C of the first 60 bytes at +60. The newest valid one counts.
            long cp = 0;
            for (int off : new int[]{0x1000, 0x2000}) {
                if (crc32c(b, off, 60) == u32(b, off + 60)) {
                    cp = Math.max(cp, u64(b, off));
                }
            }
            return new RedoHeader(format, creator, u64(b, 8), cp, true);
        }
        // MySQL 5.7/8.0 and MariaDB up to 10.7: 512-byte blocks; checkpoint blocks 1 and 3
        // hold (checkpoint number, checkpoint LSN); the newest number wins.
        long cp = 0;
        long no = -1;
        if (b.length >= 2048) {
            for (int off : new int[]{512, 1536}) {
                long n = u64(b, off);
                if (n > no && u64(b, off + 8) != 0) {
                    no = n;
                    cp = u64(b, off + 8);
                }
            }
        }
        return new RedoHeader(format, creator, u64(b, 8), cp, false);
    }

    /**
     * Whether a MariaDB 10.8+ redo log ends at its last checkpoint, i.e. the server shut down cleanly
     * (nothing would be replayed by crash recovery). At an orderly shutdown InnoDB writes a checkpoint
     * whose FILE_CHECKPOINT mini-transaction is the last thing in the log. After a crash, or in a copy
     * of a running server, more mini-transactions (each ending with the sequence bit of its pass
     * through the circular file and a CRC-32C) follow it, and recovery would replay them.
     * This is the test MariaDB itself makes on startup (log0recv.cc). Returns null when the log cannot
     * be followed (encrypted, unexpected bytes).
     */
    static Boolean mariaDbLogEndsAtCheckpoint(Path file, long fileSize, RedoHeader h) throws IOException {
        if (!h.mariaDbPhysical() || h.checkpointLsn() < h.firstLsn() || fileSize <= MARIADB_HEADER_SIZE) {
            return null;
        }
        long capacity = fileSize - MARIADB_HEADER_SIZE;
        RingLog log = new RingLog(file, h.firstLsn(), capacity);
        long lsn = h.checkpointLsn();
        int first = log.byteAt(lsn);
        if ((first & 0xf0) != 0xf0) {
            return null; // the checkpoint LSN must point at a FILE_CHECKPOINT record
        }
        long next = log.validMtrEnd(lsn);
        if (next < 0) {
            return null;
        }
        return log.validMtrEnd(next) < 0;
    }

    /** The circular part of a MariaDB 10.8+ ib_logfile0, addressed by LSN. */
    private static final class RingLog {
        private final Path file;
        private final long firstLsn;
        private final long capacity;
        private long winLsn = -1;
        private byte[] win = new byte[0];

        RingLog(Path file, long firstLsn, long capacity) {
            this.file = file;
            this.firstLsn = firstLsn;
            this.capacity = capacity;
        }

        int byteAt(long lsn) throws IOException {
            if (winLsn < 0 || lsn < winLsn || lsn >= winLsn + win.length) {
                long off = MARIADB_HEADER_SIZE + Math.floorMod(lsn - firstLsn, capacity);
                int len = (int) Math.min(65536, MARIADB_HEADER_SIZE + capacity - off);
                win = ReadOnly.range(file, off, len);
                winLsn = lsn;
                if (win.length == 0) {
                    throw new IOException("redo log shorter than its header says");
                }
            }
            return win[(int) (lsn - winLsn)] & 0xff;
        }

        int sequenceBit(long lsn) {
            return ((lsn - firstLsn) / capacity & 1) == 0 ? 1 : 0;
        }

        /** The LSN after the mini-transaction starting at lsn, or -1 when none valid starts there. */
        long validMtrEnd(long lsn) throws IOException {
            long p = lsn;
            long limit = lsn + (1 << 20); // a mini-transaction is at most 1 MiB
            while (true) {
                int b = byteAt(p);
                if (b <= 1) {
                    break; // termination marker
                }
                long rlen = b & 0xf;
                p++;
                if (rlen == 0) {
                    rlen = varint(p) + 15;
                }
                p += rlen;
                if (p > limit) {
                    return -1;
                }
            }
            if (p == lsn || byteAt(p) != sequenceBit(p)) {
                return -1;
            }
            CRC32C crc = new CRC32C();
            for (long q = lsn; q < p; q++) {
                crc.update(byteAt(q));
            }
            long stored = 0;
            for (int i = 1; i <= 4; i++) {
                stored = stored << 8 | byteAt(p + i);
            }
            return crc.getValue() == stored ? p + 5 : -1;
        }

        /** mlog_decode_varint: 1 to 5 bytes. */
        private long varint(long p) throws IOException {
            int b = byteAt(p);
            if (b < 0x80) return b;
            if (b < 0xc0) return (((b & 0x3f) << 8) | byteAt(p + 1)) + 0x80;
            if (b < 0xe0) return (((long) (b & 0x1f) << 16) | (byteAt(p + 1) << 8) | byteAt(p + 2)) + 0x4080;
            if (b < 0xf0) return (((long) (b & 0x0f) << 24) | (byteAt(p + 1) << 16) | (byteAt(p + 2) << 8)
                    | byteAt(p + 3)) + 0x204080;
            return (((long) byteAt(p + 1) << 24) | (byteAt(p + 2) << 16) | (byteAt(p + 3) << 8)
                    | byteAt(p + 4)) + 0x10204080;
        }
    }

    static long u16(byte[] b, int o) {
        return ((b[o] & 0xffL) << 8) | (b[o + 1] & 0xffL);
    }

    static long u32(byte[] b, int o) {
        return ((b[o] & 0xffL) << 24) | ((b[o + 1] & 0xffL) << 16) | ((b[o + 2] & 0xffL) << 8) | (b[o + 3] & 0xffL);
    }

    static long u64(byte[] b, int o) {
        return (u32(b, o) << 32) | u32(b, o + 4);
    }

    static long crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return c.getValue();
    }

    /** A NUL-terminated printable ASCII string, or null when empty or not text. */
    static String cstring(byte[] b, int off, int max) {
        int end = off;
        while (end < Math.min(b.length, off + max) && b[end] != 0) {
            if (b[end] < 0x20 || b[end] > 0x7e) return null;
            end++;
        }
        String s = new String(b, off, end - off, StandardCharsets.US_ASCII).trim();
        return s.isEmpty() ? null : s;
    }
}
