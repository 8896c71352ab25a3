package io.dbrescue.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.cli.CliRun;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite files (made by sqlite3) whose name is not valid UTF-8, and one whose path is longer than the
 * 512 bytes SQLite's unix VFS takes: whole files, so the scan lists their tables and calls them ok, not
 * damaged; both restore (rows counted against the backup) and the backup is unchanged.
 */
class SqliteOddNamesTest {
    @TempDir
    Path home;
    Path backup;
    Path rawName;
    String longRel;

    @BeforeEach
    void fixtures() throws Exception {
        backup = Files.createDirectories(home.resolve("backup"));
        Path made = backup.resolve("made.db");
        Cmd.run(List.of("sqlite3", made.toString(), "CREATE TABLE t(x); INSERT INTO t VALUES (1),(2),(3);"));
        // "n\xffo.db": the byte 0xff is never UTF-8; only a URI keeps it in a Java Path
        rawName = Path.of(URI.create(backup.toUri() + "n%FFo.db"));
        Files.copy(made, rawName);
        StringBuilder rel = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            rel.append("a".repeat(50)).append('/');
        }
        longRel = rel + "long.db";
        Files.createDirectories(backup.resolve(rel.toString()));
        Files.move(made, backup.resolve(longRel));
        assertThat(backup.resolve(longRel).toString().length()).isGreaterThan(600);
    }

    @Test
    void theScanCallsThemWholeAndListsTheirTables() throws Exception {
        CliRun r = CliRun.run(home, "scan", backup.toString(), "--json");
        assertThat(r.exit).as(r.toString()).isZero();
        JsonNode findings = new ObjectMapper().readTree(r.out).path("findings");
        assertThat(findings).hasSize(2);
        for (JsonNode f : findings) {
            assertThat(f.path("status").asText()).as(f.toString()).isEqualTo("ok");
            assertThat(f.path("details").path("tables").toString()).as(f.toString()).isEqualTo("[\"t\"]");
        }
        assertThat(findings.findValuesAsText("path")).contains(longRel, "n\uFFFDo.db");
    }

    @Test
    void bothAreRestoredWithTheirRows() throws Exception {
        Map<String, String> before = Trees.snapshot(backup);
        Path target = home.resolve("restored");
        CliRun r = CliRun.run(home, "recover", backup.toString(), "--select", "n\uFFFDo.db", "--select", longRel,
                "--target-data", target + "/", "--yes");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).contains("RESTORED  n\uFFFDo.db", "RESTORED  " + longRel, "rowCounts: {t=3}");
        assertThat(count(target.resolve("n\uFFFDo.db"))).isEqualTo("3");
        assertThat(count(target.resolve("long.db"))).isEqualTo("3");
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }

    private static String count(Path db) {
        return Cmd.run(List.of("sqlite3", db.toString(), "SELECT COUNT(*) FROM t")).trim();
    }
}
