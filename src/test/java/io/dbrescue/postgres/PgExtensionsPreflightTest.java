package io.dbrescue.postgres;

import io.dbrescue.cli.CliRun;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Extensions are checked before anything runs: a PostgreSQL 15 database using hstore (available in
 * 18) and adminpack (dropped from PostgreSQL 17 on) — its custom and plain dumps fail the pre-flight
 * against a real PostgreSQL 18 naming adminpack and what to do, and nothing is created there.
 */
class PgExtensionsPreflightTest {
    static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");
    static Path work;
    static PgCluster target;

    @BeforeAll
    static void dumps() {
        work = TestUser.newDir("pg-ext");
        Path dumps = work.resolve("backup/dumps");
        Cmd.run(List.of("mkdir", "-p", dumps.toString()));
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(15, work.resolve("src")).start()) {
            c.psql("postgres", "CREATE DATABASE geo");
            c.psql("geo", "CREATE EXTENSION hstore");
            c.psql("geo", "CREATE EXTENSION adminpack");
            c.psql("geo", "CREATE TABLE t (h hstore)");
            for (String[] f : new String[][] {{"-Fc", "geo.dump"}, {"-Fp", "geo.sql"}}) {
                Cmd.run(Cmd.asTestUser(List.of(DEBIAN_15.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                        Integer.toString(c.port()), "-U", "postgres", f[0], "-f", dumps.resolve(f[1]).toString(), "geo")));
            }
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", work.resolve("backup").toString()));
        target = PgCluster.init(18, TestUser.newDir("pg18-ext").resolve("data")).start();
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
    }

    @Test
    void aMissingExtensionFailsThePreflightWithTheFix() throws Exception {
        for (String dump : List.of("dumps/geo.dump", "dumps/geo.sql")) {
            String before = target.psql("postgres", "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database");
            CliRun r = CliRun.run(Files.createTempDirectory("dbrescue-ext"), "recover", work.resolve("backup").toString(),
                    "--select", dump, "--target-bin", DEBIAN_15.toString(), "--target-host", "127.0.0.1",
                    "--target-port", Integer.toString(target.port()), "--target-user", "postgres", "--yes");
            assertThat(r.exit).as(r.toString()).isEqualTo(4);
            assertThat(r.out).contains("[fail] extensions").contains("adminpack").doesNotContain("hstore, which")
                    .contains("no longer exists in PostgreSQL 18");
            assertThat(target.psql("postgres", "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database"))
                    .isEqualTo(before);
        }
    }
}
