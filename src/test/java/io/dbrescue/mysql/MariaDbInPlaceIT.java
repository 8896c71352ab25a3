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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-place upgrade, on the move most Debian users make: the backup is a Debian 11 system's — MariaDB 10.5
 * from bullseye's mariadb-server (its mariadb-install-db, root by unix_socket, its /etc/mysql) with MySQL's Sakila
 * sample database loaded by an application account — and the new system is Debian 12, whose MariaDB 10.11 (with
 * its mariadb-upgrade) was just installed and runs as mysql on /run/mysqld/mysqld.sock with no databases of its
 * own. A user runs dbrescue with no --target-* option: 10.11 upgrades a copy of the 10.5 data next to its own
 * data directory, which it then replaces (kept as the safety copy), and it runs again the way it ran. Rows,
 * CHECKSUM TABLE and SHOW CREATE TABLE are compared with what the 10.5 server said, the application logs in with
 * its old password, root by unix_socket.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbInPlaceIT {
    static final String SELECT = "var/lib/mysql";
    static Path base;
    static Path backup;
    static Map<String, String> before;
    static Map<String, String> oldFingerprint;
    static MariaDbService target;
    static Path targetData;
    static Path home;

    @BeforeAll
    static void fixtures() throws Exception {
        TestImages.ensure(TestImages.MARIADB_10_5);
        base = MariaDbService.newDir("mariadb-inplace");
        backup = base.resolve("backup");
        Path data = backup.resolve(SELECT);
        Path run = base.resolve("run105");
        Files.createDirectories(data);
        Files.createDirectories(run);
        Cmd.run(List.of("chmod", "777", run.toString()));
        String image = TestImages.MARIADB_10_5;
        // as Debian 11's postinst makes it: mysql_install_db as root with --user=mysql
        Cmd.run(List.of(Podman.command(), "run", "--rm", "--network=none", "-v", data + ":/var/lib/mysql", image,
                "mariadb-install-db", "--user=mysql", "--skip-test-db", "--datadir=/var/lib/mysql"));
        String name = "mariadb-inplace-fixture-" + ProcessHandle.current().pid();
        Cmd.run(List.of(Podman.command(), "run", "-d", "--name", name, "--network=none", "--user", "mysql",
                "-v", data + ":/var/lib/mysql", "-v", run + ":/run/mysqld", image, "mariadbd",
                "--datadir=/var/lib/mysql", "--socket=/run/mysqld/mysqld.sock", "--skip-networking"));
        Path sock = run.resolve("mysqld.sock");
        try {
            // Debian 11's 10.5 runs in its container on purpose (the host has 10.11): only the wait is shared
            MariaDb.awaitLogin(null, sock, () -> "");
            Sakila.load(sock, "mariadb");
            oldFingerprint = Sakila.fingerprint(sock, "mariadb");
            assertThat(Sakila.sql(sock, "mariadb", "SELECT VERSION()")).startsWith("10.5.");
            Sakila.sql(sock, "mariadb", "SHUTDOWN");
            Cmd.run(List.of(Podman.command(), "wait", name));
        } finally {
            Cmd.run(List.of(Podman.command(), "rm", "-f", name));
        }
        Files.createDirectories(backup.resolve("etc"));
        Cmd.run(List.of(Podman.command(), "run", "--rm", "--network=none", "-v", backup.resolve("etc") + ":/out", image,
                "cp", "-a", "/etc/mysql", "/out/"));
        before = Trees.snapshot(backup);

        targetData = base.resolve("target1011");
        Cmd.run(List.of("chown", "mysql:mysql", base.toString()));
        MariaDbService.install(null, targetData);
        target = new MariaDbService(null, targetData, base.resolve("target.log")).start();
        home = Files.createTempDirectory("dbrescue-home");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (target != null) {
            target.stop();
        }
        TestUser.delete(base);
    }

    @AfterEach
    void backupUnchangedAndNoContainerLeft() throws Exception {
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        assertThat(TestImages.containersOfRunsIn(home)).as("no container of these runs is left").isEmpty();
    }

    @Test
    @Order(1)
    void thePlanUpgradesInPlaceBecauseTheTargetHoldsNoDatabases() {
        CliRun r = CliRun.run(home, "plan", backup.toString(), "--select", SELECT);
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.out).contains("MariaDB 10.11.")
                .contains("answering on socket /run/mysqld/mysqld.sock")
                .contains("mariadb-upgrade fixes its system tables")
                .contains("Chosen because the target holds no databases yet")
                .contains("/usr/bin/mariadb-upgrade --socket=")
                .doesNotContain("podman run");
        CliRun dump = CliRun.run(home, "plan", backup.toString(), "--select", SELECT, "--upgrade-method", "dump",
                "--set", "images.mariadb=" + TestImages.PREFIX + "mariadb:{major}");
        assertThat(dump.out).contains("podman run").doesNotContain("mariadb-upgrade --socket=");
    }

    @Test
    @Order(2)
    void theUpgradedDataReplacesTheTargetsAndEverythingAnswersAsBefore() throws Exception {
        long pidBefore = Long.parseLong(Files.readString(MariaDbService.PID).trim());
        CliRun r = CliRun.run(home, "recover", backup.toString(), "--select", SELECT, "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.OK);
        assertThat(MariaDbService.sql("SELECT VERSION()")).startsWith("10.11.");
        assertThat(Long.parseLong(Files.readString(MariaDbService.PID).trim())).as("started again").isNotEqualTo(pidBefore);
        Map<String, String> now = Sakila.fingerprint(MariaDbService.SOCKET, "mariadb");
        assertThat(Sakila.differences(oldFingerprint, now)).as("rows, CHECKSUM TABLE, SHOW CREATE TABLE, definers")
                .isEmpty();
        assertThat(MariaDbService.sqlAs(Sakila.APP, Sakila.APP_PASSWORD, "SELECT COUNT(*) FROM sakila.customer_list"))
                .isEqualTo(oldFingerprint.get("customer rows"));
        assertThat(MariaDbService.sql("SELECT CURRENT_USER()")).isEqualTo("root@localhost");
        assertThat(Files.readString(targetData.resolve("mysql_upgrade_info"))).startsWith("10.11.");
        assertThat(r.out).contains("Row counts and CHECKSUM TABLE match");
        try (Stream<Path> s = Files.list(base)) {
            List<Path> safety = s.filter(p -> p.getFileName().toString().startsWith("target1011.before-dbrescue-")).toList();
            assertThat(safety).as("the target's old data directory, kept").hasSize(1);
            assertThat(safety.get(0).resolve("mysql")).isDirectory();
        }
        try (Stream<Path> s = Files.list(base)) {
            assertThat(s.filter(p -> p.getFileName().toString().contains("dbrescue-upgrade")).toList())
                    .as("the working folder is removed").isEmpty();
        }
    }
}
