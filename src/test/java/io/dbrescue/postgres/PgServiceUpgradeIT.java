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
 * the image that holds 15 and 18; Debian's 15 is installed here, no 18 programs beyond the server's). The old
 * cluster is made the way a distribution makes one (Debian's pg_hba.conf: peer through the socket, scram-sha-256
 * over TCP; a role with a password, and one whose md5 password hash from older days its own md5 line lets in). The
 * upgraded cluster runs with the old cluster's login rules, carried (its roles and their password hashes are the old
 * cluster's): the owner logs in by peer, the roles with their passwords from 127.0.0.1; the pre-flight proves the
 * logins of the steps after the swap against those carried rules, and a login that would be impossible afterwards
 * stops the run in the pre-flight, before anything is stopped or moved.
 */
class PgServiceUpgradeIT {
    static final String SELECT = "var/lib/postgresql/15/main";
    static Path work;
    static Path backup;
    static Path backupAlice;
    static Map<String, String> before;
    static Map<String, String> beforeAlice;
    static final String OLD_HBA = """
            # Database administrative login by Unix domain socket
            local   all             postgres                                peer
            # TYPE  DATABASE        USER            ADDRESS                 METHOD
            local   all             all                                     peer
            host    postgres        legacy          127.0.0.1/32            md5
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     peer
            host    replication     all             127.0.0.1/32            scram-sha-256
            """;

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
            // an md5 hash, as roles made before scram-sha-256 became the default (PostgreSQL 13 and older) have
            c.psql("postgres", "SET password_encryption = 'md5'; CREATE ROLE legacy LOGIN PASSWORD 'legacy-pw-13'");
            c.psql("postgres", "CREATE DATABASE inventory OWNER app");
            c.psql("inventory", "CREATE TABLE parts (id int PRIMARY KEY, name text, made date)");
            c.psql("inventory", "INSERT INTO parts SELECT g, 'part ' || g, date '2020-01-01' + g FROM generate_series(1, 5000) g");
            c.psql("inventory", "CREATE INDEX ON parts (name)");
            c.psql("inventory", "ALTER TABLE parts OWNER TO app");
            c.psql("postgres", "CREATE TABLE notes AS SELECT g AS id, md5(g::text) AS body FROM generate_series(1, 700) g");
        }
        // the logins as Debian's pg_createcluster writes them (the lab's trust was only for filling it), with the
        // legacy role's md5 line first
        Files.writeString(backup.resolve(SELECT).resolve("pg_hba.conf"), OLD_HBA);
        // a cluster whose only superuser is alice (initdb -U alice, as on a machine where alice ran initdb), with a
        // distribution's logins: after pg_upgrade there is no role postgres, no OS user alice here to log in as by
        // peer, and no password for alice over TCP
        PgCluster.init(15, PgCluster.zonkyBinDir(15), backupAlice.resolve(SELECT), "-U", "alice",
                "--auth-local=peer", "--auth-host=scram-sha-256").close();
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
            Path hba = target.dataDir().resolve("pg_hba.conf");
            // the proof reads the rules the cluster will have: the old ones, carried (the target's are not in effect)
            String proof = "[pass] login-after-upgrade: After the upgrade dbrescue logs in as postgres through the socket "
                    + ServicePg.SOCKET_DIR + " by peer (as the OS user postgres), no password: the carried pg_hba.conf ("
                    + hba + ") lets postgres in by peer as the OS user postgres through the socket.";
            assertThat(plan.stdout()).contains("→ container: PostgreSQL 15 data, and the server that answers on port "
                    + target.port() + " is PostgreSQL 18.").contains("Chosen because the image "
                    + TestImages.POSTGRES_UPGRADE_15_18 + " holds both versions").contains(proof)
                    .contains("| = " + hba + ": carried as it is (from " + backup.resolve(SELECT).resolve("pg_hba.conf")
                            + ")");
            String targetsOwnHba = Files.readString(hba);
            Jar.Run r = dbrescue(ServiceRuns.home(), args(images(true), "recover", backup.toString(), "--select", SELECT,
                    "--target-port", Integer.toString(target.port()), "--yes"));
            assertThat(r.exitCode()).as(both(r)).isEqualTo(RunResult.OK);
            assertThat(r.stdout()).contains("pg_upgrade 18 makes a new cluster").contains(proof)
                    .contains("Configuration carried from " + backup.resolve(SELECT) + " into " + target.dataDir());
            // the owner by peer, as before
            assertThat(target.psql("postgres", "SELECT current_setting('server_version_num')::int / 10000")).isEqualTo("18");
            assertThat(target.psql("inventory", "SELECT count(*), max(made) FROM parts")).isEqualTo("5000|2033-09-09");
            assertThat(target.psql("postgres", "SELECT count(*) FROM notes")).isEqualTo("700");
            assertThat(target.psql("inventory", "SELECT tableowner FROM pg_tables WHERE tablename = 'parts'")).isEqualTo("app");
            // the login roles with their passwords over TCP, by the old cluster's rules: scram-sha-256 for app, and
            // md5 for legacy, whose md5 hash the target's scram-only rule would refuse
            assertThat(ServiceRuns.psqlWithPassword(target.port(), "app", "app-pw-15", "inventory",
                    "SELECT count(*) FROM parts")).isEqualTo("5000");
            assertThat(ServiceRuns.psqlWithPassword(target.port(), "legacy", "legacy-pw-13", "postgres",
                    "SELECT current_user")).isEqualTo("legacy");
            // the old cluster's rules, carried as they were (they let the owner in by peer: nothing added), not the
            // target's and not pg_upgrade's working "trust"
            assertThat(Files.readString(hba)).isEqualTo(OLD_HBA);
            try (Stream<Path> s = Files.list(target.dataDir().getParent())) {
                List<Path> kept = s.filter(p -> p.getFileName().toString().startsWith("main.before-dbrescue-")).toList();
                assertThat(kept).hasSize(1);
                // the target's own rules are in its safety copy
                assertThat(Files.readString(kept.get(0).resolve("pg_hba.conf"))).isEqualTo(targetsOwnHba);
            }
            try (Stream<Path> s = Files.list(target.dataDir().getParent())) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("dbrescue-upgrade"));
            }
            assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
            assertThat(TestImages.containersOfRun(ServiceRuns.runId(r))).isEmpty();
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
