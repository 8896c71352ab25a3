package io.dbrescue.redis;

import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ReadOnly;
import io.dbrescue.scan.Status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns what {@link Rdb} read into finding fields, and judges whether an RDB is whole. */
final class RdbFacts {
    /**
     * How far the parser walks into an RDB to reach the SELECTDB/RESIZEDB of later databases and the
     * checksum. Bigger files get the cheap end-marker check instead, and key counts for the databases
     * at the start only.
     */
    static final long WALK_BUDGET = 256L << 20;

    private RdbFacts() {
    }

    static Rdb.Info read(InputStream in) throws IOException {
        try (in) {
            return Rdb.read(in, WALK_BUDGET);
        }
    }

    /** Version, databases, key counts and aux fields. */
    static void describe(Finding f, Rdb.Info info) {
        String redisVer = info.aux.get("redis-ver");
        f.version(redisVer != null ? redisVer : Rdb.releasesFor(info.rdbVersion));
        f.detail("rdbVersion", info.rdbVersion);
        f.detail("redisVersion", redisVer);
        f.detail("redisBits", number(info.aux.get("redis-bits")));
        Long ctime = number(info.aux.get("ctime"));
        if (ctime != null && ctime > 0) {
            f.detail("savedAt", Instant.ofEpochSecond(ctime).toString());
        }
        f.detail("usedMemBytes", number(info.aux.get("used-mem")));
        String aofBase = info.aux.getOrDefault("aof-base", info.aux.get("aof-preamble"));
        if (aofBase != null) {
            f.detail("aofBase", "1".equals(aofBase));
        }
        List<String> dbs = new ArrayList<>();
        for (int db : info.databases) {
            dbs.add("db" + db);
        }
        f.databases(dbs);
        keyCounts(f, info);
        if (info.end == Rdb.End.STOPPED && info.rdbVersion <= Rdb.MAX_KNOWN_VERSION && !info.databases.isEmpty()) {
            f.warn("Only the start of this RDB was examined (" + info.stopReason + "): the list of databases and "
                    + "the key counts cover the databases seen up to there; more may follow. The pre-flight "
                    + "checks the whole file with redis-check-rdb where it is installed.");
        }
        if (info.rdbVersion > Rdb.MAX_KNOWN_VERSION) {
            f.warn("RDB format version " + info.rdbVersion + " is newer than the versions dbrescue knows (up to "
                    + Rdb.MAX_KNOWN_VERSION + ", Redis 7.4/8.x): it needs an equally new "
                    + ("VALKEY".equals(info.magic) ? "Valkey" : "Redis") + " to load.");
        }
    }

    /**
     * Keys per database: walked and counted when the walk saw the whole file (every RDB version), else
     * RESIZEDB's numbers for the databases seen (RDB 7+), else none — and then a reason, never a 0.
     */
    private static void keyCounts(Finding f, Rdb.Info info) {
        Map<Integer, Long> source = info.keyCountsComplete() ? info.counted : info.keys;
        if (source.isEmpty() && !info.keyCountsComplete()) {
            f.detail("keysUnknownReason", "the RDB was not walked to its end at the scan ("
                    + (info.stopReason != null ? info.stopReason : info.end.name().toLowerCase(java.util.Locale.ROOT))
                    + ") and RDB " + info.rdbVersion + (info.rdbVersion < 7 ? " has no per-database key counts"
                    : " had none for these databases"));
            return;
        }
        f.detail("keysPerDatabase", perDb(source));
        if (info.keyCountsComplete()) {
            f.detail("keys", source.values().stream().mapToLong(Long::longValue).sum());
            f.detail("keysWithExpiryPerDatabase", info.withExpiry.isEmpty() ? null : perDb(info.withExpiry));
            f.detail("expiredAtScanPerDatabase", info.expiredAtScan.isEmpty() ? null : perDb(info.expiredAtScan));
            for (Map.Entry<Integer, Long> e : info.keys.entrySet()) {
                Long walked = info.counted.get(e.getKey());
                if (walked != null && !walked.equals(e.getValue())) {
                    f.warn("Database " + e.getKey() + " announces " + e.getValue() + " keys (RESIZEDB) but holds "
                            + walked + "; the count of the keys themselves is used.");
                }
            }
        }
        if (!info.empty.isEmpty()) {
            f.detail("emptyKeysPerDatabase", perDb(info.empty));
        }
    }

