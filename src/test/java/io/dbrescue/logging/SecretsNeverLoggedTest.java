package io.dbrescue.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A password handed to CommandLog, DebugBundle or any logger never reaches the log file or the bundle. */
class SecretsNeverLoggedTest {
    private static final List<String> SECRETS = List.of("Tr0ub4dor-registered", "EnvPgSecret1", "UriSecret22",
            "ConnSecret33", "MyPw12345", "RedisPw777", "MongoPw888");

    @TempDir
    Path dir;

    @AfterEach
    void consoleOnly() {
        LogSetup.configureRun(Level.WARN, null);
    }

    @Test
    void secretsAreMaskedInTheLogFileAndTheBundle() throws Exception {
        Path logFile = LogSetup.configureRun(Level.DEBUG, dir.resolve("logs")).orElseThrow();
        Redactor.global().addSecret("Tr0ub4dor-registered");
        DebugBundle bundle = new DebugBundle(Redactor.global());
        LogSetup.collectCommands(bundle);

        CommandLog.finished(List.of("/usr/lib/postgresql/18/bin/pg_dumpall", "-h", "127.0.0.1",
                        "--dbname=postgresql://ann:UriSecret22@127.0.0.1:5433/postgres"),
                Map.of("PGPASSWORD", "EnvPgSecret1"), 1, Duration.ofMillis(1234),
                "pg_dumpall: connecting with host=127.0.0.1 password=ConnSecret33\n"
                        + "FATAL: password authentication failed for user \"ann\"");
        CommandLog.finished(List.of("mariadb-dump", "-uroot", "-pMyPw12345", "shop"), Map.of("MYSQL_PWD", "MyPw12345"),
                0, Duration.ofMillis(20), "Warning: using Tr0ub4dor-registered");
        CommandLog.finished(List.of("redis-cli", "-a", "RedisPw777", "PING"), Map.of("REDISCLI_AUTH", "RedisPw777"),
                0, Duration.ofMillis(3), "");
        CommandLog.failedToStart(List.of("mongorestore", "-p", "MongoPw888"), Map.of(),
                new java.io.IOException("Cannot run program \"mongorestore\": error=2, No such file or directory"));
        LoggerFactory.getLogger("io.dbrescue.run.Test").warn("the engine slipped: Tr0ub4dor-registered",
                new IllegalStateException("password=ConnSecret33"));
        bundle.recordError("restore", new RuntimeException("could not log in with Tr0ub4dor-registered"));
        bundle.recordStep("restore shop", Duration.ofSeconds(2), "failed", "PGPASSWORD=EnvPgSecret1");
        Path bundleFile = dir.resolve("debug.json");
        bundle.write(bundleFile);

        String logText = Files.readString(logFile);
        String bundleText = Files.readString(bundleFile);
        for (String secret : SECRETS) {
            assertThat(logText).as("log file").doesNotContain(secret);
            assertThat(bundleText).as("bundle").doesNotContain(secret);
        }
        // what matters for debugging is still there
        assertThat(logText).contains("pg_dumpall", "-h, 127.0.0.1", "exit 1 in 1234 ms",
                "FATAL: password authentication failed for user \"ann\"", "-p********", "PGPASSWORD=********");
        JsonNode json = new ObjectMapper().readTree(bundleText);
        assertThat(json.path("commands")).hasSize(4);
        assertThat(json.path("commands").get(0).path("exitCode").asInt()).isEqualTo(1);
        assertThat(json.path("commands").get(0).path("durationMillis").asLong()).isEqualTo(1234);
        assertThat(json.path("commands").get(0).path("environment").path("PGPASSWORD").asText()).isEqualTo(Redactor.MASK);
        assertThat(json.path("commands").get(0).path("stderrTail").asText()).contains("FATAL");
        assertThat(json.path("java").asText()).contains(System.getProperty("java.runtime.version"));
        assertThat(json.path("os").asText()).startsWith(System.getProperty("os.name"));
        assertThat(json.path("dbrescue").asText()).isNotEmpty();
        assertThat(json.path("errors")).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundleFile))).isEqualTo("rw-------");
    }

    /**
     * Every program dbrescue runs reaches a bundle being collected — run by a step or by a planner (no step
     * context), with the console at warn and no log file — and none after the next run's logging is set up.
     */
    @Test
    void theBundleCollectsEveryProgramUntilTheNextRun() throws Exception {
        LogSetup.configureRun(Level.WARN, null);
        DebugBundle bundle = new DebugBundle(Redactor.global());
        LogSetup.collectCommands(bundle);
        io.dbrescue.run.Exec.of(List.of("true")).run(null);
        io.dbrescue.run.Exec.of(List.of("sh", "-c", "echo no >&2; exit 3")).run(null);
        LogSetup.configureRun(Level.WARN, null);
        io.dbrescue.run.Exec.of(List.of("true", "after")).run(null);
        Path bundleFile = dir.resolve("debug.json");
        bundle.write(bundleFile);
        JsonNode commands = new ObjectMapper().readTree(Files.readString(bundleFile)).path("commands");
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0).path("argv").toString()).contains("true");
        assertThat(commands.get(1).path("exitCode").asInt()).isEqualTo(3);
        assertThat(commands.get(1).path("stderrTail").asText()).isEqualTo("no");
    }

    @Test
    void theLogFileRotatesBySizeAndKeepsAFewFiles() {
        Path logFile = LogSetup.configureRun(Level.WARN, dir.resolve("logs")).orElseThrow();
        assertThat(logFile).isEqualTo(dir.resolve("logs/dbrescue.log"));
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        var appender = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("file");
        assertThat(appender).isInstanceOf(RollingFileAppender.class);
        RollingFileAppender<?> rolling = (RollingFileAppender<?>) appender;
        assertThat(rolling.getTriggeringPolicy()).isInstanceOf(SizeBasedTriggeringPolicy.class);
        FixedWindowRollingPolicy policy = (FixedWindowRollingPolicy) rolling.getRollingPolicy();
        assertThat(policy.getMaxIndex()).isEqualTo(4);
        assertThat(policy.getFileNamePattern()).isEqualTo(dir.resolve("logs/dbrescue.%i.log").toString());
        // the file gets info even when the console only shows warnings
        LoggerFactory.getLogger("x").info("an info line");
        assertThat(logFile).content().contains("INFO  [").contains("an info line");
    }

    @Test
    void tailKeepsTheLastLines() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            b.append("line ").append(i).append('\n');
        }
        String tail = CommandLog.tail(b.toString());
        assertThat(tail.lines()).hasSize(CommandLog.TAIL_LINES).first().isEqualTo("line 31");
        assertThat(CommandLog.tail(null)).isEmpty();
    }
}
