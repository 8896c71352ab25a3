package io.dbrescue.cli;

import io.dbrescue.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The config commands through Main.run, with $XDG_CONFIG_HOME in a temporary folder. */
class ConfigCommandTest {
    @TempDir
    Path home;

    private Path conf() {
        return home.resolve("config/dbrescue/recovery.conf");
    }

    @Test
    void showPrintsEveryValueAndWhereItCameFrom() throws Exception {
        Files.createDirectories(conf().getParent());
        Files.writeString(conf(), "[recovery]\n# slow disk\nchunk_size_mb = 8\n");
        CliRun r = CliRun.run(home, "config", "show", "--set", "dry_run_mode=true");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).contains("Settings file: " + conf());
        assertThat(r.out.lines()).anySatisfy(l -> assertThat(l).matches("chunk_size_mb +8 +" + conf() + ":3"));
        assertThat(r.out.lines()).anySatisfy(l -> assertThat(l).matches("dry_run_mode +true +command line"));
        assertThat(r.out.lines()).anySatisfy(l -> assertThat(l).matches("max_parallel_operations +2 +default"));
        assertThat(r.out.lines()).anySatisfy(
                l -> assertThat(l).matches("images\\.postgresql +docker\\.io/library/postgres:\\{major} +default"));
        assertThat(r.err).isEmpty();
        // the override was for this run only
        assertThat(Files.readString(conf())).doesNotContain("dry_run_mode");
    }

    @Test
    void showWithoutAFileSaysTheDefaultsAreInEffect() {
        CliRun r = CliRun.run(home, "config", "show");
        assertThat(r.exit).isZero();
        assertThat(r.out).contains(conf() + " (not there: defaults in effect)");
        assertThat(Files.exists(conf())).isFalse();
    }

    @Test
    void setValidatesThenWritesInPlace() throws Exception {
        CliRun ok = CliRun.run(home, "config", "set", "max_parallel_operations", "4");
        assertThat(ok.exit).as(ok.toString()).isZero();
        assertThat(ok.out).isEqualTo("max_parallel_operations = 4 (saved in " + conf() + ")\n");
        assertThat(Settings.load(conf()).maxParallelOperations()).isEqualTo(4);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf()))).isEqualTo("rw-------");

        CliRun range = CliRun.run(home, "config", "set", "max_parallel_operations", "9");
        assertThat(range.exit).isEqualTo(2);
        assertThat(range.err).isEqualTo(
                "dbrescue: max_parallel_operations: 9 is out of range; expected a whole number from 1 to 8.\n");

        CliRun unknown = CliRun.run(home, "config", "set", "max_paralel_operations", "3");
        assertThat(unknown.exit).isEqualTo(2);
        assertThat(unknown.err).startsWith("dbrescue: unknown key 'max_paralel_operations'. "
                + "Did you mean max_parallel_operations?");

        CliRun injected = CliRun.run(home, "config", "set", "run_as_user", "ann\n[recovery]\ndry_run_mode=true");
        assertThat(injected.exit).isEqualTo(2);
        assertThat(injected.err).isEqualTo("dbrescue: run_as_user: a value must be one line of text; expected a user "
                + "name such as postgres, or empty for the engine's usual user.\n");

        CliRun bin = CliRun.run(home, "config", "set", "binaries.postgresql_16", "/usr/lib/postgresql/16/bin");
        assertThat(bin.exit).as(bin.toString()).isZero();
        assertThat(Files.readString(conf())).contains("[binaries]", "postgresql_16 = /usr/lib/postgresql/16/bin",
                "max_parallel_operations = 4");
    }

    @Test
    void setWritesTheFileGivenWithConfig() {
        Path other = home.resolve("elsewhere.conf");
        CliRun r = CliRun.run(home, "--config", other.toString(), "config", "set", "dry_run_mode", "true");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(Files.exists(other)).isTrue();
        assertThat(Files.exists(conf())).isFalse();
    }

    @Test
    void validateExitsZeroForAValidFileAndTwoWithOneLinePerProblem() throws Exception {
        Path good = home.resolve("good.conf");
        Files.writeString(good, "[recovery]\nmetrics_port = 9100\n");
        CliRun ok = CliRun.run(home, "config", "validate", good.toString());
        assertThat(ok.exit).isZero();
        assertThat(ok.out).isEqualTo(good + ": valid.\n");

        Path bad = home.resolve("bad.conf");
        Files.writeString(bad, "[recovery]\nmetrics_port = 80\nenable_metrix = true\n");
        CliRun r = CliRun.run(home, "config", "validate", bad.toString());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).isEqualTo(
                bad + ":2: metrics_port: 80 is out of range; expected a whole number from 1024 to 65535.\n"
                + bad + ":3: enable_metrix: unknown key. Did you mean enable_metrics? "
                + "docs/configuration.md lists the keys of [recovery].\n");
        assertThat(r.err).contains("2 problem(s)");
    }

    @Test
    void validateOfAMissingFileIsValidAndOfAFolderIsAnError() throws Exception {
        CliRun missing = CliRun.run(home, "config", "validate");
        assertThat(missing.exit).isZero();
        assertThat(missing.out).isEqualTo(conf() + ": not there; the defaults are in effect (valid).\n");
        Path folder = Files.createDirectory(home.resolve("folder.conf"));
        CliRun r = CliRun.run(home, "config", "validate", folder.toString());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).isEqualTo("dbrescue: " + folder + " is a folder, not a settings file. Remove it or point "
                + "to the settings file with --config FILE.\n");
    }

    @Test
    void initAsksWithDefaultsShownAndWritesTheFile() throws Exception {
        // backup_path, auto_detect (Enter), strategy (bad then good), the rest: end of input → defaults
        CliRun r = CliRun.withInput(home, "/media/backup\n\nfast\ncontainer_based\n", "config", "init");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).contains("Creating " + conf(),
                "auto_detect_databases: Scan the backup folder as soon as it is chosen.",
                "(true or false (yes/no, on/off, 1/0 also work)) [true]: ",
                "'fast' is not allowed; expected one of direct, container_based, dump_restore. Try again.",
                "enable_progress_tracking: Measure progress by bytes and show the speed and the time left while a recovery "
                        + "runs.\n"
                        + "  (true or false (yes/no, on/off, 1/0 also work)) [true]: \n"
                        + "End of input: the remaining settings keep the values in brackets.",
                "Saved " + conf());
        Settings s = Settings.load(conf());
        assertThat(s.problems()).isEmpty();
        assertThat(s.backupPath()).contains(Path.of("/media/backup"));
        assertThat(s.preferredMigrationStrategy().id()).isEqualTo("container_based");
        assertThat(s.maxParallelOperations()).isEqualTo(2);
        assertThat(s.value("metrics_port").orElseThrow().source().kind().name()).isEqualTo("FILE");
        assertThat(Files.readString(conf())).contains("# How many copy or restore jobs run at once.");
    }

    @Test
    void initOnAnExistingFileKeepsItsCommentsAndOffersItsValues() throws Exception {
        Files.createDirectories(conf().getParent());
        Files.writeString(conf(), "# mine\n[recovery]\n# four is plenty\nmax_parallel_operations = 4\nnote = keep\n");
        CliRun r = CliRun.withInput(home, "\n\n\n\n\n\n\n6\n", "config", "init");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).contains("Updating " + conf(), "(a whole number from 1 to 8) [4]: ");
        String text = Files.readString(conf());
        assertThat(text).contains("# mine", "# four is plenty", "max_parallel_operations = 6", "note = keep",
                "timeout_seconds = 3600");
    }
}
