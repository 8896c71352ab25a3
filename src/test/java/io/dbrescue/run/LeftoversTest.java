package io.dbrescue.run;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The record of what a process started, and the sweep that tidies up after processes that were killed. */
class LeftoversTest {
    @TempDir
    Path state;
    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        System.setProperty("dbrescue.state.dir", state.toString());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("dbrescue.state.dir");
    }

    /** A record as a process that is gone now would have left it (a pid that ran and ended). */
    private void recordOfDeadProcess(Path folder, String runId) throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Leftovers mine = Leftovers.open("killed", "a restore test of dumps/shop.dump").folder(folder).containers(runId);
        Path file = state.resolve("leftovers/killed.json");
        String json = Files.readString(file).replaceFirst("\"pid\":\\d+", "\"pid\":" + p.pid());
        Files.writeString(file, json);
    }

    @Test
    void whatAKilledProcessLeftIsRemovedAndSaid() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("dbrescue-verify-1/data"));
        Files.write(folder.resolve("big"), new byte[300_000]);
        recordOfDeadProcess(folder.getParent(), "20261203-000000-abcd");
        List<String> removedRuns = new ArrayList<>();

        List<String> said = Leftovers.sweep(removedRuns::add);

        assertThat(Files.exists(folder.getParent())).isFalse();
        assertThat(removedRuns).containsExactly("20261203-000000-abcd");
        assertThat(said).singleElement().asString()
                .startsWith("dbrescue: tidied up after a restore test of dumps/shop.dump (process ")
                .contains("deleted " + folder.getParent() + " (300 kB)");
        assertThat(Files.list(state.resolve("leftovers"))).isEmpty();
        assertThat(Leftovers.sweep(removedRuns::add)).as("a second sweep finds nothing").isEmpty();
    }

    @Test
    void theRecordsOfLiveProcessesAreLeftAlone() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("in-use"));
        try (Leftovers mine = Leftovers.open("live", "a run").folder(folder).containers("r")) {
            List<String> removedRuns = new ArrayList<>();
            assertThat(Leftovers.sweep(removedRuns::add)).isEmpty();
            assertThat(removedRuns).isEmpty();
            assertThat(folder).isDirectory();
        }
        assertThat(Files.list(state.resolve("leftovers"))).as("closing forgets the record").isEmpty();
        assertThat(folder).as("and deletes nothing itself").isDirectory();
    }

    @Test
    void onlyWhatIsRecordedIsTouched() throws Exception {
        Path recorded = Files.createDirectories(tmp.resolve("recorded"));
        Path neighbour = Files.createDirectories(tmp.resolve("recorded-not"));
        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, neighbour);
        recordOfDeadProcess(recorded, "r1");
        // a recorded path that is now a symbolic link is not followed
        Path file = state.resolve("leftovers/killed.json");
        Files.writeString(file, Files.readString(file).replace("]", ",\"" + link + "\"]"));

        Leftovers.sweep(r -> { });

        assertThat(recorded).doesNotExist();
        assertThat(neighbour).isDirectory();
        assertThat(link).isSymbolicLink();
    }
}
