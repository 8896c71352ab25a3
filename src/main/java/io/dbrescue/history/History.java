package io.dbrescue.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.settings.AppPaths;
import io.dbrescue.settings.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * history.jsonl: one JSON object per line, one line per recovery, appended under a file lock so
 * that two runs at once cannot interleave. Lines that cannot be read (a crash mid-write, an edit)
 * are skipped with a warning; the rest still counts.
 */
public final class History {
    private static final Logger LOG = LoggerFactory.getLogger(History.class);
    private final Path file;
    private final ObjectMapper json;

    /** What a read found: the records in file order and a warning per skipped line. */
    public record Read(List<RunRecord> records, List<String> warnings) {
    }

    public History(Path file) {
        this.file = file;
        this.json = new ObjectMapper();
    }

    /** The current user's history ($XDG_STATE_HOME/dbrescue/history.jsonl). */
    public static History atDefaultLocation() {
        return new History(AppPaths.current().historyFile());
    }

    public Path file() {
        return file;
    }

    /** Appends one run. */
    public void record(RunRecord run) throws IOException {
        byte[] line = (json.writeValueAsString(toJson(run)) + "\n").getBytes(StandardCharsets.UTF_8);
        PrivateFiles.folder(file.toAbsolutePath().getParent());
        PrivateFiles.file(file); // 0600: the history names every backup and target
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
             FileLock lock = ch.lock()) {
            ch.position(ch.size());
            if (ch.size() > 0 && !endsWithNewline(ch)) {
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));   // a torn last line stays on its own
            }
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        }
    }

    private static boolean endsWithNewline(FileChannel ch) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, ch.size() - 1);
        return last.get(0) == '\n';
    }

    /** A record as the JSON object written to the history file (and printed by {@code history --json}). */
    public static Map<String, Object> toJson(RunRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", r.runId());
        m.put("startedAt", r.startedAt().toString());
        m.put("engine", r.engine());
        m.put("strategy", r.strategy());
        m.put("sourcePath", r.sourcePath());
        m.put("bytes", r.bytes());
        m.put("durationMillis", r.durationMillis());
        m.put("outcome", r.outcome().id());
        m.put("errorKind", r.errorKind());
        return m;
    }

    private RunRecord fromJson(String line) throws IOException {
        JsonNode n = json.readTree(line);
        if (n == null || !n.isObject()) {
            throw new IOException("not an object");
        }
        return new RunRecord(text(n, "runId", true), Instant.parse(text(n, "startedAt", true)), text(n, "engine", true),
                text(n, "strategy", false), text(n, "sourcePath", false), n.path("bytes").asLong(),
                n.path("durationMillis").asLong(), Outcome.fromId(text(n, "outcome", true)), text(n, "errorKind", false));
    }

    private static String text(JsonNode n, String field, boolean required) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IOException("no " + field);
            }
            return null;
        }
        return v.asText();
    }

    /** Every readable record; a missing file is an empty history. */
    public Read read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Read(List.of(), List.of());
        }
        List<RunRecord> records = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) {
                continue;
            }
            try {
                records.add(fromJson(l));
            } catch (IOException | RuntimeException e) {
                String w = file + ":" + (i + 1) + ": not a readable run record, skipped.";
                LOG.warn(w);
                warnings.add(w);
            }
        }
        return new Read(records, warnings);
    }

    /** The most recent runs, newest first. */
    public static List<RunRecord> recent(List<RunRecord> records, int limit) {
        return records.stream().sorted(Comparator.comparing(RunRecord::startedAt).reversed()).limit(limit).toList();
    }

    /** Success rate and average restore time per engine, engines in alphabetical order. */
    public static List<EngineStats> statsByEngine(List<RunRecord> records) {
        Map<String, List<RunRecord>> byEngine = new LinkedHashMap<>();
        records.stream().sorted(Comparator.comparing(RunRecord::engine))
                .forEach(r -> byEngine.computeIfAbsent(r.engine(), k -> new ArrayList<>()).add(r));
        List<EngineStats> stats = new ArrayList<>();
        byEngine.forEach((engine, runs) -> {
            int s = count(runs, Outcome.SUCCESS);
            int p = count(runs, Outcome.PARTIAL);
            int f = count(runs, Outcome.FAILED);
            int c = count(runs, Outcome.CANCELLED);
            double avg = runs.stream().filter(r -> r.outcome() == Outcome.SUCCESS)
                    .mapToLong(RunRecord::durationMillis).average().orElse(Double.NaN);
            int ended = s + p + f;
            stats.add(new EngineStats(engine, runs.size(), s, p, f, c, ended == 0 ? Double.NaN : (double) s / ended, avg));
        });
        return stats;
    }

    private static int count(List<RunRecord> runs, Outcome o) {
        return (int) runs.stream().filter(r -> r.outcome() == o).count();
    }
}
