package io.dbrescue.postgres;

import io.dbrescue.cli.CliRun;
import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestImages;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pg_upgrade path end to end, for the version pair this machine can run: a PostgreSQL 15 cluster
 * (zonky 15.15, no data checksums) in a backup becomes the PostgreSQL 18 cluster of a target whose
 * server runs (zonky 18, made with checksums off so that its data directory is a fresh cluster to
 * replace). pg_upgrade 18 runs in a locally built image that holds both versions (Debian sid's
 * postgresql-18 plus the 15 programs), as the unprivileged test user, with --link on a copy next to the
 * target. Afterwards: the rows, the extension, the password of the superuser, checksums off like the
 * old cluster, the target's former data directory kept as the safety copy, no working folder and no
 * container left, the backup unchanged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgUpgradeIT {
    static final String SELECT = "var/lib/postgresql/15/main";
    static final String PASSWORD = "upgrade-secret-15";
    static Path work;
    static Path backup;
    static Map<String, String> before;
    static PgCluster target;
    static Path targetData;
    static Path home;

    @BeforeAll
    static void makeBackup() throws Exception {
        TestImages.ensure(TestImages.POSTGRES_UPGRADE_15_18);
        work = TestUser.newDir("pg-upgrade");
        backup = work.resolve("backup");
        Path data = backup.resolve(SELECT);
        Files.createDirectories(data.getParent());
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(15, PgCluster.zonkyBinDir(15), data).start()) {
            c.psql("postgres", "CREATE ROLE app LOGIN PASSWORD 'app-pw'");
            c.psql("postgres", "CREATE DATABASE inventory OWNER app");
            c.psql("inventory", "CREATE EXTENSION hstore");
            c.psql("inventory", "CREATE TABLE parts (id int PRIMARY KEY, name text, props hstore, made date)");
            c.psql("inventory", "INSERT INTO parts SELECT g, 'part ' || g, hstore('size', (g % 5)::text), "
                    + "date '2020-01-01' + g FROM generate_series(1, 5000) g");
            c.psql("inventory", "CREATE INDEX ON parts (name)");
            c.psql("inventory", "ALTER TABLE parts OWNER TO app");
            c.psql("postgres", "CREATE TABLE notes AS SELECT g AS id, md5(g::text) AS body FROM generate_series(1, 700) g");
            // an index on an ICU collation: the new cluster's ICU (Debian sid's, through initdb in the image) differs
            // from the server that runs it afterwards (zonky's ICU 60), so the version check must rebuild it
            c.psql("inventory", "CREATE TABLE labels (name text COLLATE \"en-x-icu\")");
            c.psql("inventory", "INSERT INTO labels SELECT 'label ' || g FROM generate_series(1, 300) g");
            c.psql("inventory", "CREATE INDEX labels_name ON labels (name)");
            c.psql("postgres", "ALTER ROLE postgres PASSWORD '" + PASSWORD + "'");
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        targetData = TestUser.newDir("pg18-upgrade-target").resolve("data");
        target = PgCluster.init(18, targetData, "--no-data-checksums").start();
        home = Files.createTempDirectory("dbrescue-home");
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
        TestUser.delete(targetData.getParent());
    }

    @AfterEach
    void backupUnchangedAndNoContainerLeft() throws Exception {
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        assertThat(TestImages.containersOfRunsIn(home)).as("no container of these runs is left").isEmpty();
    }

    /** What the environment gives dbrescue as passwords (PGPASSWORD=… dbrescue recover …). */
    static Map<String, String> passwords = Map.of();

    static CliRun recover(String... extra) {
        List<String> a = new ArrayList<>(List.of("--set",
                "images.postgresql_upgrade=" + TestImages.PREFIX + "postgres-upgrade:{old}-{new}",
                "recover", backup.toString(), "--select", SELECT, "--strategy", "container",
                "--target-bin", PgCluster.binDir(18).toString(), "--target-data", targetData.toString(),
                "--target-host", "127.0.0.1", "--target-port", Integer.toString(target.port()), "--target-user", "postgres",
                "--run-as", TestUser.NAME));
        a.addAll(List.of(extra));
        return CliRun.run(home, passwords, a.toArray(String[]::new));
    }

    /** psql 15 against the upgraded server, which asks for the password now (scram-sha-256 on TCP). */
    static String psql(String db, String sql) {
        String out = Cmd.run(List.of("/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(target.port()), "-U", "postgres", "-d", db, "-c", sql),
                null, Map.of("PGPASSWORD", PASSWORD));
        return out.strip();
    }

    @Test
    @Order(1)
    void autoChoosesPgUpgradeForAnEmptyTargetAndTheDryRunShowsItsCommands() {
        CliRun r = recover("--dry-run");
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.out).contains("pg_upgrade 18 makes a new cluster from a copy")
                .contains("Chosen because the image " + TestImages.POSTGRES_UPGRADE_15_18 + " holds both versions")
                .contains("--entrypoint /usr/lib/postgresql/18/bin/initdb " + TestImages.POSTGRES_UPGRADE_15_18)
                .contains("--no-data-checksums")
                .contains("-b /usr/lib/postgresql/15/bin -B /usr/lib/postgresql/18/bin")
                .contains("--check")
                .contains("--link")
                .contains("vacuumdb --analyze-in-stages")
                .contains("[pass] extensions: PostgreSQL 18 has the extensions the old databases use (hstore");
        assertThat(target.isRunning()).isTrue();
        assertThat(target.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'inventory'")).isEqualTo("0");
    }

    @Test
    @Order(2)
    void pg15BecomesThePg18ClusterThroughPgUpgradeInAnImage() throws Exception {
        passwords = Map.of("PGPASSWORD", PASSWORD); // the upgraded cluster asks for it from here on
        CliRun r = recover("--upgrade-method", "pg-upgrade", "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.OK);
        assertThat(psql("postgres", "SHOW server_version")).startsWith("18.");
        assertThat(psql("inventory", "SELECT count(*) FROM parts")).isEqualTo("5000");
        assertThat(psql("inventory", "SELECT props -> 'size' FROM parts WHERE id = 12")).isEqualTo("2");
        assertThat(psql("inventory", "SELECT tableowner FROM pg_tables WHERE tablename = 'parts'")).isEqualTo("app");
        assertThat(psql("postgres", "SELECT count(*) FROM notes")).isEqualTo("700");
        assertThat(psql("postgres", "SHOW data_checksums")).isEqualTo("off");
        assertThat(psql("inventory", "SELECT count(*) FROM pg_stats WHERE tablename = 'parts'")).isNotEqualTo("0");
        assertThat(r.out).contains("indexesRebuilt: 1").contains("inventory.\"en-x-icu\" (");
        assertThat(psql("inventory", "SELECT collversion = pg_collation_actual_version(oid) FROM pg_collation "
                + "WHERE collname = 'en-x-icu'")).isEqualTo("t");
        assertThat(psql("inventory", "SELECT count(*) FROM labels WHERE name = 'label 42'")).isEqualTo("1");
        try (Stream<Path> s = Files.list(targetData.getParent())) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(n -> n.startsWith("data.before-dbrescue-"));
            assertThat(names).noneMatch(n -> n.contains("dbrescue-upgrade"));
        }
        assertThat(r.out + r.err).doesNotContain(PASSWORD);
    }
}
