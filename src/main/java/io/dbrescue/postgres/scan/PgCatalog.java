package io.dbrescue.postgres.scan;

import io.dbrescue.scan.ReadOnly;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the names of the databases of a cluster from its files, without a server: the heap of the
 * shared catalog pg_database (relation OID 1262, file global/1262 unless a VACUUM FULL moved it: the
 * global/pg_filenode.map relation map says where it is).
 *
 * <p>Facts used (PostgreSQL source: bufpage.h, itemid.h, htup_details.h, pg_database.h, relmapper.c,
 * clog.c): a heap page starts with a 24-byte header (pd_lower at 12, pd_upper at 14,
 * pd_pagesize_version at 18), followed by 4-byte line pointers (lp_off 15 bits, lp_flags 2 bits,
 * lp_len 15 bits; LP_NORMAL = 1). A tuple header has t_xmin at 0, t_xmax at 4, t_infomask at 20 and
 * t_hoff at 22; the columns start at t_hoff. pg_database's first column is datname (NameData, 64 bytes)
 * up to PostgreSQL 11, where the OID lived in the tuple header (inside t_hoff); from 12 on the OID is an
 * ordinary first column (4 bytes) and datname follows at offset 4. A tuple is live when its inserting
 * transaction committed and no committed transaction deleted it: the hint bits in t_infomask say so when
 * set, otherwise the commit log (pg_xact, pg_clog before 10: 2 bits per transaction, 8192-byte pages, 32
 * pages per segment file named by 4 hex digits) does. When the commit log cannot tell (a copy taken while
 * the server ran may have an older commit log than its catalog) the tuple is kept: a database is listed
 * rather than hidden.
 */
public final class PgCatalog {
    static final int DATABASE_RELATION_OID = 1262;
    private static final int RELMAPPER_MAGIC = 0x592717;
    static final int MAX_CATALOG_BYTES = 4 << 20;
    static final int NAMEDATALEN = 64;

    private static final int HEAP_XMAX_KEYSHR_LOCK = 0x0010;
    private static final int HEAP_XMAX_EXCL_LOCK = 0x0040;
    private static final int HEAP_XMAX_LOCK_ONLY = 0x0080;
    private static final int HEAP_XMIN_COMMITTED = 0x0100;
    private static final int HEAP_XMIN_INVALID = 0x0200;
    private static final int HEAP_XMAX_COMMITTED = 0x0400;
    private static final int HEAP_XMAX_INVALID = 0x0800;
    private static final int HEAP_XMAX_IS_MULTI = 0x1000;

    private PgCatalog() {
    }

    /**
     * The names of the databases, template0 and template1 left out, sorted.
     *
     * @param dataDir     the data directory
     * @param majorNumber the major version as a number: 906 for 9.6, 1000 for 10, 1800 for 18
     * @throws IOException when the catalog cannot be read
     */
    public static List<String> databaseNames(Path dataDir, int majorNumber) throws IOException {
        int fileNode = mappedFileNode(dataDir.resolve("global").resolve("pg_filenode.map"), DATABASE_RELATION_OID);
        byte[] heap = ReadOnly.head(dataDir.resolve("global").resolve(Integer.toString(fileNode)), MAX_CATALOG_BYTES);
        if (heap == null) {
            throw new IOException("global/" + fileNode + " (pg_database) is missing");
        }
        CommitLog clog = new CommitLog(dataDir.resolve(majorNumber >= 1000 ? "pg_xact" : "pg_clog"));
        int nameOffset = majorNumber >= 1200 ? 4 : 0;
        TreeSet<String> names = new TreeSet<>();
        for (String name : liveNames(heap, nameOffset, clog)) {
            if (!name.equals("template0") && !name.equals("template1")) {
                names.add(name);
            }
        }
        return new ArrayList<>(names);
    }

