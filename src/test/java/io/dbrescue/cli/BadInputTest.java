package io.dbrescue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input that used to slip through, driven through the real command line (Main.run): each gives a
 * one-line message (or one line per problem) and the documented exit code, and never a stack trace.
 * Fixtures are SQLite files made by sqlite3.
 */
class BadInputTest {
    @TempDir
    Path home;
    Path backup;

    @BeforeEach
    void backup() throws Exception {
        backup = home.resolve("backup");
        sqlite(Files.createDirectories(backup.resolve("app")).resolve("app.db"));
        sqlite(Files.createDirectories(backup.resolve("back\\slash")).resolve("x.db"));
    }

    static void sqlite(Path db) {
        Cmd.run(List.of("sqlite3", db.toString(), "CREATE TABLE t(x); INSERT INTO t VALUES (1),(2),(3);"));
    }

    static void noTrace(CliRun r) {
        assertThat(r.err).as(r.toString()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private Path conf() {
        return home.resolve("config/dbrescue/recovery.conf");
    }

    @Test
    void aTargetPortOutsideOneTo65535IsBadInput() {
        for (String port : List.of("0", "99999", "-5")) {
            CliRun r = CliRun.run(home, "plan", backup.toString(), "--select", "app/app.db", "--target-port", port);
            assertThat(r.exit).as(r.toString()).isEqualTo(2);
            assertThat(r.err.lines()).as(r.toString()).hasSize(1);
            assertThat(r.err).startsWith("dbrescue: ").contains("--target-port", "port must be 1–65535");
            assertThat(r.out).as("no plan, no JDBC error").isEmpty();
            noTrace(r);
        }
    }

    @Test
    void aConfigFileThatIsNotThereIsBadInput() {
        Path missing = home.resolve("nope/recovery.conf");
        for (String[] args : List.of(new String[] {"plan", backup.toString(), "--select", "app/app.db"},
                new String[] {"scan", backup.toString()}, new String[] {"config", "show"})) {
            String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("--config", missing.toString()),
                    java.util.Arrays.stream(args)).toArray(String[]::new);
            CliRun r = CliRun.run(home, all);
            assertThat(r.exit).as(r.toString()).isEqualTo(2);
            assertThat(r.err).isEqualTo("dbrescue: the settings file " + missing + " given with --config does not "
                    + "exist. Check the path, or create the file with: dbrescue --config " + missing + " config init\n");
            assertThat(r.out).isEmpty();
        }
        // config set makes the file it is told to use
        CliRun set = CliRun.run(home, "--config", missing.toString(), "config", "set", "max_parallel_operations", "3");
        assertThat(set.exit).as(set.toString()).isZero();
        assertThat(missing).exists();
    }

    @Test
    void aBrokenSettingsFileStopsRecoverPlanAndVerify() throws Exception {
        Files.createDirectories(conf().getParent());
        Files.write(conf(), concat("[recovery]\n[[broken\nmax_parallel_operations = 4\nbackup_path = /media/\n",
                new byte[] {'o', 'l', (byte) 0xe9, 'n', '\n'}));
        Map<String, String> before = Trees.snapshot(home.resolve("backup"));
        String out = home.resolve("out.db").toString();
        for (String[] args : List.of(
                new String[] {"recover", backup.toString(), "--select", "app/app.db", "--target-data", out, "--yes"},
                new String[] {"plan", backup.toString(), "--select", "app/app.db", "--target-data", out},
                new String[] {"verify", backup.toString(), "--select", "app/app.db", "--restore-test"})) {
            CliRun r = CliRun.run(home, args);
            assertThat(r.exit).as(r.toString()).isEqualTo(2);
            assertThat(r.err).as(r.toString()).startsWith("dbrescue: the settings have 2 problem(s)")
                    .contains(conf() + ":2: syntax: ", conf() + ":5: encoding: this line is not UTF-8 text");
            assertThat(r.out).isEmpty();
            noTrace(r);
        }
        assertThat(home.resolve("out.db")).doesNotExist();
        assertThat(Trees.snapshot(home.resolve("backup"))).isEqualTo(before);

        CliRun show = CliRun.run(home, "config", "show");
        assertThat(show.exit).as(show.toString()).isZero();
        assertThat(show.out.lines()).anySatisfy(l -> assertThat(l).matches("max_parallel_operations +4 +" + conf() + ":3"));
        assertThat(show.err).contains(conf() + ":2: syntax", conf() + ":5: encoding");
        CliRun validate = CliRun.run(home, "config", "validate");
        assertThat(validate.exit).isEqualTo(2);
        assertThat(validate.out).contains(conf() + ":2: syntax", conf() + ":5: encoding");
    }

    @Test
    void validateReportsEveryBadLineWithItsLineKeyAndWhatIsAllowed() throws Exception {
        Files.createDirectories(conf().getParent());
        Files.writeString(conf(), String.join("\n", "[recovery]", "[[not a section", "max_parallel_operations = 99",
                "=no key", "chunk_size_mb = huge", "[recovery", "log_level = loud", ""));
        CliRun r = CliRun.run(home, "config", "validate");
        assertThat(r.exit).as(r.toString()).isEqualTo(2);
        assertThat(r.out.lines()).containsExactly(
                conf() + ":2: syntax: this line is not [section], key = value or a # comment. Fix or remove it.",
                conf() + ":3: max_parallel_operations: 99 is out of range; expected a whole number from 1 to 8.",
                conf() + ":4: syntax: this line is not [section], key = value or a # comment. Fix or remove it.",
                conf() + ":5: chunk_size_mb: 'huge' is not allowed; expected a whole number from 1 to 1024.",
                conf() + ":6: syntax: this line is not [section], key = value or a # comment. Fix or remove it.",
                conf() + ":7: log_level: 'loud' is not allowed; expected one of error, warn, info, debug, trace.");
        assertThat(r.err).contains("6 problem(s)");
    }

    @Test
    void aSelectionWithABackslashIsTheExactPathTheScanReports() throws Exception {
        CliRun scan = CliRun.run(home, "scan", backup.toString(), "--json");
        assertThat(new ObjectMapper().readTree(scan.out).path("findings").findValuesAsText("path"))
                .contains("back\\slash/x.db");

        CliRun r = CliRun.run(home, "plan", backup.toString(), "--select", "back\\slash/x.db", "--target-data",
                home.resolve("x.db").toString(), "--json");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(new ObjectMapper().readTree(r.out).path("decisions").get(0).path("path").asText())
                .isEqualTo("back\\slash/x.db");
    }

    @Test
    void theSameFindingSelectedTwiceIsPlannedOnce() throws Exception {
        CliRun r = CliRun.run(home, "plan", backup.toString(), "--select", "app/app.db", "--select", "./app/app.db",
                "--select", "app/app.db/", "--target-data", home.resolve("app.db").toString(), "--json");
        assertThat(r.exit).as(r.toString()).isZero();
        JsonNode plan = new ObjectMapper().readTree(r.out);
        assertThat(plan.path("decisions")).hasSize(1);
        assertThat(plan.path("steps").findValuesAsText("title").stream()
                .filter(t -> t.startsWith("Copy the database file"))).hasSize(1);
    }

    @Test
    void aTargetDataEndingInASlashThatIsNotThereBecomesAFolder() throws Exception {
        Path folder = home.resolve("restored/sqlite");
        CliRun r = CliRun.run(home, "recover", backup.toString(), "--select", "app/app.db", "--target-data",
                folder + "/", "--yes");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(folder).isDirectory();
        assertThat(folder.resolve("app.db")).isRegularFile();
        assertThat(Cmd.run(List.of("sqlite3", folder.resolve("app.db").toString(), "SELECT COUNT(*) FROM t")).trim())
                .isEqualTo("3");
    }

    @Test
    void theDryRunShowsTheFolderItWouldMakeAndMakesNothing() {
        Path folder = home.resolve("new/place");
        CliRun r = CliRun.run(home, "recover", backup.toString(), "--select", "app/app.db", "--target-data",
                folder + "/", "--dry-run");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).contains("Create the folder " + folder, "undo:   delete " + home.resolve("new"),
                "Copy the database file to " + folder.resolve("app.db"));
        assertThat(home.resolve("new")).as("a dry run makes nothing").doesNotExist();
    }

    private static byte[] concat(String text, byte[] more) {
        byte[] a = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] r = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, r, a.length, more.length);
        return r;
    }
}
