package io.dbrescue.redis;

import io.dbrescue.cli.Main;
import io.dbrescue.run.Secrets;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AOF restores with real servers: Redis 7.0's multi-part appendonlydir (a base RDB plus an increment written
 * after a rewrite) and Redis 6.2's single appendonly.aof (an RDB preamble plus commands after it) brought
 * into a running Redis 7.0 — and the 6.2 file into a running 6.2 — with the target's own dump.rdb kept as the
 * safety copy, the keys per database equal to what the old server held, the working folder gone and the
 * backup unchanged. The 7.0 folder into 6.2 is refused (6.2 cannot read a manifest).
 */
class RedisAofRestoreTest {
    static Path base;
    static Path backup;
    static String embedded;
    static Map<Integer, Long> keys70;
    static Map<Integer, Long> keys62;
    static Map<Integer, Long> keys62resp;

    @BeforeAll
    static void fixtures() throws Exception {
        base = TestUser.newDir("redis-aof");
        System.setProperty("dbrescue.state.dir", base.resolve("state").toString());
        backup = base.resolve("backup");
        embedded = RedisFixture.embedded62();
        try (RedisFixture r = RedisFixture.start(RedisFixture.DEBIAN_SERVER, true)) {
            r.fill();
            r.rewriteAof(); // the base file now holds the keys
            r.cli("SET", "after-rewrite", "1"); // in the increment file
            r.cliDb(5, "RPUSH", "late-list", "a", "b");
            keys70 = counts(r);
            r.close();
            copyTree(r.dir.resolve("appendonlydir"), backup.resolve("r70/var/lib/redis/appendonlydir"));
            TestUser.delete(r.dir);
        }
        try (RedisFixture r = RedisFixture.start(embedded, true)) {
            r.fill();
            r.cli("SET", "after-rewrite", "1");
            keys62resp = counts(r);
            // before any rewrite, 6.2's appendonly.aof holds plain commands (RESP)
            Files.createDirectories(backup.resolve("resp/var/lib/redis"));
            Files.copy(r.dir.resolve("appendonly.aof"), backup.resolve("resp/var/lib/redis/appendonly.aof"));
            byte[] resp = Files.readAllBytes(r.dir.resolve("appendonly.aof"));
            Files.createDirectories(backup.resolve("cut/var/lib/redis"));
            // the last command (SET after-rewrite 1) cut short: Redis drops it and loads the rest
            Files.write(backup.resolve("cut/var/lib/redis/appendonly.aof"), java.util.Arrays.copyOf(resp, resp.length - 5));
            r.rewriteAof(); // an RDB preamble
            r.cli("SET", "after-rewrite", "1");
            r.cliDb(5, "SADD", "late-set", "x");
            keys62 = counts(r);
            r.close();
            Files.createDirectories(backup.resolve("r62/var/lib/redis"));
            Files.copy(r.dir.resolve("appendonly.aof"), backup.resolve("r62/var/lib/redis/appendonly.aof"));
            TestUser.delete(r.dir);
        }
        Files.createDirectories(backup.resolve("assets"));
        try (var in = RedisAofRestoreTest.class.getResourceAsStream("rdb-preamble.aof")) {
            Files.copy(in, backup.resolve("assets/rdb-preamble.aof"));
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
    }

    @AfterAll
    static void cleanUp() {
        System.clearProperty("dbrescue.state.dir");
        TestUser.delete(base);
        TestUser.delete(Path.of(embedded).getParent());
    }

    private static Map<Integer, Long> counts(RedisFixture r) {
        Map<Integer, Long> m = new java.util.TreeMap<>();
        for (int db = 0; db < 16; db++) {
            long n = r.dbsize(db);
            if (n > 0) {
                m.put(db, n);
            }
        }
        return m;
    }

    static String user() {
        return TestUser.isRoot() ? TestUser.NAME : System.getProperty("user.name");
    }

    private static void restoreInto(String server, String select, Map<Integer, Long> want) throws Exception {
        Map<String, String> before = Trees.snapshot(backup);
        RedisFixture target = RedisFixture.start(server, false);
        try {
            target.cli("SET", "old", "value");
            target.cli("SAVE");
            byte[] oldRdb = Files.readAllBytes(target.dir.resolve("dump.rdb"));
            String[] args = {"recover", backup.toString(), "--select", select, "--target-port",
                    Integer.toString(target.port), "--run-as", user(), "--yes"};
            assertThat(Main.run(args)).isZero();
            assertThat(counts(target)).isEqualTo(want);
            assertThat(target.cli("GET", "old")).isEmpty();
            assertThat(target.cli("GET", "after-rewrite")).isEqualTo("1");
            try (Stream<Path> s = Files.list(target.dir)) {
                List<String> names = s.map(p -> p.getFileName().toString()).toList();
                assertThat(names).noneMatch(n -> n.startsWith("dbrescue-aof-"));
                String safety = names.stream().filter(n -> n.startsWith("dump.rdb.before-dbrescue-")).findFirst()
                        .orElseThrow();
                assertThat(Files.readAllBytes(target.dir.resolve(safety))).isEqualTo(oldRdb);
            }
            assertThat(Trees.snapshot(backup)).isEqualTo(before);
        } finally {
            new RedisCli(Path.of(RedisFixture.CLI), "127.0.0.1", target.port, Secrets.NONE).call("SHUTDOWN", "NOSAVE");
            target.close();
            TestUser.delete(target.dir);
        }
    }

    @Test
    void redis70AppendonlydirInto70() throws Exception {
        assertThat(keys70).containsKeys(0, 3, 5);
        restoreInto(RedisFixture.DEBIAN_SERVER, "r70/var/lib/redis/appendonlydir", keys70);
    }

    @Test
    void redis62AppendonlyAofWithPreambleInto70() throws Exception {
        assertThat(keys62).containsKeys(0, 3, 5);
        restoreInto(RedisFixture.DEBIAN_SERVER, "r62/var/lib/redis/appendonly.aof", keys62);
    }

    @Test
    void redis62AppendonlyAofInto62() throws Exception {
        restoreInto(embedded, "r62/var/lib/redis/appendonly.aof", keys62);
    }

    @Test
    void redis62PlainCommandsInto70() throws Exception {
        restoreInto(RedisFixture.DEBIAN_SERVER, "resp/var/lib/redis/appendonly.aof", keys62resp);
    }

    /** Cut short in its last command: the scan says so, Redis drops that command, the rest arrives and is checked. */
    @Test
    void anAofCutShortInItsLastCommandLoadsTheRest() throws Exception {
        Map<String, String> before = Trees.snapshot(backup);
        Map<Integer, Long> want = new java.util.TreeMap<>(keys62resp);
        want.merge(0, -1L, Long::sum); // without after-rewrite
        RedisFixture target = RedisFixture.start(RedisFixture.DEBIAN_SERVER, false);
        try {
            assertThat(Main.run("recover", backup.toString(), "--select", "cut/var/lib/redis/appendonly.aof",
                    "--target-port", Integer.toString(target.port), "--run-as", user(), "--yes")).isZero();
            assertThat(counts(target)).isEqualTo(want);
            assertThat(target.cli("GET", "after-rewrite")).isEmpty();
            assertThat(Trees.snapshot(backup)).isEqualTo(before);
        } finally {
            new RedisCli(Path.of(RedisFixture.CLI), "127.0.0.1", target.port, Secrets.NONE).call("SHUTDOWN", "NOSAVE");
            target.close();
            TestUser.delete(target.dir);
        }
    }

    /** Redis's own test file (tests/assets/rdb-preamble.aof): k1 and k2 in the preamble, SET k3 after it. */
    @Test
    void redissOwnPreambleAofInto70() throws Exception {
        RedisFixture target = RedisFixture.start(RedisFixture.DEBIAN_SERVER, false);
        try {
            assertThat(Main.run("recover", backup.toString(), "--select", "assets/rdb-preamble.aof", "--target-port",
                    Integer.toString(target.port), "--run-as", user(), "--yes")).isZero();
            assertThat(counts(target)).isEqualTo(Map.of(0, 3L));
            assertThat(target.cli("GET", "k3")).isEqualTo("v3");
        } finally {
            new RedisCli(Path.of(RedisFixture.CLI), "127.0.0.1", target.port, Secrets.NONE).call("SHUTDOWN", "NOSAVE");
            target.close();
            TestUser.delete(target.dir);
        }
    }

    @Test
    void redis70AppendonlydirInto62IsRefused() throws Exception {
        try (RedisFixture target = RedisFixture.start(embedded, false)) {
            Map<String, String> targetBefore = Trees.snapshot(target.dir);
            assertThat(Main.run("recover", backup.toString(), "--select", "r70/var/lib/redis/appendonlydir",
                    "--target-port", Integer.toString(target.port), "--run-as", user(), "--yes")).isEqualTo(4);
            assertThat(Trees.snapshot(target.dir)).isEqualTo(targetBefore);
            TestUser.delete(target.dir);
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
