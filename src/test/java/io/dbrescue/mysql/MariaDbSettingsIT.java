package io.dbrescue.mysql;

import io.dbrescue.cli.CliRun;
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
 * The settings that decide whether MariaDB data opens, from the old system's option files in the backup: a
 * Debian 12 system whose MariaDB 10.11 ran with lower_case_table_names = 1, innodb_page_size = 32k, another
 * collation and sql_mode, set in etc/mysql/mariadb.conf.d/60-app.cnf next to the package's own files (the data
 * was made by mariadb-install-db with those settings, as the package does after the file is in place). The
 * target is MariaDB 11.4 on Debian's socket, as mysql, root by unix_socket. The pre-flight fails on the table
 * names with the fix; once the target runs with lower_case_table_names = 1 the data moves, the old server in
 * its container started with the old page size (which it needs to open its files at all).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbSettingsIT {
    static final String SELECT = "var/lib/mysql";
    static final String CNF = "[mysqld]\nlower_case_table_names = 1\ninnodb_page_size = 32k\n"
            + "character-set-server = utf8mb4\ncollation-server = utf8mb4_unicode_ci\n"
            + "sql_mode = NO_ENGINE_SUBSTITUTION\n";
    static final String[] OLD_SETTINGS = {"--lower-case-table-names=1", "--innodb-page-size=32k",
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", "--sql-mode=NO_ENGINE_SUBSTITUTION"};
    static Path base;
    static Path backup;
    static Map<String, String> before;
    static String oldRows;
    static String oldChecksum;
    static MariaDbService target;
    static Path home;

    @BeforeAll
    static void fixtures() throws Exception {
        TestImages.ensure(TestImages.MARIADB_10_11);
        base = MariaDbService.newDir("mariadb-settings");
        backup = base.resolve("backup");
        Path data = backup.resolve(SELECT);
        Files.createDirectories(data.getParent());
        MariaDbService.copyEtc(backup);
        Files.writeString(backup.resolve("etc/mysql/mariadb.conf.d/60-app.cnf"), CNF);
        Cmd.run(List.of("chown", "-R", "mysql:mysql", base.toString()));
        Path sock = base.resolve("old.sock");
        try (MariaDb old = MariaDbService.old(data, sock, base.resolve("old.log")).options(OLD_SETTINGS)) {
            old.install(OLD_SETTINGS);
            old.start();
            Sakila.sql(sock, "mariadb", "CREATE DATABASE Shop; USE Shop; CREATE TABLE Shop.Customers (Id INT PRIMARY KEY, "
                    + "Name VARCHAR(60), City VARCHAR(40)) ENGINE=InnoDB; INSERT INTO Shop.Customers SELECT seq, "
                    + "CONCAT('Kundin ', seq, ' Müller-Lüdenscheidt'), ELT(1 + seq % 3, 'Köln', 'Zürich', 'Malmö') "
                    + "FROM seq_1_to_2500;");
            oldRows = Sakila.sql(sock, "mariadb", "SELECT COUNT(*) FROM shop.customers");
            oldChecksum = Sakila.sql(sock, "mariadb", "CHECKSUM TABLE shop.customers").split("\t")[1];
            old.shutdown();
        }
        Files.deleteIfExists(data.resolve("old.pid"));
        before = Trees.snapshot(backup);
        Path bin114 = MariaDb.unpack114();
        Path tdata = base.resolve("target114");
        MariaDbService.install(bin114, tdata);
        target = new MariaDbService(bin114, tdata, base.resolve("target.log")).start();
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

    static CliRun dbrescue(String command, String... extra) {
        List<String> a = new ArrayList<>(List.of("--set", "images.mariadb=" + TestImages.PREFIX + "mariadb:{major}",
                command, backup.toString(), "--select", SELECT));
        a.addAll(List.of(extra));
        return CliRun.run(home, a.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void thePreflightFailsOnTableNamesWithTheFixAndWarnsOfTheRest() {
        CliRun r = dbrescue("plan");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.PREFLIGHT_FAILED);
        assertThat(r.out).contains("lower_case_table_names = 1 (read from etc/mysql/my.cnf in the backup)")
                .contains("Set lower_case_table_names = 1 under [mysqld] in the target's configuration")
                .contains("InnoDB pages of 32k")
                .contains("utf8mb4 / utf8mb4_unicode_ci")
                .contains("sql_mode = 'NO_ENGINE_SUBSTITUTION'");
        assertThat(MariaDbService.sql("SHOW DATABASES LIKE 'shop'")).isEmpty();
    }

    @Test
    @Order(2)
    void withTheTargetSetUpLikeTheOldServerTheOldServerStartsWithItsPageSizeAndTheRowsMove() throws Exception {
        MariaDbService.stopServer();
        target.start("--lower-case-table-names=1");
        CliRun r = dbrescue("recover", "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.OK);
        assertThat(r.out).contains("--innodb-page-size=32768").contains("--lower-case-table-names=1");
        assertThat(MariaDbService.sql("SELECT COUNT(*) FROM Shop.Customers")).isEqualTo(oldRows);
        assertThat(MariaDbService.sql("CHECKSUM TABLE shop.customers").split("\t")[1]).isEqualTo(oldChecksum);
        assertThat(MariaDbService.sql("SELECT City FROM SHOP.CUSTOMERS WHERE Id = 1")).isEqualTo("Zürich");
    }
}
