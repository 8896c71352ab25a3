package io.dbrescue.gui;

import io.dbrescue.history.EngineStats;
import io.dbrescue.history.History;
import io.dbrescue.history.RunRecord;

import java.io.IOException;
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
            message = read.records().isEmpty() ? "No recoveries yet (" + history.file() + ")."
                    : read.records().size() + " recoveries in " + history.file()
                    + (read.warnings().isEmpty() ? "" : "; " + read.warnings().size() + " unreadable line(s) skipped");
        } catch (IOException e) {
            message = "The history could not be read: " + e.getMessage();
        }
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
            return s.engine() + ": " + s.runs() + " run(s), none finished";
        }
        return String.format(Locale.ROOT, "%s: %d of %d restored (%.0f %%), %s on average", s.engine(), s.successes(),
                s.runs(), s.successRate() * 100, Double.isNaN(s.averageMillis()) ? "no time" : duration((long) s.averageMillis()));
    }

    static String duration(long millis) {
        return millis < 1000 ? millis + " ms" : millis < 120_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : (millis + 30_000) / 60_000 + " min";
    }
}
