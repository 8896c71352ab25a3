package io.dbrescue.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dbrescue.history.EngineStats;
import io.dbrescue.history.History;
import io.dbrescue.history.RunRecord;
import io.dbrescue.text.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dbrescue history [--limit N] [--json]}: recent recoveries and, per engine, success rate and average time. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Lists recent recoveries and, per engine, the success rate and the average restore time.")
public final class HistoryCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    @Spec
    CommandSpec spec;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many recent runs (default 20).")
    int limit;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        RunContext ctx = RunContext.of(spec);
        History history = new History(ctx.paths().historyFile());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        History.Read read;
        try {
            read = history.read();
        } catch (IOException e) {
            err.println("dbrescue: cannot read " + history.file() + ": " + e.getMessage()
                    + ". Check its permissions; move it away to start a new history.");
            return 2;
        }
        read.warnings().forEach(w -> err.println("dbrescue: " + w));
        err.flush();
        List<RunRecord> recent = History.recent(read.records(), Math.max(0, limit));
        List<EngineStats> stats = History.statsByEngine(read.records());
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("file", history.file().toString());
            root.put("runs", recent.stream().map(History::toJson).toList());
            root.put("engines", stats.stream().map(HistoryCommand::toJson).toList());
            root.put("warnings", read.warnings());
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
            out.flush();
            return 0;
        }
        if (read.records().isEmpty()) {
            out.println("No recoveries recorded yet (" + history.file() + ").");
            out.flush();
            return 0;
        }
        out.println("Recent recoveries, newest first:");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"STARTED", "ENGINE", "STRATEGY", "OUTCOME", "SIZE", "TIME", "SOURCE"});
        for (RunRecord r : recent) {
            rows.add(new String[] {TIME.format(r.startedAt().atZone(ZoneId.systemDefault())), r.engine(),
                    nz(r.strategy()), r.outcome().id() + (r.errorKind() == null ? "" : " (" + r.errorKind() + ")"),
                    Sizes.human(r.bytes()), duration(r.durationMillis()), nz(r.sourcePath())});
        }
        table(out, rows);
        out.println();
        out.println("Per engine:");
        rows = new ArrayList<>();
        rows.add(new String[] {"ENGINE", "RUNS", "SUCCESS RATE", "AVERAGE RESTORE TIME"});
        for (EngineStats s : stats) {
            rows.add(new String[] {s.engine(), String.valueOf(s.runs()),
                    Double.isNaN(s.successRate()) ? "-" : String.format(Locale.ROOT, "%.0f%% (%d of %d)",
                            s.successRate() * 100, s.successes(), s.successes() + s.partial() + s.failed()),
                    Double.isNaN(s.averageMillis()) ? "-" : duration(Math.round(s.averageMillis()))});
        }
        table(out, rows);
        out.flush();
        return 0;
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }

    static String duration(long millis) {
        long s = Math.round(millis / 1000.0);
        if (s < 60) {
            return millis < 1000 ? millis + " ms" : s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    private static void table(PrintWriter out, List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        });
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(i == r.length - 1 ? r[i] : String.format("%-" + (w[i] + 2) + "s", r[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    private static Map<String, Object> toJson(EngineStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", s.engine());
        m.put("runs", s.runs());
        m.put("successes", s.successes());
        m.put("partial", s.partial());
        m.put("failed", s.failed());
        m.put("cancelled", s.cancelled());
        m.put("successRate", Double.isNaN(s.successRate()) ? null : s.successRate());
        m.put("averageRestoreMillis", Double.isNaN(s.averageMillis()) ? null : Math.round(s.averageMillis()));
        return m;
    }
}
