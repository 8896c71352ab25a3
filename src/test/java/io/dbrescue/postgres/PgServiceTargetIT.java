package io.dbrescue.postgres;

import io.dbrescue.testing.FreePorts;
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

import static io.dbrescue.postgres.ServiceRuns.args;
import static io.dbrescue.postgres.ServiceRuns.both;
import static io.dbrescue.postgres.ServiceRuns.dbrescue;
import static io.dbrescue.postgres.ServiceRuns.images;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL recovered onto a workstation as distributions set it up: the target is a PostgreSQL 18 started like
 * a distribution's service ({@link ServicePg}: OS user postgres, socket in /var/run/postgresql, local peer + TCP
 * scram-sha-256, a postgres role WITHOUT a password, de_DE.UTF-8), and the only PostgreSQL programs installed
 * here are Debian 12's 15. dbrescue runs as root with nothing but --target-port (and the images a user names
 * in recovery.conf): it must find that the server on the port is 18 (not the installed 15), log in without a
 * password, and use the 18 client tools of the image.
 * <ul>
 * <li>a PostgreSQL 16 data directory goes the container strategy's dump path;</li>
 * <li>a PostgreSQL 15 cluster made by Debian's own postgresql-common (pg_createcluster: data in
 * /var/lib/postgresql/15/main, its configuration in /etc/postgresql/15/main) goes the container strategy too —
 * not "direct" into the installed 15;</li>
 * <li>a pg_dump 18 custom dump (archive 1.16, which pg_restore 15 refuses) is loaded by the image's pg_restore.</li>
 * </ul>
 * After each: rows per table equal the source's, a login role with a password logs in with it, the owner still
 * logs in by peer, the backup is unchanged, no container of the run is left.
 */
class PgServiceTargetIT {
    static final String SEL16 = "var/lib/postgresql/16/main";
    static final String SEL15 = "var/lib/postgresql/15/main";
    static final String DUMP = "home/alex/dumps/atlas.dump";
    static Path work;
    static Path backup16;
    static Path backup15;
    static Path backupDump;
    static Map<String, String> before16;
    static Map<String, String> before15;
    static Map<String, String> beforeDump;
    static ServicePg target;

    @BeforeAll
    static void fixtures() throws Exception {
        TestImages.ensure(TestImages.POSTGRES_15);
        TestImages.ensure(TestImages.POSTGRES_16);
        TestImages.ensure(TestImages.POSTGRES_18);
        work = TestUser.newDir("pg-service");
        backup16 = work.resolve("backup16");
        backup15 = work.resolve("backup15");
        backupDump = work.resolve("backup-dump");
        makePg16();
        makeDebian15();
        makeDump18();
        Cmd.run(List.of("chmod", "-R", "a+rX", backup16.toString(), backupDump.toString()));
        before16 = Trees.snapshot(backup16);
        before15 = Trees.snapshot(backup15);
        beforeDump = Trees.snapshot(backupDump);
        target = ServicePg.init(18, Locales.DE_DE).start();
        target.psql("postgres", "CREATE ROLE visitor LOGIN PASSWORD 'visitor-pw'"); // the target's own login role
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
    }

