package io.dbrescue.sqlite;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup is never written to, with the built program and a real SQLite file: a restore into the
 * backup's own folder (where the file itself is), into another place inside it, through a symbolic link
 * into it, and with the backup given through a link, is refused at pre-flight (exit 4) naming the paths;
 * --save-debug-log into the backup is refused with one line (exit 2). The backup's checksums and mtimes
 * (files and folders) are the same afterwards, and no run was started.
 */
class SqliteBackupReadOnlyIT {
    @TempDir
    Path base;
    Path backup;
    Map<String, String> before;
    Map<String, String> env;

    @BeforeEach
    void backup() throws Exception {
        backup = base.resolve("backup");
        Path app = Files.createDirectories(backup.resolve("home/alice/app"));
        Cmd.run(List.of("sqlite3", app.resolve("app.db").toString(),
                "CREATE TABLE t(x); INSERT INTO t VALUES (1),(2),(3);"));
        Files.setLastModifiedTime(app, Files.getLastModifiedTime(app.resolve("app.db"))); // a folder mtime to watch
        env = Map.of("XDG_STATE_HOME", base.resolve("state").toString(), "XDG_CONFIG_HOME", base.resolve("config").toString());
        before = Trees.snapshot(backup);
    }

    @AfterEach
    void backupUnchanged() {
        assertThat(Trees.snapshot(backup)).as("checksums and mtimes of the backup").isEqualTo(before);
    }

    private Jar.Run recover(Path backupDir, Path targetData) {
        return Jar.run(env, "recover", backupDir.toString(), "--select", "home/alice/app/app.db", "--target-data",
                targetData.toString(), "--yes");
    }

    private void assertRefused(Jar.Run r, String... paths) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.stdout()).contains("[fail] backup-read-only: This restore would write inside the backup");
        for (String p : paths) {
            assertThat(r.stdout()).contains(p);
        }
        assertThat(r.stderr()).contains("pre-flight failed; nothing was changed");
        assertThat(base.resolve("state/dbrescue/runs")).as("no run was started").doesNotExist();
    }

    @Test
    void intoTheBackupsOwnFolderWhereTheFileIs() {
        // the old behaviour: the backup's own app.db was renamed as the "safety copy", then moved back
        Path folder = backup.resolve("home/alice/app");
        assertRefused(recover(backup, folder), folder.resolve("app.db").toString(), ".before-dbrescue-");
    }

    @Test
    void intoAnotherPlaceInsideTheBackup() {
        Path file = backup.resolve("home/restored.db");
        assertRefused(recover(backup, file), file.toString());
    }

    @Test
    void throughSymbolicLinksIntoTheBackup() throws Exception {
        Path toFolder = Files.createSymbolicLink(base.resolve("looks-outside"), backup.resolve("home/alice/app"));
        assertRefused(recover(backup, toFolder), "that is " + backup.resolve("home/alice/app/app.db"));
        Path toBackup = Files.createSymbolicLink(base.resolve("also-outside"), backup);
        assertRefused(recover(backup, toBackup.resolve("home/new.db")), "that is " + backup.resolve("home/new.db"));
    }

    @Test
    void backupGivenThroughALink() throws Exception {
        Path link = Files.createSymbolicLink(base.resolve("backup-link"), backup);
        assertRefused(recover(link, backup.resolve("home/copy.db")), backup.resolve("home/copy.db").toString());
    }

    @Test
    void outsideTheBackupItRuns() {
        Path target = base.resolve("restored");
        Jar.Run r = recover(backup, target);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Cmd.run(List.of("sqlite3", target.toString(), "SELECT count(*) FROM t")).strip()).isEqualTo("3");
    }

    @Test
    void debugLogIntoTheBackupIsRefused() throws Exception {
        Path inside = backup.resolve("home/debug.json");
        Jar.Run scan = Jar.run(env, "--save-debug-log", inside.toString(), "scan", backup.toString());
        assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(2);
        assertThat(scan.stderr().strip()).isEqualTo("dbrescue: --save-debug-log " + inside + " is inside the backup "
                + backup + ", which dbrescue never writes to; give a path outside it.");
        assertThat(scan.stdout()).isEmpty();

        Path link = Files.createSymbolicLink(base.resolve("to-backup"), backup);
        Jar.Run dry = Jar.run(env, "recover", backup.toString(), "--select", "home/alice/app/app.db", "--target-data",
                base.resolve("out").toString(), "--dry-run", "--save-debug-log", link.resolve("d.json").toString());
        assertThat(dry.exitCode()).as(dry.toString()).isEqualTo(2);
        assertThat(dry.stderr()).contains("is inside the backup").doesNotContain("Exception");
        assertThat(inside).doesNotExist();

        Path outside = base.resolve("debug.json");
        Jar.Run ok = Jar.run(env, "--save-debug-log", outside.toString(), "scan", backup.toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(outside).exists();
    }
}
