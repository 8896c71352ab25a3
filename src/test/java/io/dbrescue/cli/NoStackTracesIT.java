package io.dbrescue.cli;

import io.dbrescue.testing.Jar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built program (java -jar) prints no stack trace on stderr without --debug: a garbled journal, bad
 * options, a missing --config file, a window without a display, an error in a command. The trace goes to
 * the log file; --debug shows it on stderr too.
 */
class NoStackTracesIT {
    @TempDir
    Path home;

    private Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("XDG_STATE_HOME", home.resolve("state").toString(),
                "XDG_CONFIG_HOME", home.resolve("config").toString()));
        for (int i = 0; i + 1 < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static void oneLineNoTrace(Jar.Run run, int exit) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exit);
        assertThat(run.stderr().lines()).as(run.toString()).hasSize(1);
        assertThat(run.stderr()).as(run.toString()).startsWith("dbrescue: ").doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    @Test
    void badInputIsOneLineWithoutATrace() throws Exception {
        Path runs = Files.createDirectories(home.resolve("state/dbrescue/runs"));
        Files.writeString(runs.resolve("20261203-101010-half.json"), "{\"runId\": \"20261203-101010-half\", \"pla");
        Path backup = Files.createDirectories(home.resolve("backup"));
        oneLineNoTrace(Jar.run(env(), "recover", "--resume", "20261203-101010-half"), 2);
        oneLineNoTrace(Jar.run(env(), "recover", "--resume", "no-such-run"), 2);
        Files.createFile(runs.resolve("20261203-101010-tmp.json.tmp"));
        oneLineNoTrace(Jar.run(env(), "recover", "--resume", "20261203-101010-tmp"), 2);
        oneLineNoTrace(Jar.run(env(), "plan", backup.toString(), "--select", "x", "--target-port", "0"), 2);
        oneLineNoTrace(Jar.run(env(), "--config", home.resolve("missing.conf").toString(), "scan", backup.toString()), 2);
        oneLineNoTrace(Jar.run(env(), "scan", backup.toString(), "--no-such-option"), 2);
        oneLineNoTrace(Jar.run(env(), "history", "--limit", "many"), 2);
    }

    @Test
    void aWindowWithoutADisplayIsOneLine() {
        Jar.Run none = Jar.run(env(), "gui");
        oneLineNoTrace(none, 1);
        // a display that is set but cannot be opened: JavaFX throws from its launcher
        Jar.Run unreachable = Jar.run(env("DISPLAY", ":87"), "gui");
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(1);
        assertThat(unreachable.stderr()).as(unreachable.toString()).contains("dbrescue: ")
                .doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void debugShowsTheTraceAndTheLogFileKeepsIt() throws Exception {
        Path runs = Files.createDirectories(home.resolve("state/dbrescue/runs"));
        Files.writeString(runs.resolve("20261203-101010-half.json"), "{\"runId\": \"20261203-101010-half\", \"pla");
        Jar.Run plain = Jar.run(env(), "recover", "--resume", "20261203-101010-half");
        assertThat(plain.stderr()).doesNotContain("\tat ");
        Jar.Run debug = Jar.run(env(), "--debug", "recover", "--resume", "20261203-101010-half");
        assertThat(debug.exitCode()).isEqualTo(2);
        assertThat(debug.stderr()).as(debug.toString()).contains("JsonEOFException", "\tat ")
                .contains("dbrescue: the journal " + runs.resolve("20261203-101010-half.json") + " is cut short");
        assertThat(Files.readString(home.resolve("state/dbrescue/logs/dbrescue.log"))).contains("JsonEOFException", "\tat ");
    }
}
