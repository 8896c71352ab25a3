package io.dbrescue.cli;

import io.dbrescue.testing.Cmd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code recover --resume} of a run whose journal cannot be used — no such run, an empty journal, half
 * of a real journal, JSON of another shape, a run killed before its journal was first written (only a
 * 0-byte RUN.json.tmp) — says so in one line naming the file, exits 2 and prints no stack trace.
 */
class ResumeJournalTest {
    @TempDir
    Path home;
    Path runs;

    @BeforeEach
    void runsFolder() throws Exception {
        runs = Files.createDirectories(home.resolve("state/dbrescue/runs"));
    }

    /** stderr is one line, starts like every dbrescue error, and holds no Java trace. */
    static void oneCleanLine(CliRun r) {
        assertThat(r.exit).as(r.toString()).isEqualTo(2);
        assertThat(r.err.lines()).as(r.toString()).hasSize(1);
        assertThat(r.err).startsWith("dbrescue: ").doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void anUnknownRunId() {
        CliRun r = CliRun.run(home, "recover", "--resume", "20991231-000000-abcd");
        oneCleanLine(r);
        assertThat(r.err).contains("there is no run 20991231-000000-abcd to resume", runs.toString());
    }

    @Test
    void aRunIdThatIsNoName() {
        CliRun r = CliRun.run(home, "recover", "--resume", "../../etc/passwd");
        oneCleanLine(r);
        assertThat(r.err).contains("there is no run called '../../etc/passwd'");
    }

    @Test
    void anEmptyJournal() throws Exception {
        Path file = Files.createFile(runs.resolve("20261203-101010-aaaa.json"));
        CliRun r = CliRun.run(home, "recover", "--resume", "20261203-101010-aaaa");
        oneCleanLine(r);
        assertThat(r.err).contains(file + " of run 20261203-101010-aaaa is empty", "start the recovery again");
    }

    @Test
    void halfOfARealJournal() throws Exception {
        String runId = realJournal();
        Path file = runs.resolve(runId + ".json");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        CliRun r = CliRun.run(home, "recover", "--resume", runId);
        oneCleanLine(r);
        assertThat(r.err).contains("the journal " + file + " is ", "so run " + runId + " cannot be resumed");
    }

    @Test
    void jsonOfAnotherShape() throws Exception {
        Files.writeString(runs.resolve("20261203-101010-bbbb.json"), "[1, 2, 3]\n");
        CliRun array = CliRun.run(home, "recover", "--resume", "20261203-101010-bbbb");
        oneCleanLine(array);
        assertThat(array.err).contains(runs.resolve("20261203-101010-bbbb.json") + " is not a dbrescue journal");

        Files.writeString(runs.resolve("20261203-101010-cccc.json"), "{\"hello\": \"world\"}\n");
        CliRun object = CliRun.run(home, "recover", "--resume", "20261203-101010-cccc");
        oneCleanLine(object);
        assertThat(object.err).contains(runs.resolve("20261203-101010-cccc.json") + " is not a dbrescue journal");
    }

    @Test
    void killedBetweenThePlanAndTheFirstJournalWrite() throws Exception {
        Path tmp = Files.createFile(runs.resolve("20261203-101010-dddd.json.tmp"));
        CliRun r = CliRun.run(home, "recover", "--resume", "20261203-101010-dddd");
        oneCleanLine(r);
        assertThat(r.err).contains("run 20261203-101010-dddd was stopped before its journal was first written",
                tmp.toString(), "none of its steps ran");
    }

    /** A finished run's journal, made by a real recovery of a SQLite file (made by sqlite3); returns its run id. */
    private String realJournal() throws Exception {
        Path backup = Files.createDirectories(home.resolve("backup/app"));
        Cmd.run(List.of("sqlite3", backup.resolve("app.db").toString(),
                "CREATE TABLE t(x); INSERT INTO t VALUES (1),(2);"));
        CliRun r = CliRun.run(home, "recover", home.resolve("backup").toString(), "--select", "app/app.db",
                "--target-data", home.resolve("restored.db").toString(), "--yes");
        assertThat(r.exit).as(r.toString()).isZero();
        try (Stream<Path> s = Files.list(runs)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).findFirst().orElseThrow()
                    .replace(".json", "");
        }
    }
}
