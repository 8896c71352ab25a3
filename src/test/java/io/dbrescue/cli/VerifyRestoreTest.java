package io.dbrescue.cli;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code verify --restore-test}: a pg_dump 15 custom dump and a PostgreSQL 16 data directory are
 * really restored into throwaway servers (real binaries, 127.0.0.1, free ports, an unprivileged user),
 * checked and removed; a cut dump is NOT RESTORABLE with the reason; the backup is unchanged and no
 * sandbox or server is left behind.
 */
class VerifyRestoreTest {
    static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");
    static Path work;
    static Path backup;
    static Map<String, String> before;

    @BeforeAll
    static void backup() throws Exception {
        work = TestUser.newDir("verify");
        backup = work.resolve("backup");
        Path dumps = Files.createDirectories(backup.resolve("dumps"));
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(15, work.resolve("src15")).start()) {
            c.psql("postgres", "CREATE DATABASE shop");
            c.psql("shop", "CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 1234) g");
            Cmd.run(Cmd.asTestUser(List.of(DEBIAN_15.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                    Integer.toString(c.port()), "-U", "postgres", "-Fc", "-f", dumps.resolve("shop.dump").toString(), "shop")));
        }
        byte[] all = Files.readAllBytes(dumps.resolve("shop.dump"));
        Files.write(dumps.resolve("cut.dump"), java.util.Arrays.copyOf(all, all.length / 2));
        Path pg16 = backup.resolve("var/lib/postgresql/16/main");
        Files.createDirectories(pg16.getParent());
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(16, pg16).start()) {
            c.psql("postgres", "CREATE DATABASE notes");
            c.psql("notes", "CREATE TABLE n AS SELECT g AS id FROM generate_series(1, 321) g");
            c.stop();
        }
        Path app = Files.createDirectories(backup.resolve("home/app"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + app.resolve("app.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER)");
            s.execute("INSERT INTO t VALUES (1), (2)");
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(work);
    }

    private static long sandboxesLeft() throws Exception {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("dbrescue-verify-")).count();
        }
    }

    @Test
    void aDumpAndADataDirectoryAreRestorableAndACutDumpIsNot() throws Exception {
        long leftBefore = sandboxesLeft();
        CliRun dump = CliRun.run(work, "verify", backup.toString(), "--select", "dumps/shop.dump", "--restore-test",
                "--target-bin", PgCluster.binDir(18).toString(), "--run-as", TestUser.NAME);
        assertThat(dump.exit).as(dump.toString()).isZero();
        assertThat(dump.out).startsWith("RESTORABLE").contains("temporary PostgreSQL 18").contains("1234");

        CliRun dir = CliRun.run(work, "verify", backup.toString(), "--select", "var/lib/postgresql/16/main",
                "--restore-test", "--target-bin", PgCluster.binDir(16).toString(), "--run-as", TestUser.NAME);
        assertThat(dir.exit).as(dir.toString()).isZero();
        assertThat(dir.out).startsWith("RESTORABLE").contains("321");

        CliRun cut = CliRun.run(work, "verify", backup.toString(), "--select", "dumps/cut.dump", "--restore-test");
        assertThat(cut.exit).isEqualTo(1);
        assertThat(cut.out).startsWith("NOT RESTORABLE").contains("cut short");

        CliRun sqlite = CliRun.run(work, "verify", backup.toString(), "--select", "home/app/app.db", "--restore-test");
        assertThat(sqlite.exit).as(sqlite.toString()).isZero();

        assertThat(sandboxesLeft()).as("no sandbox left behind").isEqualTo(leftBefore);
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    @Test
    void anUnknownSelectionIsBadInput() {
        CliRun r = CliRun.run(work, "verify", backup.toString(), "--select", "nope.dump");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("dumps/shop.dump");
    }
}
