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
        if (!info.keys.isEmpty()) {
            Map<String, Long> perDb = new LinkedHashMap<>();
            long total = 0;
            for (Map.Entry<Integer, Long> e : info.keys.entrySet()) {
                perDb.put("db" + e.getKey(), e.getValue());
                total += e.getValue();
            }
            f.detail("keysPerDatabase", perDb);
            if (info.keyCountsComplete()) {
                f.detail("keys", total);
            }
        }
        if (info.end == Rdb.End.STOPPED && info.rdbVersion <= Rdb.MAX_KNOWN_VERSION && !info.databases.isEmpty()) {
            f.warn("Only the start of this RDB was examined (" + info.stopReason + "): the list of databases and "
                    + "the key counts cover the databases seen up to there; more may follow.");
        }
        if (info.rdbVersion > Rdb.MAX_KNOWN_VERSION) {
            f.warn("RDB format version " + info.rdbVersion + " is newer than the versions dbrescue knows (up to "
                    + Rdb.MAX_KNOWN_VERSION + ", Redis 7.4/8.x): it needs an equally new Redis to load.");
        }
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
                f.problem(Status.DAMAGED, what + " is cut short: it ends after " + info.length + " bytes, in the "
                        + "middle of the data and before Redis' end marker. Redis will refuse to load it; look for "
                        + "a complete copy (keys before the cut can only be salvaged with an RDB tool).");
                return false;
            }
            case COMPLETE -> {
                f.detail("checksumVerified", info.checksumPresent() ? info.checksumMatches() : null);
                if (info.checksumPresent() && !info.checksumMatches()) {
                    f.problem(Status.DAMAGED, what + " is corrupt: the CRC-64 checksum stored at its end does not "
                            + "match its contents. Redis will refuse to load it; look for another copy.");
                    return false;
                }
                return true;
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
