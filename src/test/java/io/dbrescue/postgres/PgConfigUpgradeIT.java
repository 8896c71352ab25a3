package io.dbrescue.postgres;

import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.ServicePg;
import io.dbrescue.testing.TestImages;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pg_upgrade path (15 → 18 in the image holding both versions) into a PostgreSQL 18 started like a
 * distribution's service: the upgraded cluster must not run with initdb's configuration but with the old
 * cluster's — made by Debian's pg_createcluster (C.UTF-8: the upgrade image has no other locale; locales in images
 * are another change) with a conf.d holding settings PostgreSQL 18 no longer knows — adapted: its login rules, its
 * conf.d and ALTER SYSTEM settings in effect, the removed settings turned off or renamed, the service's port and
 * socket.
 *
 * <p>Debian 15.20 writes pg_attver into every column's options, which PostgreSQL 18 refuses; that is another change
 * (pg-locale), so the fixture clears it as superuser before it stops. The postgres roles have a password, given as
 * PGPASSWORD: dbrescue logs in over TCP on main (peer logins as root are another change, pg-login).
 */
class PgConfigUpgradeIT {
    static final Pattern RUN_ID = Pattern.compile("runs/([^/\\s]+)/");
    static Path work;
    static Path backup;
    static Map<String, String> before;
    static ServicePg target;

    @BeforeAll
    static void fixtures() throws Exception {
        TestImages.ensure(TestImages.POSTGRES_UPGRADE_15_18);
        work = TestUser.newDir("pg-config-upgrade");
        backup = work.resolve("backup");
        DebianCluster.make(backup, "C.UTF-8", "vacuum_defer_cleanup_age = 0\nforce_parallel_mode = off\n", sql -> {
            for (String db : List.of("postgres", "ledger", "template1")) {
                sql.run(db, "UPDATE pg_attribute SET attoptions = NULL WHERE attoptions::text LIKE '%pg_attver%'");
            }
        });
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        target = ServicePg.init(18, "C.UTF-8").start();
        target.psql("postgres", "ALTER ROLE postgres PASSWORD '" + DebianCluster.POSTGRES_PASSWORD + "'");
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            try {
                Cmd.run(List.of("runuser", "-u", "postgres", "--", PgCluster.binDir(18).resolve("pg_ctl").toString(),
                        "stop", "-w", "-D", target.dataDir().toString(), "-m", "fast"));
            } catch (AssertionError notRunning) {
                // stopped already
            }
            target.close();
        }
        TestUser.delete(work);
    }

    private static Jar.Run dbrescue(Path home, String... extra) {
        List<String> a = new ArrayList<>(List.of("--set", "images.postgresql=" + TestImages.PREFIX + "postgres:{major}",
                "--set", "images.postgresql_upgrade=" + TestImages.PREFIX + "postgres-upgrade:{old}-{new}",
                "recover", backup.toString(), "--select", DebianCluster.SELECT, "--strategy", "container",
                "--upgrade-method", "pg-upgrade", "--target-bin", PgCluster.binDir(18).toString(),
                "--target-data", target.dataDir().toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(target.port()), "--target-user", "postgres"));
        a.addAll(List.of(extra));
        return Jar.run(Map.of("XDG_STATE_HOME", home.resolve("state").toString(), "XDG_CONFIG_HOME",
                home.resolve("config").toString(), "PGPASSWORD", DebianCluster.POSTGRES_PASSWORD), a.toArray(String[]::new));
    }

    @Test
    void theUpgradedClusterRunsWithTheOldConfigurationNotInitdbs() throws Exception {
        Path home = TestUser.newDir("home");
        int port = target.port();
        Path data = target.dataDir();
        Jar.Run plan = dbrescue(home, "--dry-run");
        assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isEqualTo(RunResult.OK);
        assertThat(plan.stdout()).contains("pg_upgrade --link")
                .contains("| +++ " + data.resolve("conf.d/tuning.conf"))
                .contains("| -vacuum_defer_cleanup_age = 0")
                .contains("| +#vacuum_defer_cleanup_age = 0\t# dbrescue: PostgreSQL 18 does not know it")
                .contains("| +debug_parallel_query = off\t# dbrescue: was force_parallel_mode")
                .contains("[pass] preload-libraries");

        Jar.Run run = dbrescue(home, "--yes");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(RunResult.OK);
        String runId = runId(run);
        assertThat(DebianCluster.withPassword(port, "clerk", DebianCluster.CLERK_PASSWORD, "ledger",
                "SELECT count(*) FROM entries")).isEqualTo("1234");
        assertThat(DebianCluster.peer(TestUser.NAME, port, "clerk", "ledger", "SELECT current_user")).isEqualTo("clerk");
        assertThat(target.psql("postgres", "SELECT current_user")).isEqualTo("postgres");
        assertThat(target.psql("postgres", "SELECT version()")).contains("PostgreSQL 18");
        assertThat(target.psql("postgres", "SHOW work_mem")).isEqualTo("12MB");
        assertThat(target.psql("postgres", "SHOW statement_timeout")).isEqualTo("42s");
        assertThat(target.psql("postgres", "SHOW shared_preload_libraries")).isEqualTo("pg_stat_statements");
        assertThat(target.psql("postgres", "SHOW port")).isEqualTo(Integer.toString(port));
        assertThat(target.psql("postgres", "SHOW unix_socket_directories")).isEqualTo("/var/run/postgresql");
        // Debian's file (its cluster_name, its conf.d), not initdb's
        assertThat(Files.readString(data.resolve("postgresql.conf"))).contains("include_dir = 'conf.d'")
                .containsPattern("(?m)^cluster_name = '15/");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        assertThat(TestImages.containersOfRun(runId)).isEmpty();
    }

    static String runId(Jar.Run r) {
        Matcher m = RUN_ID.matcher(r.stdout());
        String id = null;
        while (m.find()) {
            id = m.group(1);
        }
        assertThat(id).as("a run id in " + r.stdout()).isNotNull();
        return id;
    }
}
