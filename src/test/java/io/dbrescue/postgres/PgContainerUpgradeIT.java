package io.dbrescue.postgres;

import io.dbrescue.cli.CliRun;
import io.dbrescue.container.Podman;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flagship of the container strategy: a PostgreSQL 16 cluster (two databases, roles with a
 * password and grants, thousands of rows of many types, an extension) in a backup, recovered into a
 * running PostgreSQL 18 server (zonky 18: data checksums on) through the CLI with
 * {@code --strategy container}. PostgreSQL 16 runs in a real Podman container (an image built locally
 * from the zonky 16 binaries), and the PostgreSQL 18 client tools come from a locally built Debian sid
 * image, because this machine has none. Afterwards every database, table and row is there, the roles
 * kept (the login role's password works), no container is left and the backup is unchanged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgContainerUpgradeIT {
    static final String SELECT = "var/lib/postgresql/16/main";
    static Path work;
    static Path backup;
    static Map<String, String> before;
    static PgCluster target;
    static Path home;

    @BeforeAll
    static void makeBackup() throws Exception {
        TestImages.ensure(TestImages.POSTGRES_16);
        TestImages.ensure(TestImages.POSTGRES_18);
        work = TestUser.newDir("pg-container");
        backup = work.resolve("backup");
        Path data = backup.resolve(SELECT);
        Files.createDirectories(data.getParent());
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(16, data).start()) {
            c.psql("postgres", "CREATE ROLE shopkeeper LOGIN PASSWORD 'counter-secret'");
            c.psql("postgres", "CREATE ROLE reader NOLOGIN");
            c.psql("postgres", "CREATE DATABASE shop OWNER shopkeeper");
            c.psql("postgres", "CREATE DATABASE blog");
            c.psql("shop", "CREATE EXTENSION hstore");
            c.psql("shop", "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2), "
                    + "tags text[], attrs hstore, added timestamptz DEFAULT now(), doc jsonb, raw bytea, uid uuid)");
            c.psql("shop", "INSERT INTO items SELECT g, 'item ' || g, g * 1.25, ARRAY['a' || g, 'b'], "
                    + "hstore('colour', 'red' || (g % 7)), now() - g * interval '1 hour', jsonb_build_object('n', g), "
                    + "decode(md5(g::text), 'hex'), md5(g::text)::uuid FROM generate_series(1, 3000) g");
            c.psql("shop", "CREATE TABLE orders (id serial PRIMARY KEY, item int REFERENCES items, qty int)");
            c.psql("shop", "INSERT INTO orders (item, qty) SELECT 1 + g % 3000, g % 9 FROM generate_series(1, 4500) g");
            c.psql("shop", "CREATE INDEX ON items (name)");
            c.psql("shop", "ALTER TABLE items OWNER TO shopkeeper");
            c.psql("shop", "GRANT SELECT ON items TO reader");
            c.psql("blog", "CREATE SCHEMA content");
            c.psql("blog", "CREATE TABLE content.posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text, "
                    + "body text, published date)");
            c.psql("blog", "INSERT INTO content.posts (title, body, published) SELECT 'post ' || g, repeat('x', g % 200), "
                    + "date '2024-01-01' + g FROM generate_series(1, 1200) g");
            c.psql("blog", "CREATE VIEW content.recent AS SELECT * FROM content.posts WHERE published > date '2026-01-01'");
            // people keep things in the postgres database too: it goes into the target's postgres database
            c.psql("postgres", "CREATE TABLE scratch AS SELECT g AS id, 'note ' || g AS body FROM generate_series(1, 50) g");
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        target = PgCluster.init(18, TestUser.newDir("pg18-target").resolve("data")).start();
        home = Files.createTempDirectory("dbrescue-home");
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
    }

    @AfterEach
    void backupUnchangedAndNoContainerLeft() throws Exception {
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        assertThat(TestImages.containersOfRunsIn(home)).as("no container of these runs is left").isEmpty();
    }


    static CliRun recover(String... extra) {
        List<String> a = new ArrayList<>(List.of("--set", "images.postgresql=" + TestImages.PREFIX + "postgres:{major}",
                "recover", backup.toString(), "--select", SELECT, "--strategy", "container",
                "--target-bin", PgCluster.binDir(18).toString(), "--target-host", "127.0.0.1", "--target-port", Integer.toString(target.port()), "--target-user", "postgres",
                "--run-as", TestUser.NAME));
        a.addAll(List.of(extra));
        return CliRun.run(home, a.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void dryRunShowsEveryPodmanCommandAndChangesNothing() {
        CliRun r = recover("--dry-run");
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        String out = r.out;
        assertThat(out).contains("podman run -d --name dbrescue-")
                .contains("-p 127.0.0.1:")
                .contains("--user " + uid())
                .contains("--entrypoint postgres " + TestImages.POSTGRES_16 + " -D /var/lib/postgresql/data")
                .contains("--network=host")
                .contains("--entrypoint pg_dumpall " + TestImages.POSTGRES_18 + " --globals-only")
                .contains("--pull=never")
                .contains("--entrypoint pg_dump " + TestImages.POSTGRES_18 + " -Fd -j 2")
                .contains("--entrypoint pg_restore " + TestImages.POSTGRES_18 + " --verbose --exit-on-error")
                .contains("-e PGPASSWORD")
                .contains("podman stop -t 60 dbrescue-");
        assertThat(target.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname IN ('shop', 'blog')"))
                .isEqualTo("0");
    }

    @Test
    @Order(2)
    void pg16IntoPg18ThroughAContainer() {
        CliRun r = recover("--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.OK);
        assertThat(target.psql("postgres", "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database "
                + "WHERE NOT datistemplate")).isEqualTo("blog,postgres,shop");
        assertThat(target.psql("shop", "SELECT count(*) FROM items")).isEqualTo("3000");
        assertThat(target.psql("shop", "SELECT count(*) FROM orders")).isEqualTo("4500");
        assertThat(target.psql("shop", "SELECT attrs -> 'colour' FROM items WHERE id = 10")).isEqualTo("red3");
        assertThat(target.psql("shop", "SELECT doc ->> 'n' FROM items WHERE id = 42")).isEqualTo("42");
        assertThat(target.psql("shop", "SELECT uid FROM items WHERE id = 1")).isEqualTo("c4ca4238-a0b9-2382-0dcc-509a6f75849b");
        assertThat(target.psql("shop", "SELECT sum(qty) FROM orders")).isEqualTo(
                Long.toString(java.util.stream.LongStream.rangeClosed(1, 4500).map(g -> g % 9).sum()));
        assertThat(target.psql("blog", "SELECT count(*) FROM content.posts")).isEqualTo("1200");
        assertThat(target.psql("postgres", "SELECT count(*) FROM scratch")).isEqualTo("50");
        assertThat(target.psql("blog", "SELECT count(*) FROM content.recent")).isNotEmpty();
        assertThat(target.psql("shop", "SELECT extname FROM pg_extension WHERE extname = 'hstore'")).isEqualTo("hstore");
        // roles kept: owner, login with the old password, grants
        assertThat(target.psql("postgres", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'shop'"))
                .isEqualTo("shopkeeper");
        assertThat(target.psql("shop", "SELECT tableowner FROM pg_tables WHERE tablename = 'items'")).isEqualTo("shopkeeper");
        assertThat(target.psql("shop", "SELECT has_table_privilege('reader', 'items', 'SELECT')")).isEqualTo("t");
        assertThat(target.psql("postgres", "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'shopkeeper'")).isEqualTo("t");
        assertThat(target.psql("postgres", "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'shopkeeper'"))
                .isEqualTo("t");
        // the target's checksum setting (18 turns them on) is what the data lives under
        assertThat(target.psql("postgres", "SHOW data_checksums")).isEqualTo("on");
        // statistics were rebuilt
        assertThat(target.psql("shop", "SELECT count(*) FROM pg_stats WHERE tablename = 'items'")).isNotEqualTo("0");
        assertThat(r.out + r.err).doesNotContain("counter-secret");
    }

    @Test
    @Order(3)
    void secondRunAsksAboutTheDatabasesThatAreThereNow() {
        CliRun r = recover("--yes");
        assertThat(r.exit).as(r.toString()).isNotEqualTo(0);
        assertThat(r.out + r.err).contains("A database called shop already exists").contains("--on-conflict");
    }

    static String uid() {
        return Cmd.run(List.of("id", "-u", TestUser.NAME)).strip();
    }
}