    private static Map<String, Long> perDb(Map<Integer, Long> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.forEach((db, n) -> out.put("db" + db, n));
        return out;
    }

    /**
     * Marks the finding damaged when the RDB is not whole. {@code file} is the raw file for a cheap tail
     * check when the walk stopped early; null when that is not possible (compressed file).
     *
     * @return true when the RDB part looks whole
     */
    static boolean judge(Finding f, Rdb.Info info, Path file, long fileSize, String what) throws IOException {
        switch (info.end) {
            case CUT_SHORT -> {
                f.detail("damage", "cut-short");
                f.problem(Status.DAMAGED, what + " is cut short: it ends after " + info.length + " bytes, in the "
                        + "middle of the data and before Redis' end marker. Redis will refuse to load it; look for "
                        + "a complete copy (keys before the cut can only be salvaged with an RDB tool).");
                return false;
            }
            case CORRUPT -> {
                f.detail("damage", "corrupt");
                f.problem(Status.DAMAGED, what + " is damaged" + (info.damage.startsWith("at ") ? " " : ": ")
                        + info.damage + ". Redis refuses to load the whole "
                        + "file because of it; look for another copy (or salvage the other keys with an RDB tool).");
                return false;
            }
            case COMPLETE -> {
                f.detail("checksumVerified", info.checksumPresent() ? info.checksumMatches() : null);
                if (info.checksumPresent() && !info.checksumMatches()) {
                    f.detail("damage", "checksum");
                    f.problem(Status.DAMAGED, what + " is corrupt: the CRC-64 checksum stored at its end does not "
                            + "match its contents. Redis will refuse to load it; look for another copy.");
                    return false;
                }
                return judgeEmpty(f, info, what);
            }
            default -> {
                if (file == null || info.rdbVersion > Rdb.MAX_KNOWN_VERSION) {
                    return true;
                }
                // cheap: a whole RDB ends with the EOF opcode 0xFF, followed by the checksum from version 5 on
                int trailer = info.rdbVersion >= 5 ? 9 : 1;
                byte[] tail = ReadOnly.tail(file, trailer);
                if (fileSize < 9 + trailer || tail.length < trailer || (tail[0] & 0xff) != Rdb.OP_EOF) {
                    f.problem(Status.DAMAGED, what + " does not end with Redis' end marker (byte 0xFF"
                            + (trailer == 9 ? " and an 8-byte checksum" : "") + "): it was most likely cut short "
                            + "while being saved or copied. Redis will refuse to load it.");
                    return false;
                }
                return true;
            }
        }
    }

    /** Keys holding empty collections: Redis (6.2+) skips them on load, so they are lost, the rest loads. */
    private static boolean judgeEmpty(Finding f, Rdb.Info info, String what) {
        long empty = info.emptyKeys();
        if (empty == 0) {
            return true;
        }
        long total = info.counted.values().stream().mapToLong(Long::longValue).sum();
        f.detail("damage", "empty-keys");
        f.problem(Status.DAMAGED, what + " is damaged: " + empty + " of its " + total + " keys hold an empty "
                + "collection, which Redis never writes itself (" + String.join(", ", info.emptyNames)
                + (empty > info.emptyNames.size() ? ", …" : "") + "). Redis skips such keys when it loads the file "
                + "(\"skipping empty key\"); the other " + (total - empty) + " keys load, and dbrescue expects "
                + "exactly those.");
        return true;
    }

    private static Long number(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
