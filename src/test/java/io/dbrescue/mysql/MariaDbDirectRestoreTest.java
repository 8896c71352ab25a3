package io.dbrescue.mysql;

import io.dbrescue.cli.Main;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.FreePorts;
import io.dbrescue.testing.MariaDb;
import io.dbrescue.testing.Trees;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A MariaDB 10.11 data directory (Debian's mariadb-install-db and mariadbd; a database with rows; shut
 * down cleanly; copied into a backup tree) restored directly into a running 10.11 target: the dry run
 * changes nothing; the run stops the target, keeps its data as the safety copy, copies, starts
 * mariadbd as the test user and verifies the rows; the backup is unchanged.
 */
class MariaDbDirectRestoreTest {
    static Path base;
    static Path backup;
    static Path targetData;
    static int port;
    static MariaDb target;

    @BeforeAll
    static void fixtures() throws Exception {
        base = TestUser.newDir("mysql-direct");
        System.setProperty("dbrescue.state.dir", base.resolve("state").toString());
        Path src = base.resolve("src");
        try (MariaDb old = MariaDb.debian(src).socket(base.resolve("src.sock")).log(base.resolve("src.log"))) {
            old.install().start();
            old.sql("CREATE DATABASE shop; CREATE TABLE shop.items(id INT PRIMARY KEY, name VARCHAR(20));"
                    + "INSERT INTO shop.items VALUES (1,'apple'),(2,'pear'),(3,'plum');"
                    + "CREATE TABLE shop.orders(id INT) ENGINE=Aria; INSERT INTO shop.orders VALUES (7),(8);");
            old.shutdown();
        }
        backup = base.resolve("backup");
        Files.createDirectories(backup.resolve("var/lib"));
        Cmd.run(List.of("cp", "-a", src.toString(), backup.resolve("var/lib/mysql").toString()));
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));

        targetData = base.resolve("target");
        target = MariaDb.debian(targetData).socket(base.resolve("t.sock")).tcp().log(base.resolve("target.log"))
                .install().start();
        port = target.port();
        target.sql("CREATE DATABASE old; CREATE TABLE old.t(x INT); INSERT INTO old.t VALUES (1);");
    }

    /** Stops whatever mariadbd runs on data (through the pid files in it): the one dbrescue started. */
    static void stopAny(Path data) throws Exception {
        if (data == null || !Files.isDirectory(data)) {
            return;
        }
        ProcessHandle h = MySqlSteps.livePid(data);
        if (h != null) {
            h.destroy();
            h.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (target != null) {
            target.close();
        }
        stopAny(targetData);
        System.clearProperty("dbrescue.state.dir");
        TestUser.delete(base);
    }

    String[] args(String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("recover", backup.toString(), "--select", "var/lib/mysql",
                "--target-data", targetData.toString(), "--target-port", Integer.toString(port),
                "--target-bin", "/usr/sbin", "--run-as", target.osUser()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void dryRunThenDirectRestore() throws Exception {
        Map<String, String> backupBefore = Trees.snapshot(backup);
        java.util.Set<String> targetBefore = Trees.snapshot(targetData).keySet(); // a running server rewrites its files itself

        assertThat(Main.run(args("--dry-run"))).isZero();
        assertThat(Trees.snapshot(targetData).keySet()).isEqualTo(targetBefore);
        assertThat(Files.list(base).filter(p -> p.getFileName().toString().contains("before-dbrescue")).count()).isZero();
        assertThat(target.process().isAlive()).isTrue();
        assertThat(target.sqlTcp("SELECT COUNT(*) FROM old.t")).isEqualTo("1");

        assertThat(Main.run(args("--yes"))).isZero();
        assertThat(target.process().waitFor(1, java.util.concurrent.TimeUnit.SECONDS)).as("the old server was stopped").isTrue();
        Path sock = targetData.resolve("mysqld.sock");
        assertThat(MariaDb.sql(sock, "SELECT COUNT(*) FROM shop.items")).isEqualTo("3");
        assertThat(target.sqlTcp("SELECT COUNT(*) FROM shop.orders")).isEqualTo("2");
        assertThat(MariaDb.sql(sock, "SHOW DATABASES")).doesNotContain("old");
        try (Stream<Path> s = Files.list(base)) {
            List<Path> safety = s.filter(p -> p.getFileName().toString().startsWith("target.before-dbrescue-")).toList();
            assertThat(safety).hasSize(1);
            assertThat(safety.get(0).resolve("old/t.frm")).exists();
        }
        assertThat(Trees.snapshot(backup)).isEqualTo(backupBefore);
    }

    @Test
    void aDataDirectoryInsideTheBackupIsRefused() throws Exception {
        Map<String, String> backupBefore = Trees.snapshot(backup);
        int free = FreePorts.next();
        for (Path data : List.of(backup.resolve("var/lib/mysql-restored"), backup.resolve("var/lib/mysql"))) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.PrintStream old = System.out;
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            int code;
            try {
                code = Main.run("recover", backup.toString(), "--select", "var/lib/mysql", "--target-data",
                        data.toString(), "--target-port", Integer.toString(free), "--target-bin", "/usr/sbin",
                        "--run-as", target.osUser(), "--yes");
            } finally {
                System.setOut(old);
            }
            String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(code).as(printed).isEqualTo(4);
            assertThat(printed).contains("[fail] backup-read-only: This restore would write inside the backup " + backup)
                    .contains(data.toString());
        }
        assertThat(Trees.snapshot(backup)).isEqualTo(backupBefore);
    }
}
