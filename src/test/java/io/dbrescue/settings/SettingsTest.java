package io.dbrescue.settings;

import io.dbrescue.scan.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path f = dir.resolve("recovery.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void missingFileGivesTheDefaultsWithoutProblems() throws Exception {
        Settings s = Settings.load(dir.resolve("nope/recovery.conf"));
        assertThat(s.fileExists()).isFalse();
        assertThat(s.problems()).isEmpty();
        assertThat(s.backupPath()).isEmpty();
        assertThat(s.autoDetectDatabases()).isTrue();
        assertThat(s.preferredMigrationStrategy()).isEqualTo(MigrationStrategy.DIRECT);
        assertThat(s.enableProgressTracking()).isTrue();
        assertThat(s.backupExistingData()).isTrue();
        assertThat(s.dryRunMode()).isFalse();
        assertThat(s.requireConfirmation()).isTrue();
        assertThat(s.maxParallelOperations()).isEqualTo(2);
        assertThat(s.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(s.chunkSizeMb()).isEqualTo(64);
        assertThat(s.chunkSizeBytes()).isEqualTo(64_000_000L);
        assertThat(s.logLevel()).isEqualTo("warn");
        assertThat(s.enableMetrics()).isFalse();
        assertThat(s.metricsPort()).isEqualTo(9464);
        assertThat(s.runAsUser()).isEmpty();
        assertThat(s.containerImage(Engine.POSTGRESQL, "16.4")).isEqualTo("docker.io/library/postgres:16");
        assertThat(s.containerImage(Engine.POSTGRESQL, "9.6.24")).isEqualTo("docker.io/library/postgres:9.6");
        assertThat(s.containerImage(Engine.MARIADB, "10.11.5")).isEqualTo("docker.io/library/mariadb:10.11");
        assertThat(s.containerImage(Engine.MYSQL, "8.0.36")).isEqualTo("docker.io/library/mysql:8.0");
        assertThat(s.containerImage(Engine.REDIS, "7.2.4")).isEqualTo("docker.io/library/redis:7.2");
        assertThat(s.containerImage(Engine.MONGODB, "7.0.2")).isEqualTo("docker.io/library/mongo:7.0");
        assertThat(s.binaries(Engine.POSTGRESQL, "16")).isEmpty();
        assertThat(s.values().values()).allSatisfy(v -> assertThat(v.source()).isEqualTo(Source.DEFAULT));
    }

    @Test
    void everyKeyIsReadTypedAndRemembersItsLine() throws Exception {
        Path f = write("""
                # my settings
                [recovery]
                backup_path = /media/backup/old
                auto_detect_databases = no
                preferred_migration_strategy = dump_restore
                enable_progress_tracking = off
                backup_existing_data = false
                dry_run_mode = yes
                require_confirmation = 0
                max_parallel_operations = 8
                timeout_seconds = 120
                chunk_size_mb = 16
                log_level = DEBUG
                enable_metrics = true
                metrics_port = 9100
                run_as_user = postgres

                [images]
                postgresql = registry.example/pg:{major}-alpine
                mariadb = quay.io/mariadb:{version}
                mysql = mysql:{major}
                redis = redis:{major}
                mongodb = mongo:{major}

                [binaries]
                postgresql_16 = /usr/lib/postgresql/16/bin
                mariadb_10.11 = /opt/mariadb-10.11/bin
                """);
        Settings s = Settings.load(f);
        assertThat(s.problems()).isEmpty();
        assertThat(s.backupPath()).contains(Path.of("/media/backup/old"));
        assertThat(s.autoDetectDatabases()).isFalse();
        assertThat(s.preferredMigrationStrategy()).isEqualTo(MigrationStrategy.DUMP_RESTORE);
        assertThat(s.enableProgressTracking()).isFalse();
        assertThat(s.backupExistingData()).isFalse();
        assertThat(s.dryRunMode()).isTrue();
        assertThat(s.requireConfirmation()).isFalse();
        assertThat(s.maxParallelOperations()).isEqualTo(8);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.chunkSizeMb()).isEqualTo(16);
        assertThat(s.logLevel()).isEqualTo("debug");
        assertThat(s.enableMetrics()).isTrue();
        assertThat(s.metricsPort()).isEqualTo(9100);
        assertThat(s.runAsUser()).contains("postgres");
        assertThat(s.containerImage(Engine.POSTGRESQL, "12.3")).isEqualTo("registry.example/pg:12-alpine");
        assertThat(s.containerImage(Engine.MARIADB, "10.6.12")).isEqualTo("quay.io/mariadb:10.6.12");
        assertThat(s.binaries(Engine.POSTGRESQL, "16.4")).contains(Path.of("/usr/lib/postgresql/16/bin"));
        assertThat(s.binaries(Engine.MARIADB, "10.11.5")).contains(Path.of("/opt/mariadb-10.11/bin"));
        assertThat(s.binaries(Engine.POSTGRESQL, "17")).isEmpty();
        assertThat(s.value("max_parallel_operations").orElseThrow().source()).isEqualTo(Source.file(f, 10));
        assertThat(s.value("images.redis").orElseThrow().source().toString()).isEqualTo(f + ":22");
        assertThat(s.value("binaries.postgresql_16").orElseThrow().source().line()).isEqualTo(26);
        assertThat(s.value("chunk_size_mb").orElseThrow().source().kind()).isEqualTo(Source.Kind.FILE);
    }

    @Test
    void badTypeOutOfRangeAndUnknownKeysNameFileLineKeyAndWhatIsAllowed() throws Exception {
        Path f = write("""
                [recovery]
                dry_run_mode = maybe
                max_parallel_operations = 12
                timeout_seconds = soon
                max_paralel_operations = 3
                preferred_migration_strategy = containr_based
                backup_path = backups
                run_as_user = Post Gres
                [images]
                postgres = postgres:{major}
                redis = redis:{tag}
                [binaries]
                postgresql_16 = bin
                postgres_16 = /usr/lib/postgresql/16/bin
                [imagse]
                x = 1
                """);
        Settings s = Settings.load(f);
        assertThat(s.problems()).extracting(Problem::toString).containsExactly(
                f + ":2: dry_run_mode: 'maybe' is not allowed; expected true or false (yes/no, on/off, 1/0 also work).",
                f + ":3: max_parallel_operations: 12 is out of range; expected a whole number from 1 to 8.",
                f + ":4: timeout_seconds: 'soon' is not allowed; expected a whole number of seconds from 10 to 604800 (a week).",
                f + ":5: max_paralel_operations: unknown key. Did you mean max_parallel_operations? "
                        + "docs/configuration.md lists the keys of [recovery].",
                f + ":6: preferred_migration_strategy: 'containr_based' is not allowed; expected one of direct, "
                        + "container_based, dump_restore. Did you mean container_based?",
                f + ":7: backup_path: 'backups' is not allowed; expected an absolute path (~/ allowed), or empty for none.",
                f + ":8: run_as_user: 'Post Gres' is not allowed; expected a user name such as postgres, or empty "
                        + "for the engine's usual user.",
                f + ":10: images.postgres: unknown key. Did you mean postgresql? docs/configuration.md lists the keys of [images].",
                f + ":11: images.redis: unknown placeholder {tag}; expected an image reference without spaces; "
                        + "{major} and {version} are replaced.",
                f + ":13: binaries.postgresql_16: 'bin' is not allowed; expected an absolute path to the folder "
                        + "holding that version's programs.",
                f + ":14: binaries.postgres_16: unknown key. Did you mean postgresql_16? [binaries] keys are ENGINE_VERSION "
                        + "(postgresql, mysql, mariadb, mongodb or redis, an underscore and a version, e.g. postgresql_16).",
                f + ":15: [imagse]: unknown section; the sections are [recovery], [images] and [binaries]. Did you mean images?");
        // invalid values fall back to their defaults, so the rest still works
        assertThat(s.maxParallelOperations()).isEqualTo(2);
        assertThat(s.dryRunMode()).isFalse();
        assertThat(s.isValid()).isFalse();
    }

    @Test
    void keysOutsideASectionDuplicatesAndSyntaxErrorsAreReported() throws Exception {
        Path f = write("dry_run_mode = true\n[recovery]\nchunk_size_mb = 8\nchunk_size_mb = 9\n");
        assertThat(Settings.load(f).problems()).extracting(Problem::toString).containsExactly(
                f + ":1: dry_run_mode: this key is outside any section; put it under [recovery] (or [images] / [binaries]).",
                f + ":4: chunk_size_mb: set more than once (lines 3 and 4); keep one of them.");
        Path g = write("[recovery\nchunk_size_mb = 8\n");
        assertThat(Settings.load(g).problems()).extracting(Problem::toString).containsExactly(
                g + ":1: syntax: this line is not [section], key = value or a # comment. Fix or remove it.");
    }

    @Test
    void inlineCommentsAndEmptyValuesAreAllowed() throws Exception {
        Path f = write("[recovery]\nchunk_size_mb = 8   # smaller pieces\nbackup_path =\n; old style comment\n");
        Settings s = Settings.load(f);
        assertThat(s.problems()).isEmpty();
        assertThat(s.chunkSizeMb()).isEqualTo(8);
        assertThat(s.backupPath()).isEmpty();
    }

    @Test
    void aFolderInPlaceOfTheFileIsAClearError() throws Exception {
        Path f = Files.createDirectory(dir.resolve("recovery.conf"));
        assertThatThrownBy(() -> Settings.load(f)).isInstanceOf(SettingsReadException.class)
                .hasMessage(f + " is a folder, not a settings file. Remove it or point to the settings file "
                        + "with --config FILE.");
    }

    // an unreadable file: UnreadableConfigIT runs the jar as an unprivileged user (root reads any file)

    @Test
    void commandLineOverridesWinForOneRunAndAreValidated() throws Exception {
        Path f = write("[recovery]\nmax_parallel_operations = 4\n");
        Settings file = Settings.load(f);
        Settings s = file.withOverrides(Map.of("max_parallel_operations", "6", "images.redis", "valkey:{major}"));
        assertThat(s.maxParallelOperations()).isEqualTo(6);
        assertThat(s.value("max_parallel_operations").orElseThrow().source()).isEqualTo(Source.COMMAND_LINE);
        assertThat(s.containerImage(Engine.REDIS, "7.2.4")).isEqualTo("valkey:7.2");
        assertThat(file.maxParallelOperations()).isEqualTo(4);
        assertThat(Files.readString(f)).contains("= 4");
        Settings bad = file.withOverrides(Map.of("dry_run", "true"));
        assertThat(bad.problems()).extracting(Problem::toString).containsExactly(
                "command line: dry_run: unknown key; `dbrescue config show` lists the keys. Did you mean dry_run_mode?");
    }

    @Test
    void requireValidRefusesWithEveryProblemAndHowToFixIt() throws Exception {
        Path f = write("[recovery]\nmetrics_port = 80\n");
        Settings s = Settings.load(f);
        assertThatThrownBy(s::requireValid).isInstanceOf(InvalidSettingsException.class)
                .hasMessage("the settings have 1 problem(s), so no recovery was started:\n"
                        + "  " + f + ":2: metrics_port: 80 is out of range; expected a whole number from 1024 to 65535.\n"
                        + "Fix each line in " + f + " (or the command-line option): `dbrescue config set KEY VALUE` "
                        + "changes a value, `dbrescue config validate` checks the file again.");
        assertThat(Settings.defaults(f).requireValid()).isNotNull();
    }

    @Test
    void xdgFoldersFollowTheEnvironment() {
        AppPaths p = AppPaths.from(Environment.of(Map.of("HOME", "/home/ann", "XDG_CONFIG_HOME", "/cfg")));
        assertThat(p.configFile()).isEqualTo(Path.of("/cfg/dbrescue/recovery.conf"));
        assertThat(p.logDir()).isEqualTo(Path.of("/home/ann/.local/state/dbrescue/logs"));
        assertThat(p.historyFile()).isEqualTo(Path.of("/home/ann/.local/state/dbrescue/history.jsonl"));
        AppPaths relative = AppPaths.from(Environment.of(Map.of("HOME", "/home/ann", "XDG_STATE_HOME", "rel")));
        assertThat(relative.stateDir()).isEqualTo(Path.of("/home/ann/.local/state/dbrescue"));
        assertThat(Optional.of(AppPaths.from(Environment.of(Map.of("HOME", "/h"))).configFile()))
                .contains(Path.of("/h/.config/dbrescue/recovery.conf"));
    }
}
