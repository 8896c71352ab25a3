package io.dbrescue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the structure of a Redis RDB file (format as in Redis' src/rdb.h and rdb.c): the header
 * "REDIS" + 4-digit version, the aux fields (opcode 0xFA), SELECTDB (0xFE) and RESIZEDB (0xFB), the keys,
 * and the end (0xFF + 8-byte CRC-64 from version 5 on).
 *
 * <p>Every key is walked over (never decoded into memory) and counted per database — RESIZEDB only exists
 * from RDB 7 on, so this is the only count for older files — and its value is checked the way Redis checks
 * it on load ({@link RdbValues}, {@link RdbBlobs}): a broken ziplist or an unknown type ends the walk as
 * CORRUPT with the key named, and keys holding empty collections are counted, because Redis skips them.
 * The CRC is computed on the way. The walk gives up after {@code budget} bytes; the caller then falls back
 * to a cheap look at the last bytes, and says that the counts are incomplete.
 */
final class Rdb {
    /** The newest RDB version whose layout this parser knows (Redis 7.4 / 8.x). */
    static final int MAX_KNOWN_VERSION = 12;

    static final int OP_SLOT_INFO = 244;
    static final int OP_FUNCTION2 = 245;
    static final int OP_FUNCTION_PRE_GA = 246;
    static final int OP_MODULE_AUX = 247;
    static final int OP_IDLE = 248;
    static final int OP_FREQ = 249;
    static final int OP_AUX = 250;
    static final int OP_RESIZEDB = 251;
    static final int OP_EXPIRETIME_MS = 252;
    static final int OP_EXPIRETIME = 253;
    static final int OP_SELECTDB = 254;
    static final int OP_EOF = 255;

    /** How the walk through the file ended. */
    enum End {
        /** Reached the EOF opcode (and the checksum after it). */
        COMPLETE,
        /** The file ended in the middle of the data: cut short. */
        CUT_SHORT,
        /** Stopped early on purpose (byte budget) or on something it cannot skip; the rest is unknown. */
        STOPPED,
        /** Something in the data breaks the format (a bad ziplist, an unknown type): Redis refuses the file. */
        CORRUPT
    }

    static final class Info {
        int rdbVersion;
        /** "REDIS", or "VALKEY" for the RDB 80+ files of Valkey 9. */
        String magic = "REDIS";
        final Map<String, String> aux = new LinkedHashMap<>();
        final List<Integer> databases = new ArrayList<>();
        /** db number -> number of keys, from RESIZEDB (RDB 7+; a hint Redis writes before the keys). */
        final Map<Integer, Long> keys = new LinkedHashMap<>();
        final Map<Integer, Long> expires = new LinkedHashMap<>();
        /** db number -> keys actually walked over (every RDB version); whole when the walk was COMPLETE. */
        final Map<Integer, Long> counted = new LinkedHashMap<>();
        /** db number -> keys with an expiry time, and those whose time had passed at the scan. */
        final Map<Integer, Long> withExpiry = new LinkedHashMap<>();
        final Map<Integer, Long> expiredAtScan = new LinkedHashMap<>();
        /** db number -> keys holding an empty collection (Redis skips them on load); names of the first few. */
        final Map<Integer, Long> empty = new LinkedHashMap<>();
        final List<String> emptyNames = new ArrayList<>();
        End end;
        String stopReason;
        /** What is broken, in words, when end is CORRUPT. */
        String damage;
        /** Bytes of the RDB part (through the checksum); valid when COMPLETE. */
        long length;
        /** Checksum stored in the file and the one computed; valid when COMPLETE and version >= 5. */
        long storedCrc;
        long computedCrc;

        boolean checksumPresent() {
            return end == End.COMPLETE && rdbVersion >= 5 && storedCrc != 0;
        }

        boolean checksumMatches() {
            return storedCrc == computedCrc;
        }

        /** True when the walk saw every key of every database. */
        boolean keyCountsComplete() {
            return end == End.COMPLETE;
        }

        long emptyKeys() {
            return empty.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Rdb() {
    }

    /**
     * The RDB version when the bytes start with "REDIS" + 4 digits, or with "VALKEY" + 3 digits (Valkey 9's
     * own format, RDB 80 on), else -1.
     */
    static int version(byte[] head) {
        if (head == null || head.length < 9) {
            return -1;
        }
        int from;
        if (startsWith(head, "REDIS")) {
            from = 5;
        } else if (startsWith(head, "VALKEY")) {
            from = 6;
        } else {
            return -1;
        }
        int v = 0;
        for (int i = from; i < 9; i++) {
            if (head[i] < '0' || head[i] > '9') {
                return -1;
            }
            v = v * 10 + (head[i] - '0');
        }
        return v;
    }

    private static boolean startsWith(byte[] b, String word) {
        for (int i = 0; i < word.length(); i++) {
            if (b[i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The Redis release(s) that write an RDB version, for when redis-ver is absent. */
    static String releasesFor(int rdbVersion) {
        return switch (rdbVersion) {
            case 1, 2, 3, 4, 5 -> "≤2.6";
            case 6 -> "2.6–3.0";
            case 7 -> "3.2";
            case 8 -> "4.0";
            case 9 -> "5.0–6.2";
            case 10 -> "7.0";
            case 11 -> "7.2";
            case 12 -> "≥7.4";
            case 80 -> "Valkey 9.0";
            default -> rdbVersion > 12 ? "newer than 8.0" : null;
        };
    }

    /** Reads an RDB from its first byte; stops after about {@code budget} bytes. Never throws on bad data. */
    static Info read(InputStream in, long budget) throws IOException {
        Info info = new Info();
        RdbReader r = new RdbReader(in);
        try {
            byte[] magic = r.bytes(9);
            info.rdbVersion = version(magic);
            if (info.rdbVersion < 0) {
                info.end = End.STOPPED;
                info.stopReason = "no RDB header";
                return info;
            }
            info.magic = magic[0] == 'V' ? "VALKEY" : "REDIS";
            if (info.rdbVersion > MAX_KNOWN_VERSION) {
                throw new RdbReader.Stop("RDB format " + info.rdbVersion + " is newer than dbrescue knows");
            }
            walk(r, info, budget);
        } catch (RdbReader.Truncated e) {
            info.end = End.CUT_SHORT;
            info.length = r.offset();
        } catch (RdbReader.Stop e) {
            info.end = End.STOPPED;
            info.stopReason = e.getMessage();
            info.length = r.offset();
        } catch (RdbReader.Corrupt e) {
            info.end = End.CORRUPT;
            info.damage = e.getMessage();
            info.length = r.offset();
        }
        return info;
    }

    private static void walk(RdbReader r, Info info, long budget) throws IOException {
        int[] db = {0};
        long[] expireAt = {-1};
        long now = System.currentTimeMillis();
        while (true) {
            int type = r.u8();
            switch (type) {
                case OP_AUX -> {
                    String key = r.string(256);
                    String value = r.string(256);
                    if (key != null && value != null && info.aux.size() < 64) {
                        info.aux.put(key, value);
                    }
                }
                case OP_SELECTDB -> {
                    db[0] = (int) r.length();
                    info.databases.add(db[0]);
                    info.counted.putIfAbsent(db[0], 0L);
                }
                case OP_RESIZEDB -> {
                    long size = r.length();
                    long expires = r.length();
                    info.keys.put(db[0], size);
                    info.expires.put(db[0], expires);
                }
                case OP_EXPIRETIME_MS -> expireAt[0] = r.le(8);
                case OP_EXPIRETIME -> expireAt[0] = r.le(4) * 1000;
                case OP_IDLE -> r.length();
                case OP_FREQ -> r.skip(1);
                case OP_SLOT_INFO -> {
                    r.length();
                    r.length();
                    r.length();
                }
                case OP_FUNCTION2 -> r.skipString();
                case OP_MODULE_AUX -> {
                    r.length(); // module id
                    RdbValues.skipModuleValue(r);
                }
                case OP_EOF -> {
                    end(r, info);
                    return;
                }
                case OP_FUNCTION_PRE_GA -> throw new RdbReader.Stop("function data of a Redis 7.0 release candidate");
                default -> {
                    if (r.offset() > budget) {
                        throw new RdbReader.Stop("stopped after " + budget + " bytes");
                    }
                    key(r, info, type, db[0], expireAt[0], now);
                    expireAt[0] = -1;
                }
            }
        }
    }

    /** One key: counted in its database, its value checked as Redis checks it on load. */
    private static void key(RdbReader r, Info info, int type, int db, long expireAt, long now) throws IOException {
        if (info.databases.isEmpty()) {
            info.databases.add(0); // files of Redis 1.x may start without SELECTDB
        }
        long at = r.offset() - 1;
        r.keyName();
        long elements;
        try {
            elements = RdbValues.skip(r, type, info.rdbVersion);
        } catch (RdbReader.Corrupt e) {
            throw new RdbReader.Corrupt("at the key " + quoted(r.lastKey()) + " (" + RdbValues.typeName(type)
                    + ", byte " + at + "): " + e.getMessage());
        }
        info.counted.merge(db, 1L, Long::sum);
        if (expireAt >= 0) {
            info.withExpiry.merge(db, 1L, Long::sum);
            if (expireAt < now) {
                info.expiredAtScan.merge(db, 1L, Long::sum);
            }
        }
        if (elements == 0) {
            info.empty.merge(db, 1L, Long::sum);
            if (info.emptyNames.size() < 5) {
                info.emptyNames.add(quoted(r.lastKey()) + " (" + RdbValues.typeName(type) + ")");
            }
        }
    }

    static String quoted(String name) {
        return name == null ? "(a long or compressed name)" : "'" + name + "'";
    }

    private static void end(RdbReader r, Info info) throws IOException {
        r.stopCrc();
        info.computedCrc = r.crc();
        if (info.rdbVersion >= 5) {
            byte[] c = r.bytes(8);
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (c[i] & 0xff);
            }
            info.storedCrc = v;
        }
        info.end = End.COMPLETE;
        info.length = r.offset();
    }
}
