package io.dbrescue.redis;

import java.io.IOException;

/**
 * Walks over one value of an RDB by its encoded lengths (types as in Redis' src/rdb.h, up to RDB 12's
 * hashes with field expiry), checking encoded structures on the way ({@link RdbBlobs}), and returns how
 * many elements it holds: 0 for an empty collection (Redis skips such keys on load), -1 when not counted
 * (strings, streams, module values, big blobs), else the count.
 */
final class RdbValues {
    /** Blobs up to this size are read and checked; bigger ones (rare: Redis converts big collections) are skipped. */
    static final int MAX_BLOB = 1 << 20;

    private RdbValues() {
    }

    static String typeName(int type) {
        return switch (type) {
            case 0 -> "a string";
            case 1 -> "a list";
            case 2 -> "a set";
            case 3, 5 -> "a sorted set";
            case 4 -> "a hash";
            case 6, 7 -> "a module value";
            case 9 -> "a hash stored as a zipmap";
            case 10 -> "a list stored as a ziplist";
            case 11 -> "a set stored as an intset";
            case 12 -> "a sorted set stored as a ziplist";
            case 13 -> "a hash stored as a ziplist";
            case 14, 18 -> "a list stored as a quicklist";
            case 15, 19, 21 -> "a stream";
            case 16 -> "a hash stored as a listpack";
            case 17 -> "a sorted set stored as a listpack";
            case 20 -> "a set stored as a listpack";
            case 22, 24 -> "a hash with field expiry";
            case 23, 25 -> "a hash with field expiry stored as a listpack";
            default -> "type " + type;
        };
    }

    static long skip(RdbReader r, int type, int rdbVersion) throws IOException {
        return switch (type) {
            case 0 -> {
                r.skipString();
                yield -1;
            }
            case 1, 2 -> strings(r, r.length(), 1);
            case 3 -> zsetAsText(r);
            case 4 -> strings(r, r.length(), 2);
            case 5 -> zsetBinary(r);
            case 6 -> throw new RdbReader.Stop("a module value of a Redis 4.0 release candidate");
            case 7 -> {
                r.length(); // module id
                skipModuleValue(r);
                yield -1;
            }
            case 9 -> checked(r, RdbBlobs::zipmap);
            case 10 -> checked(r, RdbBlobs::ziplist);
            case 11 -> checked(r, RdbBlobs::intset);
            case 12, 13 -> pairs(checked(r, RdbBlobs::ziplist));
            case 14 -> quicklist(r, false);
            case 16, 17, 20, 23 -> checked(r, RdbBlobs::listpack);
            case 18 -> quicklist(r, true);
            case 15, 19, 21 -> {
                skipStream(r, type);
                yield -1;
            }
            case 22 -> hashWithExpiry(r, false);
            case 24 -> hashWithExpiry(r, true);
            case 25 -> {
                r.skip(8); // the earliest field expiry
                yield checked(r, RdbBlobs::listpack);
            }
            default -> throw new RdbReader.Corrupt("the value type " + type + " does not exist in RDB " + rdbVersion);
        };
    }

    private interface BlobCheck {
        long count(byte[] blob) throws RdbReader.Corrupt;
    }

    private static long checked(RdbReader r, BlobCheck check) throws IOException {
        byte[] blob = r.blob(MAX_BLOB);
        return blob == null ? -1 : check.count(blob);
    }

    private static long pairs(long entries) throws RdbReader.Corrupt {
        if (entries > 0 && entries % 2 != 0) {
            throw new RdbReader.Corrupt("its ziplist holds an odd number of entries (" + entries + "), not pairs");
        }
        return entries < 0 ? -1 : entries / 2;
    }

    private static long strings(RdbReader r, long n, int perElement) throws IOException {
        for (long k = 0; k < n * perElement; k++) {
            r.skipString();
        }
        return n;
    }

    private static long zsetAsText(RdbReader r) throws IOException {
        long n = r.length();
        for (long k = n; k > 0; k--) {
            r.skipString();
            int len = r.u8();
            if (len < 253) {
                r.skip(len);
            }
        }
        return n;
    }

    private static long zsetBinary(RdbReader r) throws IOException {
        long n = r.length();
        for (long k = n; k > 0; k--) {
            r.skipString();
            r.skip(8);
        }
        return n;
    }

    /** Quicklist nodes: ziplists (RDB 8/9), or a container kind + listpack / plain string (RDB 10+). */
    private static long quicklist(RdbReader r, boolean v2) throws IOException {
        long total = 0;
        for (long n = r.length(); n > 0; n--) {
            long container = v2 ? r.length() : 2;
            long entries;
            if (container == 1) { // a plain node: one big element
                r.skipString();
                entries = 1;
            } else if (container == 2) {
                entries = checked(r, v2 ? RdbBlobs::listpack : RdbBlobs::ziplist);
            } else {
                throw new RdbReader.Corrupt("a quicklist node has the unknown container kind " + container);
            }
            total = total < 0 || entries < 0 ? -1 : total + entries;
        }
        return total;
    }

    private static long hashWithExpiry(RdbReader r, boolean minExpireFirst) throws IOException {
        if (minExpireFirst) {
            r.skip(8);
        }
        long n = r.length();
        for (long k = n; k > 0; k--) {
            r.length(); // the field's expiry
            r.skipString();
            r.skipString();
        }
        return n;
    }

    private static void skipStream(RdbReader r, int type) throws IOException {
        for (long n = r.length(); n > 0; n--) { // listpacks: node key + listpack
            r.skipString();
            checked(r, RdbBlobs::listpack);
        }
        r.length(); // number of entries
        r.length(); // last id
        r.length();
        if (type >= 19) {
            r.length(); // first id
            r.length();
            r.length(); // max deleted id
            r.length();
            r.length(); // entries added
        }
        for (long groups = r.length(); groups > 0; groups--) {
            r.skipString(); // group name
            r.length(); // last delivered id
            r.length();
            if (type >= 19) {
                r.length(); // entries read
            }
            for (long pel = r.length(); pel > 0; pel--) {
                r.skip(16 + 8); // stream id + delivery time
                r.length(); // delivery count
            }
            for (long consumers = r.length(); consumers > 0; consumers--) {
                r.skipString(); // name
                r.skip(8); // seen time
                if (type >= 21) {
                    r.skip(8); // active time
                }
                for (long pel = r.length(); pel > 0; pel--) {
                    r.skip(16);
                }
            }
        }
    }

    /** A module value: typed items (sint/uint 1/2, float 3, double 4, string 5) up to opcode 0. */
    static void skipModuleValue(RdbReader r) throws IOException {
        while (true) {
            long op = r.length();
            switch ((int) op) {
                case 0 -> {
                    return;
                }
                case 1, 2 -> r.length();
                case 3 -> r.skip(4);
                case 4 -> r.skip(8);
                case 5 -> r.skipString();
                default -> throw new RdbReader.Stop("module data with item type " + op);
            }
        }
    }
}
