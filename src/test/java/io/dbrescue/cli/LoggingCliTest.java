package io.dbrescue.cli;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.logging.LogSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** --debug, log_level, the log file under $XDG_STATE_HOME and --save-debug-log, through Main.run. */
class LoggingCliTest {
    @TempDir
    Path home;

    @AfterEach
    void consoleOnly() {
        LogSetup.configureRun(Level.WARN, null);
    }

    @Test
    void debugPrintsDebugLinesOnStderrAndTheDefaultDoesNot() throws Exception {
        Path backup = Files.createDirectory(home.resolve("backup"));
        CliRun plain = CliRun.run(home, "scan", backup.toString());
        CliRun debug = CliRun.run(home, "scan", backup.toString(), "--debug");
        assertThat(plain.exit).isZero();
        assertThat(debug.exit).isZero();
        assertThat(plain.err).doesNotContain("DEBUG");
        assertThat(debug.err).contains("DEBUG").contains("setting max_parallel_operations = 2 (default)");
        assertThat(debug.out).isEqualTo(plain.out.replaceAll("\\d+ ms", debug.out.replaceAll("(?s).*?(\\d+ ms).*", "$1")));
        // the option also works before the command
        assertThat(CliRun.run(home, "--debug", "config", "show").err).contains("DEBUG");
    }

    @Test
    void logLevelFromTheSettingsChangesWhatIsPrinted() throws Exception {
        Path conf = home.resolve("config/dbrescue/recovery.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "[recovery]\nlog_level = debug\n");
        assertThat(CliRun.run(home, "config", "show").err).contains("DEBUG");
        Files.writeString(conf, "[recovery]\nlog_level = error\n");
        assertThat(CliRun.run(home, "config", "show").err).doesNotContain("DEBUG");
        assertThat(CliRun.run(home, "--set", "log_level=debug", "config", "show").err).contains("DEBUG");
    }

    @Test
    void theLogFileIsUnderTheStateFolder() throws Exception {
        CliRun.run(home, "--debug", "config", "show");
        Path log = home.resolve("state/dbrescue/logs/dbrescue.log");
        assertThat(log).exists();
        assertThat(Files.readString(log)).contains("DEBUG", "settings from");
    }

    @Test
    void invalidSettingsAreReportedOnceForOtherCommands() throws Exception {
        Path conf = home.resolve("config/dbrescue/recovery.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "[recovery]\nchunk_size_mb = huge\n");
        CliRun r = CliRun.run(home, "scan", Files.createDirectory(home.resolve("b")).toString());
        assertThat(r.exit).isZero();
        assertThat(r.err).contains("the settings have 1 problem(s)", conf + ":2: chunk_size_mb: 'huge' is not allowed");
    }

    @Test
    void saveDebugLogWritesOneJsonFileForAScanWithoutPasswords() throws Exception {
        Path bundle = home.resolve("debug.json");
        Path backup = Files.createDirectory(home.resolve("backup"));
        CliRun r = CliRun.run(home, "scan", backup.toString(), "--save-debug-log", bundle.toString());
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.err).contains("debug log saved to " + bundle);
        JsonNode json = new ObjectMapper().readTree(bundle.toFile());
        assertThat(json.path("arguments").get(0).asText()).isEqualTo("scan");
        assertThat(json.path("settings").path("values").path("max_parallel_operations").path("source").asText())
                .isEqualTo("default");
        assertThat(json.path("steps").get(0).path("name").asText()).isEqualTo("scan " + backup);
        assertThat(json.path("steps").get(0).path("outcome").asText()).isEqualTo("ok");

        // a failed scan whose argument carries a password: recorded as failed, password masked
        CliRun failed = CliRun.run(home, "--save-debug-log", bundle.toString(), "scan",
                "postgresql://ann:BundleSecret5@db/shop");
        assertThat(failed.exit).isEqualTo(2);
        String text = Files.readString(bundle);
        assertThat(text).doesNotContain("BundleSecret5").contains("\"failed\"");
    }
}
