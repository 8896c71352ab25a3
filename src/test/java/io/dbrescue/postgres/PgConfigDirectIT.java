package io.dbrescue.postgres;

import io.dbrescue.testing.FreePorts;
import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.Locales;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.ServicePg;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster made by Debian's own pg_createcluster (configuration in /etc/postgresql/15/NAME, copied into the
 * backup as etc/postgresql/15/main), restored directly into a PostgreSQL 15 started like a distribution's service
 * (OS user postgres, socket in /var/run/postgresql, its configuration in its data directory). The old cluster's
 * configuration must come along, adapted: its login rules (a password login from 127.0.0.1, a peer login through
 * a pg_ident map), its conf.d and ALTER SYSTEM settings, its preloaded library — and its PostGIS data must answer
 * the same spatial query through its GiST index, with the extension brought up to the installed version.
 *
 * <p>The postgres role of the old cluster has a password, given as PGPASSWORD: dbrescue's verification logs in
 * over TCP on main (peer logins as root are another change, pg-login).
 */
class PgConfigDirectIT {
    static final String NEAR = "SELECT count(*) FROM places WHERE ST_DWithin(geom, ST_SetSRID(ST_MakePoint(10, 50), 4326), 2)";
    static Path work;
    static Path backup;
    static Map<String, String> before;
    static String nearInSource;
    static ServicePg target;

