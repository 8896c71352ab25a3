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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The target's disk fills up in the middle of the container strategy's restore: a PostgreSQL 18 server
 * whose data directory is on a real 64 MB tmpfs (its WAL elsewhere, so the server reports the full disk
 * instead of stopping) receives a database of about 100 MB. The run fails with a message that names the
 * full disk and the fix; the half-restored database is dropped again, the table already merged into
 * the target's postgres database is taken out again, the server keeps running, no
 * container is left and the backup is unchanged.
 */
class PgContainerTargetDiskFullIT {
    static Path work;
    static Path backup;
    static Path small;
    static PgCluster target;
    static Map<String, String> before;

    @BeforeAll
    static void fixture() throws Exception {
        TestImages.ensure(TestImages.POSTGRES_16);
        TestImages.ensure(TestImages.POSTGRES_18);
        work = TestUser.newDir("pg-target-full");
        backup = work.resolve("backup");
        Files.createDirectories(backup);
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(16, backup.resolve("pg16")).start()) {
            // restored in name order: the postgres database (merged into the target's) before the big one
            c.psql("postgres", "CREATE TABLE kept AS SELECT g AS id FROM generate_series(1, 10) g");
            c.psql("postgres", "CREATE DATABASE warehouse");
            c.psql("warehouse", "CREATE TABLE filler AS SELECT g AS id, md5(g::text) || md5((g + 1)::text) AS body "
                    + "FROM generate_series(1, 900000) g");
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        Path base = TestUser.newDir("pg18-small-disk");
        small = base.resolve("disk");
        Files.createDirectories(small);
        Cmd.run(List.of("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", small.toString()));
        TestUser.chown(small);
        Path wal = base.resolve("wal");
        target = PgCluster.init(18, small.resolve("data"), "-X", wal.toString()).start();
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        if (small != null) {
            Cmd.run(List.of("umount", "-l", small.toString()));
            TestUser.delete(small.getParent());
        }
        TestUser.delete(work);
    }

    @Test
    void aFullTargetDiskIsNamedAndTheHalfRestoredDatabaseDropped() throws Exception {
        Path home = Files.createTempDirectory("dbrescue-home");
        CliRun r = CliRun.run(home,
                "--set", "images.postgresql=" + TestImages.PREFIX + "postgres:{major}",
                "recover", backup.toString(), "--select", "pg16", "--strategy", "container",
                "--target-bin", PgCluster.binDir(18).toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(target.port()), "--target-user", "postgres",
                "--run-as", TestUser.NAME, "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.FAILED);
        assertThat(r.out).contains("the server's disk is full").contains("Free space on the disk of the server's data directory");
        assertThat(target.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'warehouse'")).isEqualTo("0");
        // the old postgres database's table had been merged into the target's: the rollback took it out again
        assertThat(target.psql("postgres", "SELECT count(*) FROM pg_tables WHERE tablename = 'kept'")).isEqualTo("0");
        assertThat(target.psql("postgres", "SELECT 1")).isEqualTo("1"); // the server still runs
        assertThat(TestImages.containersOfRunsIn(home)).isEmpty();
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }
}
