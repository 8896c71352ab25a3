package io.dbrescue.cli;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dbrescue's own files are its user's only: after a real restore (the built program, a SQLite file) the
 * state folder, runs/, the run's folder and logs/ are 0700 and the journal, history.jsonl and the log
 * 0600; a state folder left with 0755 / 0644 (as older versions made it) is tightened at the next start.
 * The restored database itself keeps its own mode.
 */
class FileModesIT {
    @TempDir
    Path base;

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> env() {
        return Map.of("XDG_STATE_HOME", base.resolve("state").toString(), "XDG_CONFIG_HOME", base.resolve("config").toString());
    }

    private static void assertPrivate(Path state) throws IOException {
        try (Stream<Path> all = Files.walk(state)) {
            for (Path p : all.toList()) {
                assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }

    @Test
    void afterARunEverythingOfDbrescuesIsPrivate() throws Exception {
        Path backup = Files.createDirectories(base.resolve("backup/app"));
        Cmd.run(List.of("sqlite3", backup.resolve("app.db").toString(), "CREATE TABLE t(x); INSERT INTO t VALUES (1);"));
        Path target = base.resolve("restored.db");
        Jar.Run r = Jar.run(env(), "recover", base.resolve("backup").toString(), "--select", "app/app.db",
                "--target-data", target.toString(), "--yes");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path state = base.resolve("state/dbrescue");
        assertThat(state.resolve("history.jsonl")).exists();
        assertThat(state.resolve("logs/dbrescue.log")).exists();
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            assertThat(runs.filter(p -> p.toString().endsWith(".json")).count()).isEqualTo(1);
        }
        assertPrivate(state);
        assertThat(mode(target)).as("the restored file keeps the mode it was made with")
                .isEqualTo(mode(backup.resolve("app.db"))).isEqualTo("rw-r--r--");
    }

    @Test
    void aStateFolderOfAnOlderVersionIsTightenedAtStart() throws Exception {
        Path state = base.resolve("state/dbrescue");
        Path run = Files.createDirectories(state.resolve("runs/20250101-000000-abcd"));
        Files.createDirectories(state.resolve("logs"));
        List<Path> files = List.of(state.resolve("history.jsonl"), state.resolve("logs/dbrescue.log"),
                state.resolve("logs/dbrescue.1.log"), state.resolve("runs/20250101-000000-abcd.json"),
                run.resolve("shop-before-replace.dump"), run.resolve("restore-1.2.log"));
        for (Path f : files) {
            Files.writeString(f, "{}\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
        for (Path d : List.of(state, state.resolve("runs"), run, state.resolve("logs"))) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Jar.Run r = Jar.run(env(), "history");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertPrivate(state);
    }
}