    private static void makePg16() {
        Path data = backup16.resolve(SEL16);
        mkdirs(data.getParent());
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(16, data).start()) {
            c.psql("postgres", "CREATE ROLE shopkeeper LOGIN PASSWORD 'counter-secret'");
            c.psql("postgres", "CREATE DATABASE shop OWNER shopkeeper");
            c.psql("shop", "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2), doc jsonb)");
            c.psql("shop", "INSERT INTO items SELECT g, 'item ' || g, g * 1.5, jsonb_build_object('n', g) "
                    + "FROM generate_series(1, 2500) g");
            c.psql("shop", "CREATE INDEX ON items (name)");
            c.psql("shop", "ALTER TABLE items OWNER TO shopkeeper");
            c.psql("postgres", "CREATE TABLE notes AS SELECT g AS id, 'note ' || g AS body FROM generate_series(1, 40) g");
        }
    }

    /** A cluster as Debian's postgresql-common makes it, copied into the backup the way a file backup has it. */
    private static void makeDebian15() throws Exception {
        // the C locale: the old server runs in an image without locale files (locales in images: another item)
        DebianCluster.plain(backup15, "C", port -> {
            DebianCluster.sql(port, "postgres", "CREATE ROLE clerk LOGIN PASSWORD 'ledger-secret'");
            DebianCluster.sql(port, "postgres", "CREATE DATABASE ledger OWNER clerk");
            DebianCluster.sql(port, "ledger", "CREATE TABLE entries (id bigint PRIMARY KEY, booked date, "
                    + "amount numeric(12,2), memo text)");
            DebianCluster.sql(port, "ledger", "INSERT INTO entries SELECT g, date '2023-01-01' + g % 700, g * 0.75, "
                    + "'memo ' || g FROM generate_series(1, 3300) g");
            DebianCluster.sql(port, "ledger", "ALTER TABLE entries OWNER TO clerk");
            // Debian 15.20 writes pg_attver into every column's options; PostgreSQL 18 refuses it. That is another
            // item of the issue (handled elsewhere): the fixture's own tables go without it
            for (String db : List.of("postgres", "ledger")) {
                DebianCluster.sql(port, db, "UPDATE pg_attribute SET attoptions = NULL WHERE attrelid >= 16384 "
                        + "AND attoptions::text LIKE '%pg_attver%'");
            }
        });
    }

    /** A custom-format dump written by pg_dump 18 (archive 1.16), from the image: no pg_dump 18 runs on this host. */
    private static void makeDump18() throws Exception {
        Path dumps = backupDump.resolve(DUMP).getParent();
        mkdirs(dumps);
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(18, TestUser.newDir("atlas-src").resolve("data")).start()) {
            c.psql("postgres", "CREATE DATABASE atlas");
            c.psql("atlas", "CREATE TABLE places (id int PRIMARY KEY, name text, lat float8, lon float8)");
            c.psql("atlas", "INSERT INTO places SELECT g, 'place ' || g, g / 100.0, g / 50.0 FROM generate_series(1, 1800) g");
            c.psql("atlas", "CREATE TABLE visits AS SELECT g AS id, 1 + g % 1800 AS place FROM generate_series(1, 900) g");
            Cmd.run(List.of("podman", "run", "--rm", "--network=host", "-v", dumps + ":" + dumps, "--entrypoint",
                    "pg_dump", TestImages.POSTGRES_18, "-Fc", "-h", "127.0.0.1", "-p", Integer.toString(c.port()),
                    "-U", "postgres", "-d", "atlas", "-f", backupDump.resolve(DUMP).toString()));
        }
        byte[] head = Files.readAllBytes(backupDump.resolve(DUMP));
        assertThat(new String(head, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
        assertThat(head[5] + "." + head[6]).as("archive format").isEqualTo("1.16");
    }

    @Test
    void pg16DataGoesTheDumpPathIntoTheServiceWithOnlyItsPort() {
        Jar.Run r = dbrescue(ServiceRuns.home(), args(images(false), "recover", backup16.toString(), "--select", SEL16,
                "--target-port", Integer.toString(target.port()), "--yes"));
        assertThat(r.exitCode()).as(both(r)).isEqualTo(RunResult.OK);
        assertThat(r.stdout()).contains("→ container: PostgreSQL 16 data, and the server that answers on port "
                        + target.port() + " is PostgreSQL 18.")
                .contains("(port " + target.port() + ", by peer as the OS user postgres), logged in without a password")
                .contains("--entrypoint pg_restore " + TestImages.POSTGRES_18);
        assertThat(target.psql("shop", "SELECT count(*), sum(price) FROM items")).isEqualTo("2500|4689375.00");
        assertThat(target.psql("postgres", "SELECT count(*) FROM notes")).isEqualTo("40");
        assertThat(target.psql("shop", "SELECT tableowner FROM pg_tables WHERE tablename = 'items'")).isEqualTo("shopkeeper");
        assertThat(ServiceRuns.psqlWithPassword(target.port(), "shopkeeper", "counter-secret", "shop",
                "SELECT count(*) FROM items")).isEqualTo("2500");
        afterwards(r, backup16, before16);
    }

    @Test
    void debianMade15GoesTheContainerStrategyNotDirectIntoTheInstalled15() {
        Jar.Run dry = dbrescue(ServiceRuns.home(), args(images(false), "plan", backup15.toString(), "--select", SEL15,
                "--target-port", Integer.toString(target.port())));
        assertThat(dry.exitCode()).as(both(dry)).isEqualTo(0);
        assertThat(dry.stdout()).contains("→ container: PostgreSQL 15 data, and the server that answers on port "
                + target.port() + " is PostgreSQL 18.").doesNotContain("→ direct").doesNotContain("Stop the PostgreSQL");
        Jar.Run r = dbrescue(ServiceRuns.home(), args(images(false), "recover", backup15.toString(), "--select", SEL15,
                "--target-port", Integer.toString(target.port()), "--yes"));
        assertThat(r.exitCode()).as(both(r)).isEqualTo(RunResult.OK);
        assertThat(target.psql("ledger", "SELECT count(*), sum(amount) FROM entries")).isEqualTo("3300|4084987.50");
        assertThat(ServiceRuns.psqlWithPassword(target.port(), "clerk", "ledger-secret", "ledger",
                "SELECT count(*) FROM entries")).isEqualTo("3300");
        afterwards(r, backup15, before15);
    }

    @Test
    void pgDump18ArchiveIsLoadedByTheImagesPgRestore() {
        Jar.Run r = dbrescue(ServiceRuns.home(), args(images(false), "recover", backupDump.toString(), "--select", DUMP,
                "--strategy", "dump-restore", "--target-port", Integer.toString(target.port()), "--yes"));
        assertThat(r.exitCode()).as(both(r)).isEqualTo(RunResult.OK);
        assertThat(r.stdout()).contains("pg_restore 18 of the image " + TestImages.POSTGRES_18)
                .contains("/usr/lib/postgresql/15/bin/pg_restore is 15.");
        assertThat(target.psql("atlas", "SELECT (SELECT count(*) FROM places) || '/' || (SELECT count(*) FROM visits)"))
                .isEqualTo("1800/900");
        afterwards(r, backupDump, beforeDump);
    }

    /**
     * A PostgreSQL 18 in a container publishing 127.0.0.1:PORT (its files are not on this machine, no socket here):
     * the target is what answers on the port, asked over TCP with the password the user gives (PGPASSWORD); the
     * 16 data goes the dump path into it.
     */
    @Test
    void aContainerPublishingItsPortIsAskedOverTcpAndGetsTheDumpPath() throws Exception {
        String password = "container-secret-18";
        int port = FreePorts.next();
        String name = "dbrescue-test-target-" + ProcessHandle.current().pid();
        Cmd.run(List.of("podman", "run", "-d", "--rm", "--name", name, "-p", "127.0.0.1:" + port + ":5432",
                "-e", "PGPW", "--user", "postgres", "--entrypoint", "/bin/sh", TestImages.POSTGRES_18, "-c",
                "printf %s \"$PGPW\" > /tmp/pw && /usr/lib/postgresql/18/bin/initdb -D /tmp/d -U postgres "
                        + "--auth=scram-sha-256 --pwfile=/tmp/pw -E UTF8 --locale=C >/dev/null "
                        + "&& echo 'host all all 0.0.0.0/0 scram-sha-256' >> /tmp/d/pg_hba.conf "
                        + "&& exec /usr/lib/postgresql/18/bin/postgres -D /tmp/d -c listen_addresses='*' "
                        + "-c unix_socket_directories=/tmp"), null, Map.of("PGPW", password));
        try {
            awaitLogin(port, password);
            Jar.Run r = Jar.run(Map.of("XDG_STATE_HOME", ServiceRuns.home().toString(), "XDG_CONFIG_HOME",
                            ServiceRuns.home().toString(), "PGPASSWORD", password),
                    args(images(false), "recover", backup16.toString(), "--select", SEL16, "--target-port",
                            Integer.toString(port), "--yes"));
            assertThat(r.exitCode()).as(both(r)).isEqualTo(RunResult.OK);
            assertThat(r.stdout()).contains("→ container: PostgreSQL 16 data, and the server that answers on port " + port
                    + " is PostgreSQL 18.").contains("its files are not on this machine");
            assertThat(r.stdout() + r.stderr()).doesNotContain(password);
            assertThat(ServiceRuns.psqlWithPassword(port, "postgres", password, "shop", "SELECT count(*) FROM items"))
                    .isEqualTo("2500");
            assertThat(ServiceRuns.psqlWithPassword(port, "shopkeeper", "counter-secret", "shop",
                    "SELECT sum(price) FROM items")).isEqualTo("4689375.00");
            assertThat(Trees.snapshot(backup16)).as("the backup is unchanged").isEqualTo(before16);
            assertThat(TestImages.containersOfRun(ServiceRuns.runId(r))).isEmpty();
        } finally {
            Cmd.run(List.of("podman", "rm", "-f", name));
        }
    }

    private static void awaitLogin(int port, String password) throws InterruptedException {
        AssertionError last = null;
        for (int i = 0; i < 100; i++) {
            try {
                ServiceRuns.psqlWithPassword(port, "postgres", password, "postgres", "SELECT 1");
                return;
            } catch (AssertionError notYet) {
                last = notYet;
                Thread.sleep(200);
            }
        }
        throw last;
    }

    /**
     * The owner still logs in by peer, the target's own login role with its password, the backup is unchanged, no
     * container of this run is left.
     */
    private static void afterwards(Jar.Run r, Path backup, Map<String, String> before) {
        assertThat(target.psql("postgres", "SELECT current_user")).isEqualTo("postgres");
        assertThat(ServiceRuns.psqlWithPassword(target.port(), "visitor", "visitor-pw", "postgres", "SELECT current_user"))
                .isEqualTo("visitor");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        assertThat(TestImages.containersOfRun(ServiceRuns.runId(r))).as("containers of the run").isEmpty();
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
