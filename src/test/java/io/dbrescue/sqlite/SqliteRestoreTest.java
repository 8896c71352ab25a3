package io.dbrescue.sqlite;

import io.dbrescue.cli.Main;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Trees;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite files made by sqlite3: one restored into a folder that already has a file of that name (kept
 * as the safety copy), one in WAL mode copied while sqlite3 held it open (its -wal holds rows the main
 * file does not) restored to a named file; rows counted on the copy against the backup. The dry run
 * and a missing --target-data change nothing. The backup is unchanged.
 */
class SqliteRestoreTest {
    static Path base;
    static Path backup;
    static Map<String, String> before;

    @BeforeAll
    static void fixtures() throws Exception {
        base = TestUser.newDir("sqlite-restore");
        System.setProperty("dbrescue.state.dir", base.resolve("state").toString());
        backup = base.resolve("backup");
        Path app = Files.createDirectories(backup.resolve("home/alice/app"));
        Cmd.run(List.of("sqlite3", app.resolve("app.db").toString(),
                "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users(name) VALUES ('a'),('b'),('c');"
                        + "CREATE TABLE notes(x); INSERT INTO notes VALUES (1),(2);"));
        // WAL mode, copied while open: the last rows live only in the -wal
        Path live = Files.createDirectories(base.resolve("live"));
        Process p = new ProcessBuilder("sqlite3", live.resolve("wal.db").toString()).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            in.write(("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(x);"
                    + "INSERT INTO t VALUES (1),(2),(3),(4),(5); SELECT 'ready';\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            for (String line; (line = out.readLine()) != null && !line.equals("ready"); ) {
                // wal, then ready
            }
            Path walDir = Files.createDirectories(backup.resolve("home/alice/wal"));
            Files.copy(live.resolve("wal.db"), walDir.resolve("wal.db"));
            Files.copy(live.resolve("wal.db-wal"), walDir.resolve("wal.db-wal"));
        }
        p.waitFor();
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
    }

    @AfterAll
    static void cleanUp() {
        System.clearProperty("dbrescue.state.dir");
        TestUser.delete(base);
    }

    static String sqlite(Path db, String sql) {
        return Cmd.run(List.of("sqlite3", db.toString(), sql)).trim();
    }

    @Test
    void intoAFolderWithAnExistingFile() throws Exception {
        Path target = Files.createDirectories(base.resolve("target1"));
        Cmd.run(List.of("sqlite3", target.resolve("app.db").toString(), "CREATE TABLE old(x); INSERT INTO old VALUES (9);"));
        Map<String, String> targetBefore = Trees.snapshot(target);
        String[] args = {"recover", backup.toString(), "--select", "home/alice/app/app.db", "--target-data",
                target.toString(), "--yes"};

        String[] dry = args.clone();
        dry[dry.length - 1] = "--dry-run";
        assertThat(Main.run(dry)).isZero();
        assertThat(Trees.snapshot(target)).isEqualTo(targetBefore);

        assertThat(Main.run(args)).isZero();
        assertThat(sqlite(target.resolve("app.db"), "SELECT COUNT(*) FROM users")).isEqualTo("3");
        assertThat(sqlite(target.resolve("app.db"), "SELECT COUNT(*) FROM notes")).isEqualTo("2");
        try (Stream<Path> s = Files.list(target)) {
            Path safety = s.filter(f -> f.getFileName().toString().startsWith("app.db.before-dbrescue-")).findFirst()
                    .orElseThrow();
            assertThat(sqlite(safety, "SELECT x FROM old")).isEqualTo("9");
        }
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }

    @Test
    void walFileToANamedFile() {
        Path target = TestUser.newDir("sqlite-t2").resolve("restored.db");
        assertThat(Main.run("recover", backup.toString(), "--select", "home/alice/wal/wal.db", "--target-data",
                target.toString(), "--yes")).isZero();
        assertThat(target.resolveSibling("restored.db-wal")).exists();
        assertThat(sqlite(target, "SELECT COUNT(*) FROM t")).isEqualTo("5");
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
        TestUser.delete(target.getParent());
    }

    @Test
    void withoutTargetDataThePreflightFails() {
        assertThat(Main.run("recover", backup.toString(), "--select", "home/alice/app/app.db", "--yes")).isEqualTo(4);
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }
}
