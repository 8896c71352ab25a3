package io.dbrescue.redis;

import io.dbrescue.Engines;
import io.dbrescue.cli.Main;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Secrets;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Trees;
import io.dbrescue.testing.TestUser;
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
 * A Redis 6.2 dump.rdb (embedded-redis binary) restored into a running Redis 7.0 (Debian): the dry run
 * changes nothing; the run stops 7.0 without saving, keeps its dump.rdb as the safety copy, places the
 * RDB, restarts 7.0 with the same settings and finds the scan's key counts per database. A 7.0 RDB into
 * a running 6.2 is refused naming both versions, and nothing is touched. The backup is unchanged.
 */
class RedisRestoreTest {
    static Path base;
    static Path backup;
    static String embedded;
    static Path binDir;

    @BeforeAll
    static void fixtures() throws Exception {
        base = TestUser.newDir("redis-restore");
        System.setProperty("dbrescue.state.dir", base.resolve("state").toString());
        backup = base.resolve("backup");
        embedded = RedisFixture.embedded62();
        binDir = Path.of(embedded).getParent();
        Files.createDirectories(backup.resolve("var/lib/redis"));
        Files.createDirectories(backup.resolve("redis7"));
        try (RedisFixture r = RedisFixture.start(embedded, false)) {
            r.fill();
            r.cli("SAVE");
            Files.copy(r.dir.resolve("dump.rdb"), backup.resolve("var/lib/redis/dump.rdb"));
            TestUser.delete(r.dir);
        }
        try (RedisFixture r = RedisFixture.start(RedisFixture.DEBIAN_SERVER, false)) {
            r.fill();
            r.cli("SAVE");
            Files.copy(r.dir.resolve("dump.rdb"), backup.resolve("redis7/dump.rdb"));
            TestUser.delete(r.dir);
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
    }

    @AfterAll
    static void cleanUp() {
        System.clearProperty("dbrescue.state.dir");
        TestUser.delete(base);
        TestUser.delete(binDir);
    }

    static String user() {
        return TestUser.isRoot() ? TestUser.NAME : System.getProperty("user.name");
    }

    @Test
    void redis62RdbInto70() throws Exception {
        Map<String, String> before = Trees.snapshot(backup);
        RedisFixture target = RedisFixture.start(RedisFixture.DEBIAN_SERVER, false);
        RedisCli cli = new RedisCli(Path.of(RedisFixture.CLI), "127.0.0.1", target.port, Secrets.NONE);
        try {
            target.cli("SET", "old", "value");
            target.cli("SAVE");
            byte[] oldRdb = Files.readAllBytes(target.dir.resolve("dump.rdb"));
            String[] args = {"recover", backup.toString(), "--select", "var/lib/redis/dump.rdb", "--target-port",
                    Integer.toString(target.port), "--run-as", user()};

            assertThat(Main.run(concat(args, "--dry-run"))).isZero();
            assertThat(target.cli("GET", "old")).isEqualTo("value");
            assertThat(Files.readAllBytes(target.dir.resolve("dump.rdb"))).isEqualTo(oldRdb);

            assertThat(Main.run(concat(args, "--yes"))).isZero();
            assertThat(target.info("redis_version")).startsWith("7.0");
            assertThat(target.dbsize(0)).isEqualTo(28);
            assertThat(target.dbsize(3)).isEqualTo(7);
            assertThat(target.cli("GET", "old")).isEmpty();
            assertThat(target.cli("HGET", "user:1", "name")).isEqualTo("Ada");
            try (Stream<Path> s = Files.list(target.dir)) {
                Path safety = s.filter(p -> p.getFileName().toString().startsWith("dump.rdb.before-dbrescue-"))
                        .findFirst().orElseThrow();
                assertThat(Files.readAllBytes(safety)).isEqualTo(oldRdb);
            }
            assertThat(Trees.snapshot(backup)).isEqualTo(before);
        } finally {
            cli.call("SHUTDOWN", "NOSAVE");
            target.close();
            TestUser.delete(target.dir);
        }
    }

    @Test
    void redis70RdbInto62IsRefused() throws Exception {
        Map<String, String> before = Trees.snapshot(backup);
        try (RedisFixture target = RedisFixture.start(embedded, false)) {
            target.cli("SET", "keep", "me");
            target.cli("SAVE");
            Map<String, String> targetBefore = Trees.snapshot(target.dir);
            String version = target.info("redis_version");
            RecoveryRequest req = new RecoveryRequest(backup, List.of("redis7/dump.rdb"), Strategy.AUTO,
                    new TargetOptions(null, target.port, null, null, null, user()), RecoveryRequest.Conflict.ASK, 1,
                    true, false);
            Plan plan = Engines.planner().plan(req, Engines.scanner().scan(backup), new Target(List.of(), null,
                    TestUser.isRoot()));
            Decision d = plan.decisions().get(0);
            assertThat(d.refused()).isTrue();
            assertThat(d.reason()).contains("RDB 10 (Redis 7.0) cannot be loaded by Redis " + version);
            assertThat(plan.preflightFailed()).isTrue();
            assertThat(plan.steps()).isEmpty();

            assertThat(Main.run("recover", backup.toString(), "--select", "redis7/dump.rdb", "--target-port",
                    Integer.toString(target.port), "--run-as", user(), "--yes")).isEqualTo(4);
            assertThat(target.cli("GET", "keep")).isEqualTo("me");
            assertThat(Trees.snapshot(target.dir)).isEqualTo(targetBefore);
            TestUser.delete(target.dir);
        }
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }

    @Test
    void anRdbIntoAFolderOfTheBackupIsRefused() throws Exception {
        Map<String, String> before = Trees.snapshot(backup);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path link = Files.createSymbolicLink(base.resolve("redis-dir-link"), backup.resolve("var/lib/redis"));
        for (Path dir : List.of(backup.resolve("var/lib/redis"), backup.resolve("redis7"), link)) {
            RecoveryRequest req = new RecoveryRequest(backup, List.of("var/lib/redis/dump.rdb"), Strategy.AUTO,
                    new TargetOptions(null, port, null, null, dir, user()), RecoveryRequest.Conflict.ASK, 1, true, false);
            Plan plan = Engines.planner().plan(req, Engines.scanner().scan(backup),
                    io.dbrescue.Engines.discovery().discover().withOptions(req.target()));
            assertThat(plan.preflightFailed()).as(plan.checks().toString()).isTrue();
            io.dbrescue.plan.Check first = plan.checks().get(0);
            assertThat(first.name()).as(plan.checks().toString()).isEqualTo("backup-read-only");
            assertThat(first.message()).contains("inside the backup " + backup).contains("dump.rdb");
            assertThat(Main.run("recover", backup.toString(), "--select", "var/lib/redis/dump.rdb", "--target-port",
                    Integer.toString(port), "--target-data", dir.toString(), "--run-as", user(), "--yes")).isEqualTo(4);
        }
        Files.delete(link);
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }

    /**
     * redis-server turns its --options into config lines: a folder with a line break must stay one value
     * (Redis quotes option values since 2.6), not become a second directive; $(...) and quotes stay text.
     */
    @Test
    void aTargetFolderWithALineBreakAndShellCharactersIsOnlyAFolder() throws Exception {
        Path parent = TestUser.newDir("redis-nl");
        Path marker = parent.resolve("MARKER");
        Path dir = parent.resolve("r $(touch " + marker + ") \"q\" 's'\nrequirepass sesame");
        Files.createDirectories(dir);
        TestUser.chown(parent);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // the command that starts it again on undo keeps the folder as one argument
        Plan plan = Engines.planner().plan(new RecoveryRequest(backup, List.of("var/lib/redis/dump.rdb"), Strategy.AUTO,
                new TargetOptions(null, port, null, Path.of("/usr/bin"), dir, user()), RecoveryRequest.Conflict.ASK, 1,
                true, false), Engines.scanner().scan(backup), new Target(List.of(), null, TestUser.isRoot()));
        String restart = plan.steps().stream().filter(st -> st.kind().equals("redis-stop")).findFirst().orElseThrow()
                .param("restart");
        assertThat(RedisSteps.restartArgv(restart)).containsSubsequence("--dir", dir.toString());
        try {
            assertThat(Main.run("recover", backup.toString(), "--select", "var/lib/redis/dump.rdb", "--target-bin",
                    "/usr/bin", "--target-data", dir.toString(), "--target-port", Integer.toString(port),
                    "--run-as", user(), "--yes")).isZero();
            assertThat(dir.resolve("dump.rdb")).exists();
            assertThat(marker).doesNotExist();
        } finally {
            new RedisCli(Path.of(RedisFixture.CLI), "127.0.0.1", port, Secrets.NONE).call("SHUTDOWN", "NOSAVE");
            TestUser.delete(parent);
        }
    }

    private static String[] concat(String[] a, String... more) {
        String[] r = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, r, a.length, more.length);
        return r;
    }
}
