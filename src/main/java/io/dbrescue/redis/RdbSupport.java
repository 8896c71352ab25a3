package io.dbrescue.redis;

/**
 * Which RDB versions a Redis-compatible server loads, by product and version — not by the
 * {@code redis_version} it reports (Valkey 8 and 9 both say 7.2.4 there). A server loads the RDB
 * versions up to the one it writes itself; the table:
 *
 * <pre>
 * product  version        writes/loads up to            source
 * Redis    before 2.4     RDB 1                          redis/redis history: "REDIS0001" (2009-2011)
 * Redis    2.4            RDB 2                          commit 6b52ad87c "RDB version signature bumped to 2"
 * Redis    2.6 to 3.0     RDB 6                          src/rdb.h REDIS_RDB_VERSION 6 (5a86ab479, 2012-04)
 * Redis    3.2            RDB 7                          src/rdb.h (101b3a6e4)
 * Redis    4.0            RDB 8                          src/rdb.h (4aae4f7d3)
 * Redis    5.0 to 6.2     RDB 9                          src/rdb.h (38bc8ea53)
 * Redis    7.0            RDB 10                         src/rdb.h (02fd76b97)
 * Redis    7.2            RDB 11                         src/rdb.h (4e472a1a7)
 * Redis    7.4, 8.x       RDB 12                         src/rdb.h (0270abda8)
 * Valkey   7.2            RDB 11                         forked from Redis 7.2.4
 * Valkey   8.0, 8.1       RDB 11                         valkey-io/valkey#665 (version moved back to 11);
 *                                                        8.1's "rdb-version-check relaxed" (#1604) reads
 *                                                        future Valkey formats but never 12 to 79, which are
 *                                                        reserved for other software (Redis 7.4's 12)
 * Valkey   9.0 on         RDB 11, and its own 80         valkey-io/valkey#2422 (magic "VALKEY", version 80);
 *                         ("VALKEY080")                  with rdb-version-check relaxed (#2543) it tries
 *                                                        foreign versions such as 12 and fails on types it
 *                                                        does not know (hash field expiry)
 * </pre>
 */
final class RdbSupport {
    /** Valkey's own RDB format from 9.0 on. */
    static final int VALKEY_OWN = 80;

    private RdbSupport() {
    }

    /** The product a server calls itself: "Valkey" or "Redis". */
    static String product(String name) {
        return name != null && name.toLowerCase(java.util.Locale.ROOT).contains("valkey") ? "Valkey" : "Redis";
    }

    /** The newest RDB version of the Redis line (1 to 12) this server loads. */
    static int maxRdb(String product, String version) {
        int v = number(version);
        if ("Valkey".equals(product)) {
            return 11;
        }
        if (v >= 704) return 12;
        if (v >= 702) return 11;
        if (v >= 700) return 10;
        if (v >= 500) return 9;
        if (v >= 400) return 8;
        if (v >= 302) return 7;
        if (v >= 206) return 6;
        if (v >= 204) return 2;
        return 1;
    }

    /** True when the server loads this RDB version with its default settings. */
    static boolean loads(String product, String version, int rdbVersion) {
        if (rdbVersion == VALKEY_OWN) {
            return "Valkey".equals(product) && number(version) >= 900;
        }
        return rdbVersion <= maxRdb(product, version);
    }

    /** What the server loads, in words: "RDB 1 to 11", "RDB 1 to 11 and Valkey's own 80". */
    static String describe(String product, String version) {
        String s = "RDB 1 to " + maxRdb(product, version);
        return "Valkey".equals(product) && number(version) >= 900 ? s + " and Valkey's own " + VALKEY_OWN : s;
    }

    /** major * 100 + minor; 0 when not a version. */
    static int number(String version) {
        if (version == null) {
            return 0;
        }
        String[] p = version.split("\\.");
        try {
            return Integer.parseInt(p[0]) * 100 + (p.length > 1 ? Integer.parseInt(p[1].replaceAll("\\D.*", "")) : 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
