package io.dbrescue.postgres;

import io.dbrescue.cli.CliRun;
import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestImages;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pg_upgrade with both versions' programs on this machine (no container), the way Debian with two
 * postgresql-N packages or Arch's postgresql-old-upgrade has them: PostgreSQL 14 data → Debian's
 * PostgreSQL 15 (the only pg_upgrade this host can run). The old programs are zonky 14's postgres and
 * pg_ctl, named in the settings ([binaries] postgresql_14), plus Debian 15's pg_controldata and a
 * pg_resetwal 15 that shows it a version-15 view of the data directory for {@code -n} (14 and 15 share
 * pg_control version 1300; zonky ships neither tool). dbrescue picks pg_upgrade by itself (both
 * versions here, the target cluster empty) and runs it as the unprivileged run-as user.
 */
class PgUpgradeHostIT {
    static final String SELECT = "var/lib/postgresql/14/main";
    static final String PASSWORD = "host-upgrade-14";
    static Path work;
    static Path backup;
    static Path oldBin;
    static Map<String, String> before;
    static PgCluster target;
    static Path targetData;

    @BeforeAll
    static void fixture() throws Exception {
        work = TestUser.newDir("pg-upgrade-host");
        backup = work.resolve("backup");
        Files.createDirectories(backup.resolve(SELECT).getParent());
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(14, backup.resolve(SELECT)).start()) {
            c.psql("postgres", "CREATE DATABASE ledger");
            c.psql("ledger", "CREATE TABLE entries (id bigint PRIMARY KEY, amount numeric(12,2), at timestamptz)");
            c.psql("ledger", "INSERT INTO entries SELECT g, g * 0.5, now() FROM generate_series(1, 4000) g");
            c.psql("postgres", "ALTER ROLE postgres PASSWORD '" + PASSWORD + "'");
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        // the old version's programs, as a package would put them in one folder
        Path home = work.resolve("pgsql-14");
        Cmd.run(List.of("cp", "-a", PgCluster.binDir(14).getParent().toString(), home.toString()));
        oldBin = home.resolve("bin");
        Cmd.run(List.of("cp", "/usr/lib/postgresql/15/bin/pg_controldata", oldBin.toString()));
        Cmd.run(List.of("cp", "/usr/lib/postgresql/15/bin/pg_resetwal", oldBin.resolve("pg_resetwal.15").toString()));
        Path wrapper = oldBin.resolve("pg_resetwal");
        Files.writeString(wrapper, String.join("\n", "#!/bin/sh",
                "# pg_resetwal 15 for `pg_resetwal -n` on a PostgreSQL 14 data directory (pg_control 1300 in both)",
                "real=$(dirname \"$0\")/pg_resetwal.15",
                "if [ $# = 2 ] && [ \"$1\" = -n ] && [ -f \"$2/PG_VERSION\" ] && [ \"$(cat \"$2/PG_VERSION\")\" != 15 ]; then",
                "    data=$(cd \"$2\" && pwd) || exit 1",
                "    view=$(mktemp -d) || exit 1",
                "    echo 15 >\"$view/PG_VERSION\"",
                "    ln -s \"$data/global\" \"$view/global\"",
                "    ln -s \"$data/pg_wal\" \"$view/pg_wal\"",
                "    \"$real\" -n \"$view\"; rc=$?",
                "    rm -rf \"$view\"",
                "    exit $rc",
                "fi",
                "exec \"$real\" \"$@\"", ""));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        TestUser.chown(home);
        targetData = TestUser.newDir("pg15-host-target").resolve("data");
        target = PgCluster.init(15, targetData).start();
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
        TestUser.delete(targetData.getParent());
    }

