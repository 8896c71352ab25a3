package io.dbrescue.redis;

import io.dbrescue.testing.FreePorts;
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
 * Redis's own damaged test RDB (corrupt_ziplist.rdb, see the resource's README), which Debian's
 * redis-server 7.0 refuses to load ("Hash ziplist integrity check failed"), selected for a restore with
 * the jar: the scan already finds the broken ziplist, so the plan refuses the file naming the key and
 * what is wrong with it; stderr holds no stack trace; nothing is written to the target and the backup is
 * unchanged.
 */
class RedisDamagedRdbIT {
    private Path base;

    @AfterEach
    void cleanUp() {
        TestUser.delete(base);
    }

    @Test
    void theCauseLineOnceAndNoTrace() throws Exception {
        base = TestUser.newDir("rdb-damaged");
        Path backup = Files.createDirectories(base.resolve("backup/var/lib/redis"));
        try (InputStream in = getClass().getResourceAsStream("corrupt_ziplist.rdb")) {
            Files.copy(in, backup.resolve("dump.rdb"));
        }
        Path target = Files.createDirectories(base.resolve("target"));
        TestUser.chown(base);
        Map<String, String> before = Trees.snapshot(base.resolve("backup"));
        int port = FreePorts.next();
        List<String> args = new ArrayList<>(List.of("recover", base.resolve("backup").toString(), "--select",
                "var/lib/redis/dump.rdb", "--target-data", target.toString(), "--target-port", Integer.toString(port),
                "--yes"));
        if (TestUser.isRoot()) {
            args.addAll(List.of("--run-as", TestUser.NAME));
        }
        Jar.Run run = Jar.run(Map.of("XDG_STATE_HOME", base.resolve("state").toString(),
                "XDG_CONFIG_HOME", base.resolve("config").toString()), args.toArray(String[]::new));

        // the scan finds the damage, so the plan refuses the file before anything is touched
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stdout()).contains("This Redis snapshot (RDB) is damaged at the key 'key:000000000091' (a hash "
                + "stored as a ziplist", "its ziplist is 5 bytes long", "Redis refuses to load the whole file");
        assertThat(run.stdout()).doesNotContain("[additional info]", "Terminating server", "keys read");
        assertThat(run.stderr()).as(run.toString()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(target.resolve("dump.rdb")).as("rolled back").doesNotExist();
        assertThat(Trees.snapshot(base.resolve("backup"))).isEqualTo(before);
    }
}
