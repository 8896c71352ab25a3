package io.dbrescue.gui;

import io.dbrescue.history.EngineStats;
import io.dbrescue.history.History;
import io.dbrescue.history.RunRecord;

import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The History page: recent recoveries and, per engine, the success rate and average restore time. */
public final class HistoryViewModel {
    private final History history;
    private List<RunRecord> recent = List.of();
    private List<EngineStats> stats = List.of();
    private String message = "";

    public HistoryViewModel(History history) {
        this.history = history;
        reload();
    }

    public void reload() {
        try {
            History.Read read = history.read();
            recent = History.recent(read.records(), 50);
            stats = History.statsByEngine(read.records());
            int n = read.records().size();
            message = n == 0 ? "No recoveries yet (" + history.file() + ")."
                    : (n == 1 ? "1 recovery" : n + " recoveries") + " in " + history.file()
                    + (read.warnings().isEmpty() ? "" : "; " + lines(read.warnings().size()) + " that could not be read skipped");
        } catch (IOException e) {
            message = "The history could not be read: " + e.getMessage();
        }
    }

    /**
     * The report of a run, as the Summary exported it: read from the run's journal (it keeps the plan and each
     * finding's outcome), or a sentence saying why there is none.
     */
    public static Report report(RunRecord r) {
        try {
            Journal j = Journal.load(r.runId());
            List<RunResult.GroupResult> groups = new ArrayList<>();
            for (String group : j.plan().groups()) {
                Journal.Group g = j.group(group);
                groups.add(new RunResult.GroupResult(group, g.outcome, g.message, g.fix, g.errorKind, g.report));
            }
            boolean cancelled = groups.stream().anyMatch(g -> g.outcome() == Journal.Outcome.CANCELLED);
            return new Report(Reports.markdown(new RunResult(r.runId(), groups, cancelled, j.file()), j.plan()),
                    j.plan().request().backupRoot());
        } catch (IOException e) {
            return new Report("The report of run " + r.runId() + " cannot be shown: " + e.getMessage(), null);
        }
    }

    /** A run's report and the backup it came from (a saved report never goes inside it). */
    public record Report(String text, java.nio.file.Path backup) {
    }

    /** "20261203-121811-e205 — sqlite, notes.db". */
    public static String title(RunRecord r) {
        return "Run " + r.runId() + ": " + r.engine() + (r.sourcePath() == null ? "" : ", " + r.sourcePath());
    }

    /** "PostgreSQL" for postgresql. */
    public static String engine(String id) {
        return java.util.Arrays.stream(io.dbrescue.scan.Engine.values()).filter(e -> e.id().equals(id)).findFirst()
                .map(io.dbrescue.scan.Engine::displayName).orElse(id);
    }

    /** A strategy in words ("dump-restore" reads "Dump and restore"). */
    public static String strategy(String id) {
        if (id == null) {
            return "";
        }
        return switch (id.replace('_', '-')) {
            case "direct" -> "Direct copy";
            case "container", "container-based" -> "Through a container";
            case "dump-restore" -> "Dump and restore";
            default -> id;
        };
    }

    /** An outcome in words. */
    public static String outcome(RunRecord r) {
        return switch (r.outcome()) {
            case SUCCESS -> "Restored";
            case PARTIAL -> "Partly restored";
            case FAILED -> "Failed";
            case CANCELLED -> "Cancelled";
        };
    }

    public List<RunRecord> recent() {
        return recent;
    }

    public List<EngineStats> stats() {
        return stats;
    }

    public String message() {
        return message;
    }

    /** "postgresql: 3 of 4 restored (75 %), 12 s on average". */
    public static String line(EngineStats s) {
        if (Double.isNaN(s.successRate())) {
            return engine(s.engine()) + ": " + (s.runs() == 1 ? "1 run" : s.runs() + " runs") + ", none finished";
        }
        return String.format(Locale.ROOT, "%s: %d of %d restored (%.0f %%), %s on average", engine(s.engine()), s.successes(),
                s.runs(), s.successRate() * 100, Double.isNaN(s.averageMillis()) ? "no time" : duration((long) s.averageMillis()));
    }

    private static String lines(int n) {
        return n == 1 ? "1 line" : n + " lines";
    }

    static String duration(long millis) {
        return millis < 1000 ? millis + " ms" : millis < 120_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : (millis + 30_000) / 60_000 + " min";
    }
}