    @Test
    void pg14BecomesThePg15ClusterThroughPgUpgradeHere() throws Exception {
        Path home = Files.createTempDirectory("dbrescue-home");
        CliRun r = CliRun.run(home, Map.of("PGPASSWORD", PASSWORD), "--set", "binaries.postgresql_14=" + oldBin,
                "recover", backup.toString(), "--select", SELECT, "--target-bin", "/usr/lib/postgresql/15/bin",
                "--target-data", targetData.toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(target.port()), "--target-user", "postgres",
                "--run-as", TestUser.NAME, "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.OK);
        assertThat(r.out).contains("Chosen because the programs of both versions are here (" + oldBin)
                .contains("$ /usr/lib/postgresql/15/bin/pg_upgrade -b " + oldBin).doesNotContain("podman run")
                .contains("*Clusters are compatible*");
        String out = Cmd.run(List.of("/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-q", "-h", "127.0.0.1", "-p",
                Integer.toString(target.port()), "-U", "postgres", "-d", "ledger", "-c",
                "SELECT current_setting('server_version_num')::int / 10000, count(*), sum(amount) FROM entries"),
                null, Map.of("PGPASSWORD", PASSWORD)).strip();
        assertThat(out).isEqualTo("15|4000|4001000.00");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        assertThat(TestImages.containersOfRunsIn(home)).isEmpty();
        assertThat(Path.of("/tmp/dbrescue-" + r.out.replaceAll("(?s).*Plan (\\S+) for.*", "$1"))).doesNotExist();
    }

    /** Spaces and single quotes are normal on desktops (/media/alex/My Passport): pg_upgrade quotes them well. */
    @Test
    void aTargetWithSpacesAndQuotesIsUpgradedInto() throws Exception {
        Path parent = work.resolve("My Passport 'alex'");
        Files.createDirectories(parent);
        TestUser.chown(parent);
        Path data = parent.resolve("pg data");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliRun r = CliRun.run(Files.createTempDirectory("dbrescue-home"), Map.of("PGPASSWORD", PASSWORD),
                "--set", "binaries.postgresql_14=" + oldBin,
                "recover", backup.toString(), "--select", SELECT, "--target-bin", "/usr/lib/postgresql/15/bin",
                "--target-data", data.toString(), "--target-host", "127.0.0.1", "--target-port", Integer.toString(port),
                "--target-user", "postgres", "--run-as", TestUser.NAME, "--upgrade-method", "pg-upgrade", "--yes");
        try {
            assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.OK);
            assertThat(r.out).contains("pg_upgrade -b " + oldBin);
            String out = Cmd.run(List.of("/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-q", "-h", "127.0.0.1",
                    "-p", Integer.toString(port), "-U", "postgres", "-d", "ledger", "-c",
                    "SELECT current_setting('data_directory'), count(*) FROM entries"), null,
                    Map.of("PGPASSWORD", PASSWORD)).strip();
            assertThat(out).isEqualTo(data + "|4000");
        } finally {
            if (PgCluster.running(data)) {
                Cmd.run(Cmd.asTestUser(List.of("/usr/lib/postgresql/15/bin/pg_ctl", "stop", "-w", "-D", data.toString(),
                        "-m", "immediate")));
            }
        }
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    /** pg_upgrade pastes the folders into shell commands: a folder with $ ` " \ is refused before anything runs. */
    @Test
    void aTargetThatAShellWouldRunIsRefusedInThePreflight() throws Exception {
        Path marker = work.resolve("MARKER");
        Path parent = work.resolve("t $(touch " + marker + ") `touch " + marker + "`");
        Files.createDirectories(parent);
        TestUser.chown(parent);
        Map<String, String> targetBefore = Trees.snapshot(parent);
        CliRun r = CliRun.run(Files.createTempDirectory("dbrescue-home"), Map.of("PGPASSWORD", PASSWORD),
                "--set", "binaries.postgresql_14=" + oldBin,
                "recover", backup.toString(), "--select", SELECT, "--target-bin", "/usr/lib/postgresql/15/bin",
                "--target-data", parent.resolve("data").toString(), "--target-host", "127.0.0.1", "--target-port",
                "5999", "--target-user", "postgres", "--run-as", TestUser.NAME, "--upgrade-method", "pg-upgrade", "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.PREFLIGHT_FAILED);
        assertThat(r.out + r.err).contains("contains $ and `: pg_upgrade passes it to /bin/sh")
                .contains("Choose a folder without $ ` \" \\ or line breaks, for --target-data, or use the dump path");
        assertThat(marker).doesNotExist();
        assertThat(Trees.snapshot(parent)).isEqualTo(targetBefore);
    }
}