    /** The file node of a mapped catalog from a pg_filenode.map, or the OID itself when there is no usable map. */
    static int mappedFileNode(Path mapFile, int relationOid) throws IOException {
        byte[] map = ReadOnly.head(mapFile, 1024);
        if (map == null || map.length < 8) {
            return relationOid;
        }
        ByteBuffer b = ByteBuffer.wrap(map).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != RELMAPPER_MAGIC) {
            return relationOid;
        }
        int n = b.getInt(4);
        for (int i = 0; i < n && 8 + i * 8 + 8 <= map.length; i++) {
            if (b.getInt(8 + i * 8) == relationOid) {
                int node = b.getInt(8 + i * 8 + 4);
                return node > 0 ? node : relationOid;
            }
        }
        return relationOid;
    }

    /** Names of the live tuples of a pg_database heap. */
    static List<String> liveNames(byte[] heap, int nameOffset, CommitLog clog) throws IOException {
        List<String> out = new ArrayList<>();
        for (HeapTuple t : liveTuples(heap, clog)) {
            if (t.hoff() + nameOffset + NAMEDATALEN > t.len()) {
                continue;
            }
            String name = cString(heap, t.data() + nameOffset, NAMEDATALEN);
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    /** A NUL-terminated string of at most {@code max} bytes (a NameData), as UTF-8. */
    static String cString(byte[] heap, int at, int max) {
        int end = at;
        while (end < at + max && end < heap.length && heap[end] != 0) {
            end++;
        }
        return new String(heap, at, end - at, StandardCharsets.UTF_8);
    }

    /**
     * One tuple of a heap page: where it starts in the heap bytes, its length, t_hoff, t_infomask, the
     * number of attributes it has (t_infomask2), its own place (block, line pointer) and its t_ctid (which
     * points elsewhere once an UPDATE wrote a newer version).
     */
    record HeapTuple(byte[] heap, int start, int len, int hoff, int infomask, int natts, int block, int item,
            int ctidBlock, int ctidItem) {
        private static final int HEAP_HASNULL = 0x0001;
        private static final int HEAP_HASOID_OLD = 0x0008;

        /** Where the first column starts. */
        int data() {
            return start + hoff;
        }

        /** End of the tuple (exclusive). */
        int end() {
            return start + len;
        }

        /** The OID kept in the tuple header (PostgreSQL 11 and older, HEAP_HASOID), or -1. */
        long headerOid() {
            if ((infomask & HEAP_HASOID_OLD) == 0 || hoff < 27) {
                return -1;
            }
            return Integer.toUnsignedLong(ByteBuffer.wrap(heap).order(ByteOrder.LITTLE_ENDIAN).getInt(start + hoff - 4));
        }

        /** Whether attribute {@code index} (0-based) is null, by the null bitmap that follows the 23-byte header. */
        boolean isNull(int index) {
            if (index >= natts) {
                return true;
            }
            if ((infomask & HEAP_HASNULL) == 0) {
                return false;
            }
            int at = start + 23 + index / 8;
            return at >= start + hoff || (heap[at] & (1 << (index % 8))) == 0;
        }

        /** False for an old version that an UPDATE replaced (its t_ctid points to the newer one). */
        boolean latest() {
            return ctidBlock == block && ctidItem == item;
        }
    }

    /** The live tuples of a heap (see the class comment for what "live" means here). */
    static List<HeapTuple> liveTuples(byte[] heap, CommitLog clog) throws IOException {
        List<HeapTuple> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(heap).order(ByteOrder.LITTLE_ENDIAN);
        int pageSize = heap.length >= 24 ? b.getShort(18) & 0xFF00 : 0;
        if (pageSize < 1024 || pageSize > 32768 || Integer.bitCount(pageSize) != 1) {
            pageSize = 8192;
        }
        for (int page = 0; page + pageSize <= heap.length; page += pageSize) {
            int lower = b.getShort(page + 12) & 0xFFFF;
            int upper = b.getShort(page + 14) & 0xFFFF;
            if (lower < 24 || lower > pageSize || upper > pageSize || lower > upper) {
                continue; // a new (all zero) or unreadable page
            }
            for (int lp = page + 24; lp + 4 <= page + lower; lp += 4) {
                int item = b.getInt(lp);
                int off = item & 0x7FFF;
                int flags = (item >>> 15) & 0x3;
                int len = (item >>> 17) & 0x7FFF;
                if (flags != 1 || off < 24 || off + len > pageSize || len < 24) {
                    continue;
                }
                int t = page + off;
                int xmin = b.getInt(t);
                int xmax = b.getInt(t + 4);
                int infomask = b.getShort(t + 20) & 0xFFFF;
                int hoff = heap[t + 22] & 0xFF;
                if (hoff < 23 || hoff > len) {
                    continue;
                }
                if (!inserted(xmin, infomask, clog) || deleted(xmax, infomask, clog)) {
                    continue;
                }
                int ctidBlock = ((b.getShort(t + 12) & 0xFFFF) << 16) | (b.getShort(t + 14) & 0xFFFF);
                int ctidItem = b.getShort(t + 16) & 0xFFFF;
                int natts = b.getShort(t + 18) & 0x07FF;
                out.add(new HeapTuple(heap, t, len, hoff, infomask, natts, page / pageSize, (lp - page - 24) / 4 + 1,
                        ctidBlock, ctidItem));
            }
        }
        return out;
    }

    private static boolean inserted(int xmin, int infomask, CommitLog clog) throws IOException {
        if ((infomask & HEAP_XMIN_COMMITTED) != 0) {
            return true; // committed, or frozen (both bits)
        }
        if ((infomask & HEAP_XMIN_INVALID) != 0) {
            return false; // inserted by a transaction that aborted
        }
        if (Integer.compareUnsigned(xmin, 3) < 0) {
            return xmin != 0; // bootstrap (1) or frozen (2)
        }
        return clog.status(xmin) != CommitLog.ABORTED;
    }

    private static boolean deleted(int xmax, int infomask, CommitLog clog) throws IOException {
        if ((infomask & HEAP_XMAX_INVALID) != 0 || xmax == 0) {
            return false;
        }
        boolean lockedOnly = (infomask & HEAP_XMAX_LOCK_ONLY) != 0 // HEAP_XMAX_IS_LOCKED_ONLY()
                || (infomask & (HEAP_XMAX_IS_MULTI | HEAP_XMAX_EXCL_LOCK | HEAP_XMAX_KEYSHR_LOCK)) == HEAP_XMAX_EXCL_LOCK;
        if (lockedOnly || (infomask & HEAP_XMAX_IS_MULTI) != 0) {
            return false; // only locked, not deleted (multixacts are not decoded: keep the row)
        }
        if ((infomask & HEAP_XMAX_COMMITTED) != 0) {
            return true;
        }
        return clog.status(xmax) == CommitLog.COMMITTED;
    }

    /** The commit log (pg_xact / pg_clog): two status bits per transaction. */
    static final class CommitLog {
        static final int IN_PROGRESS = 0;
        static final int COMMITTED = 1;
        static final int ABORTED = 2;
        static final int UNKNOWN = -1;
        private static final int PAGE = 8192;
        private static final int XACTS_PER_PAGE = PAGE * 4;
        private static final int PAGES_PER_SEGMENT = 32;

        private final Path dir;
        private final Map<Long, byte[]> pages = new HashMap<>();

        CommitLog(Path dir) {
            this.dir = dir;
        }

        /** The status of a transaction, or {@link #UNKNOWN} when the log does not hold it. */
        int status(int xid) throws IOException {
            long x = Integer.toUnsignedLong(xid);
            long pageNo = x / XACTS_PER_PAGE;
            byte[] page = pages.get(pageNo);
            if (page == null) {
                long segment = pageNo / PAGES_PER_SEGMENT;
                Path file = dir.resolve(String.format("%04X", segment));
                try {
                    page = ReadOnly.range(file, (pageNo % PAGES_PER_SEGMENT) * PAGE, PAGE);
                } catch (java.nio.file.NoSuchFileException e) {
                    page = new byte[0];
                }
                pages.put(pageNo, page);
            }
            int index = (int) ((x % XACTS_PER_PAGE) / 4);
            if (index >= page.length) {
                return UNKNOWN;
            }
            return (page[index] >>> ((int) (x % 4) * 2)) & 0x3;
        }
    }
}
