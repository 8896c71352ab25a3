package io.dbrescue.postgres;

import io.dbrescue.testing.FreePorts;
import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestImages;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostGIS data of a Debian-made PostgreSQL 15 cluster (Debian 12's postgresql-15-postgis-3, en_US.UTF-8, the user's
 * pg_stat_statements preloaded) moved by the container strategy's dump path into a PostgreSQL 18 with PostGIS
 * (Debian sid's postgresql-18-postgis-3, in a container on the host's network: no PostGIS 18 runs on this host).
 * The old server needs PostGIS to read the geometry column: without an image that has it the pre-flight must say
 * which extension, where, and how to provide one; with images.postgresql_extensions naming one, the rows and the
 * GiST index arrive and answer the same ST_DWithin query, and the old server ran with its preloaded library.
 *
 * <p>Images: localhost/dbrescue-test/postgres-postgis:15 and :18 (build-images.sh, built here when missing).
 * The fixture clears Debian 15.20's pg_attver column options, which PostgreSQL 18 refuses (another change).
 */
class PgPostgisContainerIT {
    static final String GIS_15 = TestImages.PREFIX + "postgres-postgis:15";
    static final String GIS_18 = TestImages.PREFIX + "postgres-postgis:18";
    static final String PASSWORD = "gis-target-secret";
    static final String NEAR = PgConfigDirectIT.NEAR;
    static Path work;
    static Path backup;
    static Map<String, String> before;
    static String nearInSource;
    static String targetName;
    static int port;

    @BeforeAll
    static void fixtures() throws Exception {
        TestImages.ensure(TestImages.POSTGRES_15);
        TestImages.ensure(TestImages.POSTGRES_18);
        TestImages.ensure(GIS_15);
        TestImages.ensure(GIS_18);
        work = TestUser.newDir("pg-postgis");
        backup = work.resolve("backup");
        String[] near = new String[1];
        DebianCluster.make(backup, "", sql -> {
            sql.run("postgres", "CREATE DATABASE atlas");
            sql.run("atlas", "CREATE EXTENSION postgis");
            sql.run("atlas", "CREATE TABLE places (id int PRIMARY KEY, name text, geom geometry(Point, 4326))");
            sql.run("atlas", "INSERT INTO places SELECT g, 'place ' || g, ST_SetSRID(ST_MakePoint((g % 90) * 0.25, "
                    + "40 + (g % 70) * 0.25), 4326) FROM generate_series(1, 4000) g");
            sql.run("atlas", "CREATE INDEX places_geom ON places USING gist (geom)");
            near[0] = sql.run("atlas", NEAR);
            for (String db : List.of("postgres", "ledger", "atlas", "template1")) {
                sql.run(db, "UPDATE pg_attribute SET attoptions = NULL WHERE attoptions::text LIKE '%pg_attver%'");
            }
        });
        nearInSource = near[0];
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        startTarget();
    }

    /** PostgreSQL 18 with PostGIS in a container on the host's network, listening on 127.0.0.1:port. */
    private static void startTarget() throws Exception {
        port = FreePorts.next();
        targetName = "dbrescue-test-pg18gis-" + ProcessHandle.current().pid();
        Cmd.run(List.of("podman", "run", "-d", "--rm", "--name", targetName, "--network=host", "--user", "postgres",
                "--entrypoint", "/bin/sh", GIS_18, "-c", "printf '%s\\n' '" + PASSWORD + "' > /tmp/pw && "
                        + "initdb -D /tmp/data -U postgres --pwfile=/tmp/pw -E UTF8 --locale=en_US.UTF-8 "
                        + "--auth-local=peer --auth-host=scram-sha-256 >/tmp/initdb.log && exec postgres -D /tmp/data "
                        + "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=/tmp"));
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (true) {
            try {
                DebianCluster.withPassword(port, "postgres", PASSWORD, "postgres", "SELECT 1");
                return;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the PostGIS 18 target did not start: "
                            + Cmd.run(List.of("podman", "logs", targetName)), notYet);
                }
                Thread.sleep(300);
            }
        }
    }

    @AfterAll
    static void cleanUp() {
        if (targetName != null) {
            try {
                Cmd.run(List.of("podman", "rm", "-f", "-t", "5", targetName));
            } catch (AssertionError gone) {
                // removed already
            }
        }
        TestUser.delete(work);
    }

    private static Jar.Run dbrescue(Path home, boolean withGisImage, String... extra) {
        List<String> a = new ArrayList<>(List.of("--set", "images.postgresql=" + TestImages.PREFIX + "postgres:{major}"));
        if (withGisImage) {
            a.addAll(List.of("--set", "images.postgresql_extensions=postgis=" + TestImages.PREFIX + "postgres-postgis:{major}"));
        }
        a.addAll(List.of("recover", backup.toString(), "--select", DebianCluster.SELECT, "--strategy", "container",
                "--upgrade-method", "dump", "--target-bin", PgCluster.binDir(18).toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(port), "--target-user", "postgres"));
        a.addAll(List.of(extra));
        return Jar.run(Map.of("XDG_STATE_HOME", home.resolve("state").toString(), "XDG_CONFIG_HOME",
                home.resolve("config").toString(), "PGPASSWORD", PASSWORD), a.toArray(String[]::new));
    }

    @Test
    void withoutAnImageThatHasPostgisThePreflightSaysWhichAndHow() {
        Jar.Run plan = dbrescue(TestUser.newDir("home"), false, "--dry-run");
        assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isEqualTo(RunResult.PREFLIGHT_FAILED);
        assertThat(plan.stdout()).contains("[fail] old-server-extensions: The old databases use postgis (in atlas), which "
                + "the image " + TestImages.POSTGRES_15 + " does not have")
                .contains("images.postgresql_extensions").contains("apt-get install -y postgresql-15-postgis-3");
    }

    @Test
    void postgisRowsAndIndexArriveAndAnswerTheSameQuery() throws Exception {
        Path home = TestUser.newDir("home");
        Jar.Run plan = dbrescue(home, true, "--dry-run");
        assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isEqualTo(RunResult.OK);
        assertThat(plan.stdout()).contains("[pass] old-server-extensions").contains(GIS_15)
                .contains("[pass] old-server-preload: The old server preloads pg_stat_statements")
                // the dump path leaves the running target's configuration alone and says what is not applied
                .contains("[warn] configuration").contains("work_mem = '12MB'");

        Jar.Run run = dbrescue(home, true, "--yes");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(RunResult.OK);
        assertThat(run.stdout()).contains("oldServerPreloaded: pg_stat_statements");
        assertThat(gis("SELECT count(*) FROM places")).isEqualTo("4000");
        assertThat(gis(NEAR)).isEqualTo(nearInSource);
        assertThat(gis("SET enable_seqscan = off; EXPLAIN " + NEAR)).contains("places_geom");
        assertThat(DebianCluster.withPassword(port, "clerk", DebianCluster.CLERK_PASSWORD, "ledger",
                "SELECT count(*) FROM entries")).isEqualTo("1234");
        // the owner of the target still gets in by peer (its configuration was not touched)
        assertThat(Cmd.run(List.of("podman", "exec", "--user", "postgres", targetName, "psql", "-X", "-A", "-t", "-h",
                "/tmp", "-p", Integer.toString(port), "-d", "postgres", "-c", "SELECT current_user")).strip())
                .isEqualTo("postgres");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        assertThat(TestImages.containersOfRun(PgConfigUpgradeIT.runId(run))).isEmpty();
    }

    private static String gis(String sql) {
        return DebianCluster.withPassword(port, "postgres", PASSWORD, "atlas", sql);
    }
}