    @BeforeAll
    static void fixtures() throws Exception {
        work = TestUser.newDir("pg-config-direct");
        backup = work.resolve("backup");
        String[] near = new String[1];
        DebianCluster.make(backup, "", sql -> {
            sql.run("postgres", "CREATE DATABASE atlas");
            sql.run("atlas", "CREATE EXTENSION postgis");
            sql.run("atlas", "CREATE TABLE places (id int PRIMARY KEY, name text, geom geometry(Point, 4326))");
            sql.run("atlas", "INSERT INTO places SELECT g, 'place ' || g, ST_SetSRID(ST_MakePoint((g % 90) * 0.25, "
                    + "40 + (g % 70) * 0.25), 4326) FROM generate_series(1, 4000) g");
            sql.run("atlas", "CREATE INDEX places_geom ON places USING gist (geom)");
            sql.run("atlas", "ANALYZE places");
            near[0] = sql.run("atlas", NEAR);
            // as if made with PostGIS 3.3.0: the catalog's version is older than the installed 3.3.2
            sql.run("atlas", "UPDATE pg_extension SET extversion = '3.3.0' WHERE extname = 'postgis'");
        });
        nearInSource = near[0];
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        target = ServicePg.init(15, Locales.EN_US).start();
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            stopRestored();
            target.close();
        }
        TestUser.delete(work);
    }

    private static void stopRestored() {
        try {
            Cmd.run(List.of("runuser", "-u", "postgres", "--", PgCluster.binDir(15).resolve("pg_ctl").toString(), "stop",
                    "-w", "-D", target.dataDir().toString(), "-m", "fast"));
        } catch (AssertionError notRunning) {
            // stopped already
        }
    }

    private static String[] args(String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("recover", backup.toString(), "--select", DebianCluster.SELECT,
                "--strategy", "direct", "--target-bin", PgCluster.binDir(15).toString(),
                "--target-data", target.dataDir().toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(target.port())));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static Jar.Run dbrescue(Path home, String... args) {
        return Jar.run(Map.of("XDG_STATE_HOME", home.resolve("state").toString(), "XDG_CONFIG_HOME",
                home.resolve("config").toString(), "PGPASSWORD", DebianCluster.POSTGRES_PASSWORD), args);
    }

    /**
     * A Debian target: the new system's own cluster made by pg_createcluster (configuration in /etc/postgresql/15/NAME,
     * running). The old configuration goes there, the target's own files kept beside, its system values (pid file,
     * cluster name, port) kept — and Debian's own tools still drive the restored cluster (pg_ctlcluster stops it).
     */
    @Test
    void intoADebianTargetTheConfigurationGoesToEtcAndPgCtlclusterStillWorks() throws Exception {
        String name = "dbrtgt" + ProcessHandle.current().pid();
        int port = FreePorts.next();
        Cmd.run(List.of("pg_createcluster", "15", name, "-p", Integer.toString(port), "--locale", Locales.EN_US));
        Path etc = Path.of("/etc/postgresql/15", name);
        Path data = Path.of("/var/lib/postgresql/15", name);
        try {
            String ownConf = java.nio.file.Files.readString(etc.resolve("postgresql.conf"));
            Cmd.run(List.of("pg_ctlcluster", "15", name, "start"));
            Path home = TestUser.newDir("home");
            Jar.Run run = dbrescue(home, "recover", backup.toString(), "--select", DebianCluster.SELECT, "--strategy",
                    "direct", "--target-data", data.toString(), "--target-host", "127.0.0.1", "--target-port",
                    Integer.toString(port), "--yes");
            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(RunResult.OK);
            String sql = "SHOW config_file";
            assertThat(DebianCluster.sql(port, "postgres", sql)).isEqualTo(etc.resolve("postgresql.conf").toString());
            assertThat(DebianCluster.sql(port, "postgres", "SHOW data_directory")).isEqualTo(data.toString());
            assertThat(DebianCluster.sql(port, "postgres", "SHOW hba_file")).isEqualTo(etc.resolve("pg_hba.conf").toString());
            assertThat(DebianCluster.sql(port, "postgres", "SHOW external_pid_file"))
                    .isEqualTo("/var/run/postgresql/15-" + name + ".pid");
            assertThat(DebianCluster.sql(port, "postgres", "SHOW cluster_name")).isEqualTo("15/" + name);
            assertThat(DebianCluster.sql(port, "postgres", "SHOW work_mem")).isEqualTo("12MB");
            assertThat(DebianCluster.sql(port, "postgres", "SHOW statement_timeout")).isEqualTo("42s");
            assertThat(DebianCluster.withPassword(port, "clerk", DebianCluster.CLERK_PASSWORD, "ledger",
                    "SELECT count(*) FROM entries")).isEqualTo("1234");
            assertThat(DebianCluster.peer(TestUser.NAME, port, "clerk", "ledger", "SELECT current_user")).isEqualTo("clerk");
            assertThat(DebianCluster.sql(port, "atlas", NEAR)).isEqualTo(nearInSource);
            // the new system's own files are kept beside the carried ones
            try (var files = java.nio.file.Files.list(etc)) {
                Path kept = files.filter(p -> p.getFileName().toString().startsWith("postgresql.conf.before-dbrescue-"))
                        .findFirst().orElseThrow(() -> new AssertionError("no safety copy of postgresql.conf in " + etc));
                assertThat(java.nio.file.Files.readString(kept)).isEqualTo(ownConf);
            }
            // Debian's tools still drive it
            Cmd.run(List.of("pg_ctlcluster", "15", name, "stop"));
            Cmd.run(List.of("pg_ctlcluster", "15", name, "start"));
            assertThat(DebianCluster.sql(port, "ledger", "SELECT count(*) FROM entries")).isEqualTo("1234");
            assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        } finally {
            DebianCluster.drop(name);
            try (var left = java.nio.file.Files.list(Path.of("/var/lib/postgresql/15"))) {
                left.filter(p -> p.getFileName().toString().startsWith(name + ".before-dbrescue-")).forEach(DebianCluster::remove);
            }
        }
    }

    @Test
    void theOldConfigurationComesAlongAndThePostgisDataAnswers() throws Exception {
        Path home = TestUser.newDir("home");
        int port = target.port();
        // the dry run shows each adapted file as a diff
        Jar.Run plan = dbrescue(home, args("--dry-run"));
        String out = plan.stdout();
        assertThat(plan.exitCode()).as(out + plan.stderr()).isEqualTo(RunResult.OK);
        assertThat(out).contains("pg-config").contains("| +++ " + target.dataDir().resolve("postgresql.conf"))
                .contains("| -data_directory = '/var/lib/postgresql/15/")
                .contains("| +#data_directory = ")
                .contains("| -port = ").contains("| +port = " + port)
                .contains("| = " + target.dataDir().resolve("conf.d/tuning.conf") + ": carried as it is")
                .contains("[pass] preload-libraries");
        assertThat(out).containsPattern("\\| = " + target.dataDir().resolve("pg_hba.conf") + ": carried as it is");

        Jar.Run run = dbrescue(home, args("--yes"));
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(RunResult.OK);
        // the old login rules: clerk by password over TCP, the test user as clerk through the pg_ident map
        assertThat(DebianCluster.withPassword(port, "clerk", DebianCluster.CLERK_PASSWORD, "ledger",
                "SELECT count(*) FROM entries")).isEqualTo("1234");
        assertThat(DebianCluster.peer(TestUser.NAME, port, "clerk", "ledger", "SELECT current_user")).isEqualTo("clerk");
        // the owner still gets in by peer through the socket (in /var/run/postgresql, as the old server's was)
        assertThat(target.psql("postgres", "SELECT current_user")).isEqualTo("postgres");
        // the old settings are in effect: conf.d, ALTER SYSTEM, the preloaded library; the port is the target's
        assertThat(target.psql("postgres", "SHOW work_mem")).isEqualTo("12MB");
        assertThat(target.psql("postgres", "SHOW statement_timeout")).isEqualTo("42s");
        assertThat(target.psql("postgres", "SHOW shared_preload_libraries")).isEqualTo("pg_stat_statements");
        assertThat(target.psql("postgres", "SHOW config_file")).isEqualTo(target.dataDir().resolve("postgresql.conf")
                .toString());
        // PostGIS: the same answer through the GiST index, the extension at the installed version
        target.psql("atlas", "SET enable_seqscan = off");
        assertThat(target.psql("atlas", NEAR)).isEqualTo(nearInSource);
        assertThat(target.psql("atlas", "SET enable_seqscan = off; EXPLAIN " + NEAR)).contains("places_geom");
        assertThat(target.psql("atlas", "SELECT extversion FROM pg_extension WHERE extname = 'postgis'"))
                .isEqualTo(target.psql("atlas", "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'"));
        assertThat(run.stdout()).contains("extensionsUpdated").contains("postgis_extensions_upgrade");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }
}
