package io.dbrescue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

/** The dry run on the command line names what a recovery replaces and where its safety copy goes, as text and JSON. */
class PlanShowsReplacedTest {
    @TempDir
    Path home;
    @TempDir
    Path backup;
    @TempDir
    Path into;

    @Test
    void theDryRunListsTheReplacedFileAndItsSafetyCopy() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup.resolve("notes.db"))) {
            c.createStatement().execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)");
        }
        CliRun nothing = CliRun.run(home, "plan", backup.toString(), "--select", "notes.db", "--target-data", into + "/");
        assertThat(nothing.out).as(nothing.toString()).contains("Nothing on this machine is replaced.");

        Path existing = into.resolve("notes.db");
        Files.writeString(existing, "an older notes.db");
        CliRun text = CliRun.run(home, "plan", backup.toString(), "--select", "notes.db", "--target-data", into + "/");
        assertThat(text.out).as(text.toString()).contains("Will be replaced:\n  file " + existing + "\n")
                .containsPattern("safety copy: " + java.util.regex.Pattern.quote(existing + ".before-dbrescue-") + "\\d{8}-\\d{6}");

        CliRun json = CliRun.run(home, "plan", backup.toString(), "--select", "notes.db", "--target-data", into + "/", "--json");
        JsonNode replaced = new ObjectMapper().readTree(json.out).path("replacements");
        assertThat(replaced).as(json.toString()).hasSize(1);
        assertThat(replaced.get(0).path("what").asText()).isEqualTo("file");
        assertThat(replaced.get(0).path("where").asText()).isEqualTo(existing.toString());
        assertThat(replaced.get(0).path("safetyCopy").asText()).startsWith(existing + ".before-dbrescue-");
        assertThat(replaced.get(0).path("group").asText()).isEqualTo("notes.db");
        assertThat(Files.readString(existing)).isEqualTo("an older notes.db"); // a dry run changes nothing
    }
}
