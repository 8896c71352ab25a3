package io.dbrescue.redis;

import io.dbrescue.run.Secrets;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis's own test files restored with the jar into a running Debian Redis 7.0, as a user would: the RDB 4
 * file (no per-database counts in the format) is verified with its 13 keys; the file with 9 empty keys
 * restores with a warning and 0 keys expected, as Redis skips them; a file whose only damage is inside a
 * listpack entry (the scan checks headers) is stopped by redis-check-rdb in the pre-flight, with the key
 * named, nothing changed in the target, and nothing written next to the backup's file.
 */
class RedisRecoverIT {
    private Path base;
    private RedisFixture target;

    @AfterEach
    void cleanUp() throws Exception {
        if (target != null) {
            // the server dbrescue started again on the restored file is not the fixture's process
            new RedisCli(Path.of(RedisFixture.CLI), "127.0.0.1", target.port, Secrets.NONE).call("SHUTDOWN", "NOSAVE");
            target.close();
            TestUser.delete(target.dir);
        }
        TestUser.delete(base);
    }

    private Jar.Run recover(byte[] rdb, String... more) throws Exception {
        prepare(rdb);
        return run(more);
    }

    private void prepare(byte[] rdb) throws Exception {
        base = TestUser.newDir("rdb-recover");
        Path backup = Files.createDirectories(base.resolve("backup/var/lib/redis"));
        Files.write(backup.resolve("dump.rdb"), rdb);
        TestUser.chown(base);
        target = RedisFixture.start(RedisFixture.DEBIAN_SERVER, false);
        target.cli("SET", "old", "value");
        target.cli("SAVE");
    }

    private Jar.Run run(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("recover", base.resolve("backup").toString(), "--select",
                "var/lib/redis/dump.rdb", "--target-port", Integer.toString(target.port), "--yes"));
        if (TestUser.isRoot()) {
            args.addAll(List.of("--run-as", TestUser.NAME));
        }
        args.addAll(List.of(more));
        return Jar.run(Map.of("XDG_STATE_HOME", base.resolve("state").toString(),
                "XDG_CONFIG_HOME", base.resolve("config").toString()), args.toArray(String[]::new));
    }

    private static byte[] asset(String name) throws Exception {
        try (InputStream in = RedisRecoverIT.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void anRdb4FileIsVerifiedWithItsThirteenKeys() throws Exception {
        Jar.Run run = recover(asset("encodings.rdb"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("redis-check-rdb read every key of the RDB (13 keys)",
                "Verified 1 database(s), 13 keys.").doesNotContain("0 keys");
        assertThat(target.dbsize(0)).isEqualTo(13);
    }

    @Test
    void emptyKeysAreNamedAndTheRestoreExpectsTheKeysRedisLoads() throws Exception {
        Jar.Run run = recover(asset("corrupt_empty_keys.rdb"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("9 of its 9 keys hold an empty collection",
                "redis-check-rdb stops at the first empty key", "Verified 1 database(s), 0 keys.");
        assertThat(target.dbsize(0)).isZero();
    }

    @Test
    void damageInsideAListpackIsStoppedByRedisCheckRdbInThePreflight() throws Exception {
        byte[] rdb = new RdbWriter(10).select(0).string("a", "1").encoded(16, "h", RdbWriter.listpackWithBadEntry())
                .end();
        prepare(rdb);
        Path backup = base.resolve("backup");
        Map<String, String> backupBefore = Trees.snapshot(backup);
        Map<String, String> targetBefore = Trees.snapshot(target.dir);

        Jar.Run run = run();
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stdout()).contains("[fail] rdb-check: redis-check-rdb found the RDB damaged: Hash listpack "
                + "integrity check failed", "in the key 'h' (hash-listpack)", "nothing was changed");
        assertThat(target.cli("GET", "old")).isEqualTo("value");
        Jar.Run dry = Jar.run(Map.of("XDG_STATE_HOME", base.resolve("state").toString()), "plan", backup.toString(),
                "--select", "var/lib/redis/dump.rdb", "--target-port", Integer.toString(target.port));
        assertThat(dry.stdout()).as(dry.toString()).contains("[fail] rdb-check");
        // redis-check-rdb wrote nothing next to the file, and nothing in the target changed
        assertThat(Trees.snapshot(backup)).isEqualTo(backupBefore);
        try (var files = Files.list(backup.resolve("var/lib/redis"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("dump.rdb");
        }
        assertThat(Trees.snapshot(target.dir)).isEqualTo(targetBefore);
    }
}
