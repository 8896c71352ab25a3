package io.dbrescue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.history.History;
import io.dbrescue.history.Outcome;
import io.dbrescue.history.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryCommandTest {
    @TempDir
    Path home;

    private History history() {
        return new History(home.resolve("state/dbrescue/history.jsonl"));
    }

    @Test
    void emptyHistorySaysSo() {
        CliRun r = CliRun.run(home, "history");
        assertThat(r.exit).isZero();
        assertThat(r.out).isEqualTo("No recoveries recorded yet (" + history().file() + ").\n");
    }

    @Test
    void printsRecentRunsAndPerEngineRateAndAverage() throws Exception {
        History h = history();
        h.record(new RunRecord("a", Instant.parse("2026-11-20T10:00:00Z"), "postgresql", "container_based",
                "var/lib/postgresql/16/main", 50L << 20, 125_000, Outcome.SUCCESS, null));
        h.record(new RunRecord("b", Instant.parse("2026-11-20T11:00:00Z"), "postgresql", "direct",
                "var/lib/postgresql/16/main", 0, 4_000, Outcome.FAILED, "permission-denied"));
        Files.writeString(h.file(), "garbage\n", StandardOpenOption.APPEND);
        CliRun r = CliRun.run(home, "history");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).contains("Recent recoveries, newest first:", "failed (permission-denied)",
                "container_based", "52 MB", "2 min 5 s", "Per engine:");
        assertThat(r.out.indexOf("failed (permission-denied)")).isLessThan(r.out.indexOf("container_based"));
        assertThat(r.out.lines()).anySatisfy(l -> assertThat(l).matches("postgresql +2 +50% \\(1 of 2\\) +2 min 5 s"));
        assertThat(r.err).contains(h.file() + ":3: not a readable run record, skipped.");

        CliRun json = CliRun.run(home, "history", "--json");
        JsonNode root = new ObjectMapper().readTree(json.out);
        assertThat(root.path("runs")).hasSize(2);
        assertThat(root.path("runs").get(0).path("runId").asText()).isEqualTo("b");
        assertThat(root.path("engines").get(0).path("successRate").asDouble()).isEqualTo(0.5);
        assertThat(root.path("engines").get(0).path("averageRestoreMillis").asLong()).isEqualTo(125_000);
        assertThat(root.path("warnings")).hasSize(1);
    }
}
