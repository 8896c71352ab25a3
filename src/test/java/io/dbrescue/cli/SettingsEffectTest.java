package io.dbrescue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No setting is decorative: each key of recovery.conf that the engine reads changes what a real
 * recovery does (a SQLite file restored into a folder: the quickest real restore there is). Keys
 * whose effect lives elsewhere have their own tests: log_level (LoggingCliTest), enable_metrics and
 * metrics_port (ResumeAfterKillIT scrapes a real run), binaries (TargetFakeRootTest and the
 * PostgreSQL planner tests via --target-bin), timeout_seconds and chunk_size_mb (ExecTimeoutTest,
 * CopyTreeTest), preferred_migration_strategy (PlannerPreferenceTest).
 */
class SettingsEffectTest {
    @TempDir
    Path home;
    Path backup;
    Path target;

    @BeforeEach
    void backupWithASqliteFile() throws Exception {
        backup = Files.createDirectories(home.resolve("backup/home/ann/app"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup.resolve("app.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
            s.execute("INSERT INTO notes (body) VALUES ('a'), ('b'), ('c')");
        }
        backup = home.resolve("backup");
        target = Files.createDirectories(home.resolve("restored"));
    }

    private void settings(String... lines) throws Exception {
        Path file = Files.createDirectories(home.resolve("config/dbrescue")).resolve("recovery.conf");
        Files.writeString(file, "[recovery]\n" + String.join("\n", lines) + "\n");
    }

    private CliRun recover(String stdin, String... extra) {
        String[] base = {"recover", backup.toString(), "--select", "home/ann/app/app.db", "--target-data", target.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.withInput(home, stdin, args);
    }

    private static long rows(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM notes")) {
            return r.getLong(1);
        }
    }

    @Test
    void backupPathIsTheDefaultBackupFolder() throws Exception {
        CliRun without = CliRun.run(home, "recover", "--select", "home/ann/app/app.db", "--target-data", target.toString(), "--yes");
        assertThat(without.exit).isEqualTo(2);
        assertThat(without.err).contains("give the backup folder").contains("backup_path");

        settings("backup_path = " + backup);
        CliRun with = CliRun.run(home, "recover", "--select", "home/ann/app/app.db", "--target-data", target.toString(), "--yes");
        assertThat(with.exit).as(with.toString()).isZero();
        assertThat(rows(target.resolve("app.db"))).isEqualTo(3);
    }

    @Test
    void dryRunModeChangesNothing() throws Exception {
        settings("dry_run_mode = true");
        Map<String, String> before = Trees.snapshot(target);
        CliRun r = recover("", "--yes");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).contains("dry_run_mode is on in the settings").contains("nothing was changed");
        assertThat(Trees.snapshot(target)).isEqualTo(before);
    }

    @Test
    void requireConfirmationDecidesWhetherToAsk() throws Exception {
        CliRun asked = recover(""); // no answer on stdin
        assertThat(asked.exit).isEqualTo(2);
        assertThat(asked.err).contains("not confirmed");
        assertThat(target.resolve("app.db")).doesNotExist();

        settings("require_confirmation = false");
        CliRun notAsked = recover("");
        assertThat(notAsked.exit).as(notAsked.toString()).isZero();
        assertThat(rows(target.resolve("app.db"))).isEqualTo(3);
    }

    @Test
    void backupExistingDataKeepsOrRemovesTheSafetyCopy() throws Exception {
        Files.writeString(target.resolve("app.db"), "the file that was there before");
        assertThat(recover("", "--yes").exit).isZero();
        try (var files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains("before-dbrescue"));
        }

        Path second = Files.createDirectories(home.resolve("second"));
        Files.writeString(second.resolve("app.db"), "the file that was there before");
        settings("backup_existing_data = false");
        CliRun r = CliRun.run(home, "recover", backup.toString(), "--select", "home/ann/app/app.db",
                "--target-data", second.toString(), "--yes");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(rows(second.resolve("app.db"))).isEqualTo(3);
        try (var files = Files.list(second)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("before-dbrescue"));
        }
        assertThat(r.out).contains("without a safety copy").contains("backup_existing_data = false");
    }

    @Test
    void maxParallelOperationsRunAsUserTimeoutAndChunkGoIntoThePlan() throws Exception {
        settings("max_parallel_operations = 5", "run_as_user = nobody", "timeout_seconds = 120", "chunk_size_mb = 8",
                "preferred_migration_strategy = dump_restore");
        CliRun r = CliRun.run(home, "plan", backup.toString(), "--select", "home/ann/app/app.db",
                "--target-data", target.toString(), "--json");
        assertThat(r.exit).as(r.toString()).isZero();
        JsonNode request = new ObjectMapper().readTree(r.out).get("request");
        assertThat(request.get("jobs").asInt()).isEqualTo(5);
        assertThat(request.get("target").get("runAs").asText()).isEqualTo("nobody");
        assertThat(request.get("timeoutSeconds").asLong()).isEqualTo(120);
        assertThat(request.get("chunkBytes").asLong()).isEqualTo(8_000_000L); // MB, as every size shown
        assertThat(request.get("preferred").asText()).isEqualTo("dump-restore");

        CliRun overridden = CliRun.run(home, "plan", backup.toString(), "--select", "home/ann/app/app.db",
                "--target-data", target.toString(), "--json", "--jobs", "1", "--run-as", "daemon");
        JsonNode o = new ObjectMapper().readTree(overridden.out).get("request");
        assertThat(o.get("jobs").asInt()).isEqualTo(1);
        assertThat(o.get("target").get("runAs").asText()).isEqualTo("daemon");
    }

    @Test
    void anInvalidSettingsFileRefusesARecovery() throws Exception {
        settings("max_parallel_operations = 12");
        CliRun r = recover("", "--yes");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("recovery.conf:2").contains("max_parallel_operations");
        assertThat(target.resolve("app.db")).doesNotExist();
    }

    @Test
    void enableProgressTrackingTurnsThePercentageLinesOff() {
        java.io.StringWriter shown = new java.io.StringWriter();
        ConsoleProgress on = new ConsoleProgress(new java.io.PrintWriter(shown), true);
        on.progress(new io.dbrescue.run.ProgressEvent("r", "step", "1.1", "copy", 50, 100, 50, 100, 10, 5, null));
        assertThat(shown.toString()).contains("50%");

        java.io.StringWriter hidden = new java.io.StringWriter();
        ConsoleProgress off = new ConsoleProgress(new java.io.PrintWriter(hidden), false);
        off.progress(new io.dbrescue.run.ProgressEvent("r", "step", "1.1", "copy", 50, 100, 50, 100, 10, 5, null));
        off.progress(new io.dbrescue.run.ProgressEvent("r", "done", null, null, 0, 0, 100, 100, 10, 0, "1 restored."));
        assertThat(hidden.toString()).doesNotContain("%").contains("1 restored.");
    }
}
