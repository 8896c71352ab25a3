package io.dbrescue.mysql;

import io.dbrescue.cli.Main;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.MariaDb;
import io.dbrescue.testing.Trees;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
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
 * mariadb-dump files made by Debian's MariaDB 10.11 (one database, plain; all databases, gzip) restored
 * into a running MariaDB 11.4 (binaries from Maven Central) with Debian's 10.11 client, rows verified;
 * the same-name conflict: ask stops in the pre-flight, skip leaves the existing database alone and
 * restores the others (the dump's mysql system database is always left out), replace keeps a safety
 * dump, rename works for a one-database dump and is refused for --all-databases dumps. The backup is
 * unchanged after every run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbDumpRestoreTest {
    static Path base;
    static Path backup;
    static Path data;
    static Path socket;
    static int port;
    static MariaDb target;
    static Map<String, String> backupBefore;

    @BeforeAll
    static void fixtures() throws Exception {
        base = TestUser.newDir("mysql-dumps");
        System.setProperty("dbrescue.state.dir", base.resolve("state").toString());
        Path src = base.resolve("src");
        Path sock = base.resolve("src.sock");
        backup = base.resolve("backup");
        Path dumps = Files.createDirectories(backup.resolve("home/alice/dumps"));
        try (MariaDb old = MariaDb.debian(src).socket(sock).log(base.resolve("src.log"))) {
            old.install().start();
            old.sql("CREATE DATABASE shop; CREATE TABLE shop.items(id INT PRIMARY KEY, name VARCHAR(20));"
                    + "INSERT INTO shop.items VALUES (1,'apple'),(2,'pear'),(3,'plum');"
                    + "CREATE DATABASE notes; CREATE TABLE notes.n(x INT); INSERT INTO notes.n VALUES (1),(2);");
            Cmd.run(List.of("mariadb-dump", "--no-defaults", "-S", sock.toString(), "-uroot",
                    "--result-file=" + dumps.resolve("shop.sql"), "shop"));
            Cmd.run(List.of("mariadb-dump", "--no-defaults", "-S", sock.toString(), "-uroot", "--all-databases",
                    "--result-file=" + dumps.resolve("all.sql")));
            Cmd.run(List.of("gzip", "-q", dumps.resolve("all.sql").toString()));
            old.shutdown();
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        backupBefore = Trees.snapshot(backup);

        data = base.resolve("target114");
        target = MariaDb.v114(data).socket(base.resolve("t.sock")).tcp().log(base.resolve("target.log")).install().start();
        socket = target.socket();
        port = target.port();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (target != null) {
            target.close();
        }
        System.clearProperty("dbrescue.state.dir");
        TestUser.delete(base);
    }

    static int recover(String select, String... more) {
        List<String> a = new ArrayList<>(List.of("recover", backup.toString(), "--select", select,
                "--target-port", Integer.toString(port), "--target-user", "root", "--yes"));
        a.addAll(List.of(more));
        int code = Main.run(a.toArray(String[]::new));
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(backupBefore);
        return code;
    }

    static String sql(String q) {
        return target.sqlTcp(q);
    }

    @Test
    @Order(1)
    void dryRunChangesNothing() {
        String before = sql("SHOW DATABASES");
        assertThat(recover("home/alice/dumps/shop.sql", "--dry-run")).isZero();
        assertThat(sql("SHOW DATABASES")).isEqualTo(before);
        assertThat(sql("SELECT VERSION()")).startsWith("11.4");
    }

    @Test
    @Order(2)
    void oneDatabaseDumpInto114() {
        assertThat(recover("home/alice/dumps/shop.sql")).isZero();
        assertThat(sql("SELECT COUNT(*) FROM shop.items")).isEqualTo("3");
    }

    @Test
    @Order(3)
    void conflictAskStopsInPreflight() {
        String before = sql("SHOW DATABASES");
        assertThat(recover("home/alice/dumps/all.sql.gz")).isEqualTo(4);
        assertThat(sql("SHOW DATABASES")).isEqualTo(before);
    }

    @Test
    @Order(4)
    void conflictSkipRestoresTheOthersAndLeavesUsersAlone() {
        sql("INSERT INTO shop.items VALUES (4,'fig')");
        String users = sql("SELECT COUNT(*) FROM mysql.global_priv");
        assertThat(recover("home/alice/dumps/all.sql.gz", "--on-conflict", "skip")).isZero();
        assertThat(sql("SELECT COUNT(*) FROM shop.items")).as("existing database left alone").isEqualTo("4");
        assertThat(sql("SELECT COUNT(*) FROM notes.n")).isEqualTo("2");
        assertThat(sql("SELECT COUNT(*) FROM mysql.global_priv")).isEqualTo(users);
    }

    @Test
    @Order(5)
    void renameRefusedForAllDatabasesDumpAndWorksForOne() {
        assertThat(recover("home/alice/dumps/all.sql.gz", "--on-conflict", "rename")).isEqualTo(4);
        assertThat(recover("home/alice/dumps/shop.sql", "--on-conflict", "rename")).isZero();
        assertThat(sql("SELECT COUNT(*) FROM shop_restored.items")).isEqualTo("3");
    }

    @Test
    @Order(6)
    void replaceKeepsASafetyDump() throws Exception {
        assertThat(recover("home/alice/dumps/shop.sql", "--on-conflict", "replace")).isZero();
        assertThat(sql("SELECT COUNT(*) FROM shop.items")).isEqualTo("3");
        try (Stream<Path> s = Files.walk(base.resolve("state"))) {
            Path safety = s.filter(p -> p.getFileName().toString().startsWith("safety-shop-")).findFirst().orElseThrow();
            assertThat(Files.readString(safety)).contains("'fig'");
            // a whole database: for dbrescue's user only, in folders only that user can enter
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(safety)))
                    .isEqualTo("rw-------");
            for (Path dir : List.of(safety.getParent(), safety.getParent().getParent())) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                        .as(dir.toString()).isEqualTo("rwx------");
            }
        }
    }
}
