package io.dbrescue.run;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 during {@code verify --restore-test} leaves a throwaway PostgreSQL server running and its folder in
 * /tmp; the next start of dbrescue (any command) stops that server, deletes the folder and says so. The real
 * jar, a real dump of a million rows and the real throwaway server.
 */
class LeftoversAfterKillIT {
    static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");
    static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
    static Path work;

    @AfterAll
    static void cleanUp() {
        TestUser.delete(work);
    }

    private static Set<Path> sandboxes() throws Exception {
        try (Stream<Path> s = Files.list(TMP)) {
            return s.filter(p -> p.getFileName().toString().startsWith("dbrescue-verify-")).collect(Collectors.toSet());
        }
    }

    @Test
    void theNextStartStopsTheThrowawayServerAndDeletesItsFolder() throws Exception {
        work = TestUser.newDir("leftovers");
        Path backup = work.resolve("backup");
        Path dumps = Files.createDirectories(backup.resolve("dumps"));
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(15, work.resolve("src")).start()) {
            c.psql("postgres", "CREATE DATABASE big");
            c.psql("big", "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 1000000) g");
            Cmd.run(Cmd.asTestUser(List.of(DEBIAN_15.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                    Integer.toString(c.port()), "-U", "postgres", "-f", dumps.resolve("big.sql").toString(), "big")));
        }
        Map<String, String> env = Map.of("XDG_STATE_HOME", work.resolve("state").toString(),
                "XDG_CONFIG_HOME", work.resolve("config").toString());
        Set<Path> before = sandboxes();
        Process verify = Jar.start(env, work.resolve("verify.out"), "verify", backup.toString(), "--select",
                "dumps/big.sql", "--restore-test", "--target-bin", PgCluster.binDir(18).toString(),
                "--run-as", TestUser.NAME);

        Path pidFile = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (pidFile == null && System.nanoTime() < deadline && verify.isAlive()) {
            Set<Path> now = sandboxes();
            now.removeAll(before);
            pidFile = now.stream().map(p -> p.resolve("data/postmaster.pid")).filter(Files::exists).findFirst().orElse(null);
            Thread.sleep(50);
        }
        assertThat(pidFile).as("the throwaway server started; output: %s",
                Files.readString(work.resolve("verify.out"))).isNotNull();
        Thread.sleep(1500); // into the restore
        verify.destroyForcibly(); // kill -9
        verify.waitFor(10, TimeUnit.SECONDS);
        Path sandbox = pidFile.getParent().getParent();
        long serverPid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive)).as("left running by the kill").contains(true);

        Jar.Run next = Jar.run(env, "history");

        assertThat(next.stderr()).contains("dbrescue: tidied up after a restore test of dumps/big.sql")
                .contains("stopped a temporary PostgreSQL server (pid " + serverPid + ")")
                .contains("deleted " + sandbox);
        Optional<ProcessHandle> server = ProcessHandle.of(serverPid);
        assertThat(server.map(ProcessHandle::isAlive).orElse(false)).as("the server is stopped").isFalse();
        assertThat(sandbox).doesNotExist();
        assertThat(Jar.run(env, "history").stderr()).as("said once").doesNotContain("tidied up");
    }
}
