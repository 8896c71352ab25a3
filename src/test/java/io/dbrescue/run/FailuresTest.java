package io.dbrescue.run;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cause line picked out of real programs' output (each text below was printed by the program named,
 * on this machine), and the program named past setsid / runuser.
 */
class FailuresTest {
    /** Debian redis-server 7.0.15 loading Redis's corrupt_ziplist.rdb test asset. */
    static final String REDIS = """
            3246:M 03 Dec 2026 12:21:39.656 * Loading RDB produced by version 999.999.999
            3246:M 03 Dec 2026 12:21:39.656 * RDB age 323247690 seconds
            3246:M 03 Dec 2026 12:21:39.656 # Internal error in RDB reading offset 0, function at rdb.c:2275 -> Hash ziplist integrity check failed.
            [offset 0] Checking RDB file dump.rdb
            --- RDB ERROR DETECTED ---
            [offset 494] Internal error in RDB reading offset 0, function at rdb.c:2275 -> Hash ziplist integrity check failed.
            [additional info] While doing: read-object-value
            [additional info] Reading key 'key:000000000091'
            [info] 16 keys read
            3246:M 03 Dec 2026 12:21:39.656 # Terminating server after rdb file reading failure.
            """;

    @Test
    void redisNamesTheDamageNotTheLinesAroundIt() {
        assertThat(Failures.cause(REDIS)).isEqualTo("Hash ziplist integrity check failed.");
        StepFailure f = Failures.of("Starting redis-server", new Exec.Result(
                List.of("setsid", "runuser", "-u", "redis", "--", "/usr/bin/redis-server", "--port", "6399"), 1, "", REDIS, 0));
        assertThat(f.kind()).isEqualTo("damaged");
        assertThat(f.getMessage()).isEqualTo("Starting redis-server failed: The file could not be read. "
                + "redis-server said: Hash ziplist integrity check failed.").doesNotContain("\n");
    }

    @Test
    void postgresAndMariaDbClients() {
        assertThat(Failures.cause("pg_restore: error: sanity check on integer size (103) failed\n"))
                .isEqualTo("sanity check on integer size (103) failed");
        assertThat(Failures.cause("psql: error: connection to server at \"127.0.0.1\", port 1 failed: "
                + "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n"))
                .isEqualTo("connection to server at \"127.0.0.1\", port 1 failed: Connection refused");
        assertThat(Failures.cause("ERROR 2002 (HY000): Can't connect to server on '127.0.0.1' (115)\n"))
                .isEqualTo("Can't connect to server on '127.0.0.1' (115)");
        StepFailure f = Failures.of("Loading the dump", new Exec.Result(List.of("setsid", "/usr/bin/mariadb", "-h",
                "127.0.0.1"), 1, "", "ERROR 2002 (HY000): Can't connect to server on '127.0.0.1' (115)\n", 0));
        assertThat(f.kind()).isEqualTo("unreachable");
        assertThat(f.getMessage()).isEqualTo("Loading the dump failed: The target server is not reachable. "
                + "mariadb said: Can't connect to server on '127.0.0.1' (115)");
    }

    @Test
    void withoutAnErrorLineTheLastLineIsTheCause() {
        assertThat(Failures.cause("starting\nstill starting\ngave up after 3 tries\n\n")).isEqualTo("gave up after 3 tries");
        assertThat(Failures.cause("")).isEmpty();
        StepFailure f = Failures.of("Checking", new Exec.Result(List.of("setsid", "/bin/false"), 1, "", "", 0));
        assertThat(f.getMessage()).isEqualTo("Checking failed (false exit code 1).");
    }
}
