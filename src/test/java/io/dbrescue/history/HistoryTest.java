package io.dbrescue.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HistoryTest {
    @TempDir
    Path dir;

    static RunRecord run(String id, String engine, Outcome outcome, long millis, String minute) {
        return new RunRecord(id, Instant.parse("2026-11-20T10:" + minute + ":00Z"), engine, "direct",
                "var/lib/" + engine, 1000, millis, outcome, outcome == Outcome.SUCCESS ? null : "disk-full");
    }

    @Test
    void recordsAreAppendedOneLineEachAndReadBack() throws Exception {
        History h = new History(dir.resolve("state/history.jsonl"));
        RunRecord a = run("r1", "postgresql", Outcome.SUCCESS, 60_000, "01");
        RunRecord b = run("r2", "redis", Outcome.FAILED, 1_000, "02");
        h.record(a);
        h.record(b);
        assertThat(Files.readAllLines(h.file())).hasSize(2).first().asString().startsWith("{\"runId\":\"r1\"");
        History.Read read = h.read();
        assertThat(read.records()).containsExactly(a, b);
        assertThat(read.warnings()).isEmpty();
    }

    @Test
    void aCorruptLineIsSkippedWithAWarningAndTheRestCounts() throws Exception {
        History h = new History(dir.resolve("history.jsonl"));
        h.record(run("r1", "postgresql", Outcome.SUCCESS, 60_000, "01"));
        Files.writeString(h.file(), "{\"runId\":\"torn\",\"start", StandardOpenOption.APPEND);   // a crash mid-write
        h.record(run("r2", "postgresql", Outcome.SUCCESS, 120_000, "03"));
        Files.writeString(h.file(), "not json at all\n{\"runId\":\"x\"}\n", StandardOpenOption.APPEND);
        History.Read read = h.read();
        assertThat(read.records()).extracting(RunRecord::runId).containsExactly("r1", "r2");
        assertThat(read.warnings()).containsExactly(
                h.file() + ":2: not a readable run record, skipped.",
                h.file() + ":4: not a readable run record, skipped.",
                h.file() + ":5: not a readable run record, skipped.");
    }

    @Test
    void aMissingFileIsAnEmptyHistory() throws Exception {
        History.Read read = new History(dir.resolve("none.jsonl")).read();
        assertThat(read.records()).isEmpty();
        assertThat(read.warnings()).isEmpty();
    }

    @Test
    void successRateAndAverageRestoreTimePerEngine() {
        List<RunRecord> runs = List.of(
                run("1", "postgresql", Outcome.SUCCESS, 60_000, "01"),
                run("2", "postgresql", Outcome.SUCCESS, 120_000, "02"),
                run("3", "postgresql", Outcome.FAILED, 5_000, "03"),
                run("4", "postgresql", Outcome.PARTIAL, 90_000, "04"),
                run("5", "postgresql", Outcome.CANCELLED, 1_000, "05"),
                run("6", "mariadb", Outcome.FAILED, 1_000, "06"),
                run("7", "mariadb", Outcome.CANCELLED, 1_000, "07"));
        List<EngineStats> stats = History.statsByEngine(runs);
        assertThat(stats).extracting(EngineStats::engine).containsExactly("mariadb", "postgresql");
        EngineStats pg = stats.get(1);
        assertThat(pg.runs()).isEqualTo(5);
        assertThat(pg.successRate()).isCloseTo(0.5, within(1e-9));   // 2 of success + partial + failed
        assertThat(pg.averageMillis()).isCloseTo(90_000, within(1e-9));  // successful runs only
        EngineStats maria = stats.get(0);
        assertThat(maria.successRate()).isZero();
        assertThat(maria.averageMillis()).isNaN();
        assertThat(History.recent(runs, 2)).extracting(RunRecord::runId).containsExactly("7", "6");
    }
}
