package io.dbrescue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar target/dbrescue.jar scan ...}: exit codes, messages and the JSON shape. */
class ScanCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path dir;

    @BeforeEach
    void folder() {
        dir = TestUser.newDir("cli");
    }

    @AfterEach
    void cleanUp() {
        TestUser.delete(dir);
    }

    @Test
    void aMissingFolderExitsWith2AndSaysWhatToCheck() {
        Jar.Run run = Jar.run("scan", dir.resolve("not-there").toString(), "--json");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("does not exist").contains("mounted");
        assertThat(run.stderr().lines()).hasSize(1);
    }

    @Test
    void aFileInsteadOfAFolderExitsWith2() throws Exception {
        Path file = Files.writeString(dir.resolve("backup.tar"), "x");
        Jar.Run run = Jar.run("scan", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("is a file, not a folder");
    }

    @Test
    void anUnreadableFolderExitsWith2() throws Exception {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Cmd.run(List.of("chown", "root:root", locked.toString()));
        Cmd.run(List.of("chmod", "000", locked.toString()));
        Jar.Run run = Jar.runAsTestUser("scan", locked.toString(), "--json");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("permission denied");
    }

    @Test
    void unreadableEntriesInsideAreWarningsNotFailures() throws Exception {
        Path backup = Files.createDirectories(dir.resolve("backup"));
        Files.createDirectories(backup.resolve("root-only"));
        Files.writeString(backup.resolve("root-only/secret.db"), "x".repeat(100));
        Files.writeString(backup.resolve("private.sql"), "-- PostgreSQL database dump, but private");
        Files.writeString(backup.resolve("notes.txt"), "readable");
        Cmd.run(List.of("chmod", "700", backup.resolve("root-only").toString()));
        Cmd.run(List.of("chmod", "600", backup.resolve("private.sql").toString()));

        Jar.Run run = Jar.runAsTestUser("scan", backup.toString(), "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode warnings = parse(run.stdout()).get("warnings");
        assertThat(warnings.findValuesAsText("path")).containsExactlyInAnyOrder("root-only", "private.sql");
        assertThat(warnings.findValuesAsText("message")).allSatisfy(m -> assertThat(m).contains("Permission denied"));
    }

    @Test
    void jsonFollowsTheContract() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "hello");
        Jar.Run run = Jar.run("scan", dir.toString(), "--json");
        assertThat(run.exitCode()).isZero();
        JsonNode root = parse(run.stdout());
        assertThat(root.fieldNames()).toIterable().containsExactly("root", "findings", "warnings", "stats");
        assertThat(root.get("root").asText()).isEqualTo(dir.toAbsolutePath().toString());
        assertThat(root.get("findings").isArray()).isTrue();
        assertThat(root.get("stats").get("files").asLong()).isEqualTo(1);
        assertThat(root.get("stats").get("directories").asLong()).isEqualTo(1);
        assertThat(root.get("stats").has("elapsedMillis")).isTrue();
    }

    @Test
    void theTableSaysWhenNothingWasFound() throws Exception {
        // the window's words, from EmptyScan: what was looked at, the mounted-disk question, what is looked for
        Jar.Run run = Jar.run("scan", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains(dir.toAbsolutePath() + " is empty: there is nothing in it to look at.")
                .contains("Is the backup disk mounted? The folder a disk is mounted on stays empty until it is.")
                .contains(io.dbrescue.scan.EmptyScan.LOOKS_FOR);
        Files.writeString(dir.resolve("a.txt"), "hello");
        run = Jar.run("scan", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("No database found in " + dir.toAbsolutePath()
                + ": dbrescue looked at 1 file in 1 folder.")
                .contains("Is the backup disk mounted, and is this the folder that holds the copy of the old system")
                .contains(io.dbrescue.scan.EmptyScan.LOOKS_FOR);
    }

    /** The sample backup the README points newcomers at scans as the README says. */
    @Test
    void theSampleBackupHoldsWhatTheReadmeSays() throws Exception {
        Jar.Run run = Jar.run("scan", Path.of("docs/sample-backup").toAbsolutePath().toString(), "--json");
        assertThat(run.exitCode()).isZero();
        JsonNode findings = parse(run.stdout()).get("findings");
        assertThat(findings.findValuesAsText("path")).containsExactly("home/alex/dumps/shop.sql",
                "home/alex/projects/notes/notes.db", "var/lib/redis/dump.rdb");
        assertThat(findings.findValuesAsText("status")).containsOnly("ok");
    }

    @Test
    void versionAndHelpWork() {
        assertThat(Jar.run("--version").stdout()).startsWith("dbrescue ");
        Jar.Run help = Jar.run("scan", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("BACKUP_DIR").contains("--json").contains("Exit codes");
    }

    static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json);
    }
}
