package io.dbrescue.postgres;

import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.Locales;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.dbrescue.postgres.ServiceRuns.args;
import static io.dbrescue.postgres.ServiceRuns.both;
import static io.dbrescue.postgres.ServiceRuns.dbrescue;
import static io.dbrescue.postgres.ServiceRuns.images;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pg_upgrade path into a PostgreSQL 18 set up like a distribution's service ({@link ServicePg}: OS user
 * postgres, socket in /var/run/postgresql, local peer, the postgres role without a password), as root with
 * only --target-port and the images a user names: the target's cluster is empty, so pg_upgrade is chosen (in
 * the image that holds 15 and 18; Debian's 15 is installed here, no 18 programs beyond the server's). Every
 * step after the swap logs in by peer as before — the new cluster keeps the target's pg_hba.conf — and a login
 * that would be impossible afterwards stops the run in the pre-flight, before anything is stopped or moved.
 */
class PgServiceUpgradeIT {
    static final String SELECT = "var/lib/postgresql/15/main";
    static Path work;
    static Path backup;
    static Path backupAlice;
    static Map<String, String> before;
    static Map<String, String> beforeAlice;

    @BeforeAll
    static void fixtures() throws Exception {
        TestImages.ensure(TestImages.POSTGRES_UPGRADE_15_18);
        work = TestUser.newDir("pg-service-upgrade");
        backup = work.resolve("backup");
        backupAlice = work.resolve("backup-alice");
        Files.createDirectories(backup.resolve(SELECT).getParent());
        Files.createDirectories(backupAlice.resolve(SELECT).getParent());
        TestUser.chown(work);
        // zonky's 15: Debian 15.20's pg_attver column option stops pg_upgrade 18 (another item of the issue)
        try (PgCluster c = PgCluster.init(15, PgCluster.zonkyBinDir(15), backup.resolve(SELECT)).start()) {
            c.psql("postgres", "CREATE ROLE app LOGIN PASSWORD 'app-pw-15'");
            c.psql("postgres", "CREATE DATABASE inventory OWNER app");
            c.psql("inventory", "CREATE TABLE parts (id int PRIMARY KEY, name text, made date)");
            c.psql("inventory", "INSERT INTO parts SELECT g, 'part ' || g, date '2020-01-01' + g FROM generate_series(1, 5000) g");
            c.psql("inventory", "CREATE INDEX ON parts (name)");
            c.psql("inventory", "ALTER TABLE parts OWNER TO app");
            c.psql("postgres", "CREATE TABLE notes AS SELECT g AS id, md5(g::text) AS body FROM generate_series(1, 700) g");
        }
        // a cluster whose only superuser is alice (initdb -U alice, as on a machine where alice ran initdb): after
        // pg_upgrade there is no role postgres, and no OS user alice here to log in as by peer
        PgCluster.init(15, PgCluster.zonkyBinDir(15), backupAlice.resolve(SELECT), "-U", "alice").close();
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString(), backupAlice.toString()));
        before = Trees.snapshot(backup);
        beforeAlice = Trees.snapshot(backupAlice);
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(work);
    }

    @Test
    void pg15BecomesTheServicesPg18ClusterAndEveryLoginStaysAsItWas() throws Exception {
        try (ServicePg target = ServicePg.init(18, Locales.EN_US).start()) {
            Jar.Run plan = dbrescue(ServiceRuns.home(), args(images(true), "plan", backup.toString(), "--select", SELECT,
                    "--target-port", Integer.toString(target.port())));
            assertThat(plan.exitCode()).as(both(plan)).isZero();
            assertThat(plan.stdout()).contains("→ container: PostgreSQL 15 data, and the server that answers on port "
                    + target.port() + " is PostgreSQL 18.").contains("Chosen because the image "
                    + TestImages.POSTGRES_UPGRADE_15_18 + " holds both versions");
            Jar.Run r = dbrescue(ServiceRuns.home(), args(images(true), "recover", backup.toString(), "--select", SELECT,
                    "--target-port", Integer.toString(target.port()), "--yes"));
            assertThat(r.exitCode()).as(both(r)).isEqualTo(RunResult.OK);
            assertThat(r.stdout()).contains("pg_upgrade 18 makes a new cluster")
                    .contains("[pass] login-after-upgrade: After the upgrade dbrescue logs in as postgres through the socket "
                            + ServicePg.SOCKET_DIR + " by peer")
                    .contains("The new cluster keeps the target's logins");
            // the owner by peer, as before
            assertThat(target.psql("postgres", "SELECT current_setting('server_version_num')::int / 10000")).isEqualTo("18");
            assertThat(target.psql("inventory", "SELECT count(*), max(made) FROM parts")).isEqualTo("5000|2033-09-09");
            assertThat(target.psql("postgres", "SELECT count(*) FROM notes")).isEqualTo("700");
            assertThat(target.psql("inventory", "SELECT tableowner FROM pg_tables WHERE tablename = 'parts'")).isEqualTo("app");
            // a login role with its password over TCP (the service's scram-sha-256 line, carried over)
            assertThat(ServiceRuns.psqlWithPassword(target.port(), "app", "app-pw-15", "inventory",
                    "SELECT count(*) FROM parts")).isEqualTo("5000");
            // the service's own logins, not pg_upgrade's working "trust"
            assertThat(Files.readAllLines(target.dataDir().resolve("pg_hba.conf")).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.replaceAll("\\s+", " ")).toList())
                    .contains("local all all peer", "host all all 127.0.0.1/32 scram-sha-256")
                    .noneMatch(l -> l.endsWith("trust"));
            try (Stream<Path> s = Files.list(target.dataDir().getParent())) {
                List<String> names = s.map(p -> p.getFileName().toString()).toList();
                assertThat(names).anyMatch(n -> n.startsWith("main.before-dbrescue-")).noneMatch(n -> n.contains("dbrescue-upgrade"));
            }
            assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
            assertThat(ServiceRuns.containersOf(ServiceRuns.runId(r))).isEmpty();
        }
    }

    @Test
    void aLoginImpossibleAfterTheUpgradeFailsThePreflightBeforeAnythingIsTouched() throws Exception {
        try (ServicePg target = ServicePg.init(18, Locales.EN_US).start()) {
            target.psql("postgres", "CREATE TABLE marker AS SELECT 1 AS here");
            String pidBefore = Files.readAllLines(target.dataDir().resolve("postmaster.pid")).get(0);
            Jar.Run plan = dbrescue(ServiceRuns.home(), args(images(true), "plan", backupAlice.toString(), "--select",
                    SELECT, "--target-port", Integer.toString(target.port()), "--upgrade-method", "pg-upgrade"));
            assertThat(plan.exitCode()).as(both(plan)).isEqualTo(RunResult.PREFLIGHT_FAILED);
            assertThat(plan.stdout()).contains("→ container: ").contains("[fail] login-after-upgrade: After pg_upgrade "
                    + "dbrescue must log in to the new cluster as alice");
            Jar.Run r = dbrescue(ServiceRuns.home(), args(images(true), "recover", backupAlice.toString(), "--select",
                    SELECT, "--target-port", Integer.toString(target.port()), "--upgrade-method", "pg-upgrade", "--yes"));
            assertThat(r.exitCode()).as(both(r)).isEqualTo(RunResult.PREFLIGHT_FAILED);
            assertThat(r.stderr()).contains("login-after-upgrade").contains("alice");
            assertThat(r.stdout()).doesNotContain("RESTORED").doesNotContain("FAILED  ");
            // untouched: the same server process on the same data, nothing made beside it
            assertThat(Files.readAllLines(target.dataDir().resolve("postmaster.pid")).get(0)).isEqualTo(pidBefore);
            assertThat(target.psql("postgres", "SELECT here FROM marker")).isEqualTo("1");
            try (Stream<Path> s = Files.list(target.dataDir().getParent())) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("dbrescue"));
            }
            assertThat(Trees.snapshot(backupAlice)).as("the backup is unchanged").isEqualTo(beforeAlice);
        }
    }
}
