package io.dbrescue.run;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Step;
import io.dbrescue.settings.PrivateFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record of a run, rewritten atomically (temporary file, then rename) after every change of a
 * step's state, so that a run killed at any moment can be resumed: {@code runs/RUN_ID.json} under
 * the state folder ({@code $XDG_STATE_HOME/dbrescue}, default {@code ~/.local/state/dbrescue}).
 */
public final class Journal {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Where a step stands. */
    public enum StepState {
        PENDING, RUNNING, DONE, UNDONE;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How one finding's restore ended. */
    public enum Outcome {
        PENDING, RESTORED, FAILED, SKIPPED, CANCELLED;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The state of one finding's restore. */
    public static final class Group {
        public Outcome outcome = Outcome.PENDING;
        public String message;
        public String fix;
        public String errorKind;
        public Map<String, Object> report = new LinkedHashMap<>();
    }

    /**
     * The journal format this version writes. 1: the journals before it had a number (no {@code format} field);
     * 2: the same plan and step parameters, steps' parameters written from typed records ({@code StepParams}) under
     * the keys version 1 used, so version 1 resumes unchanged. A newer number is refused by {@link JournalReader}.
     */
    public static final int FORMAT = 2;

    /** What is written to disk. */
    public static final class Data {
        /** The format it was written in (absent, so 1, in journals from before the number). */
        public int format = 1;
        public String runId;
        public Plan plan;
        public Map<String, StepState> steps = new LinkedHashMap<>();
        public Map<String, Group> groups = new LinkedHashMap<>();
        public String startedAt;
        public String updatedAt;
        public boolean finished;
    }

    private final Path file;
    private final Data data;

    private Journal(Path file, Data data) {
        this.file = file;
        this.data = data;
    }

    /** The folder that holds the journals. */
    public static Path runsDir() {
        return StateDir.get().resolve("runs");
    }

    /** Starts the journal of a new run (written at once) in the usual folder. */
    public static Journal create(Plan plan) throws IOException {
        return create(plan, runsDir());
    }

    /** Starts the journal of a new run in {@code dir} (a throwaway run keeps it in its sandbox). */
    public static Journal create(Plan plan, Path dir) throws IOException {
        Data d = new Data();
        d.format = FORMAT;
        d.runId = plan.runId();
        d.plan = plan;
        for (Step s : plan.steps()) {
            d.steps.put(s.id(), StepState.PENDING);
        }
        for (String g : plan.groups()) {
            d.groups.put(g, new Group());
        }
        d.startedAt = Instant.now().toString();
        Journal j = new Journal(dir.resolve(plan.runId() + ".json"), d);
        j.save();
        return j;
    }

    /**
     * Loads the journal of an earlier run, to resume it. A journal that is missing, empty, cut short or
     * not a dbrescue journal throws a {@link JournalException} whose message names the file and says
     * what to do.
     */
    public static Journal load(String runId) throws IOException {
        return JournalReader.read(runId, runsDir(), JSON);
    }

    /**
     * Loads the journal in {@code file} (named RUN_ID.json), checked as {@link #load} checks it: for the privileged
     * helper, which is handed the file's path rather than a run id.
     */
    public static Journal read(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (!name.endsWith(".json")) {
            throw new JournalException(file + " is not a dbrescue journal (journals are named RUN_ID.json).");
        }
        return JournalReader.read(name.substring(0, name.length() - ".json".length()), file.getParent(), JSON);
    }

    /** A journal found and checked by {@link JournalReader}. */
    static Journal loaded(Path file, Data data) {
        return new Journal(file, data);
    }

    public Data data() {
        return data;
    }

    public Path file() {
        return file;
    }

    public Plan plan() {
        return data.plan;
    }

    public StepState state(Step step) {
        return data.steps.getOrDefault(step.id(), StepState.PENDING);
    }

    public Group group(String group) {
        return data.groups.computeIfAbsent(group, g -> new Group());
    }

    public void mark(Step step, StepState state) throws IOException {
        data.steps.put(step.id(), state);
        save();
    }

    /**
     * Writes the journal so that a kill at any moment leaves either the old or the new one whole: the
     * bytes go to RUN_ID.json.tmp, are flushed to the disk, and the file is renamed over RUN_ID.json.
     * (A kill before the first rename leaves only a .tmp; {@link JournalReader} explains that case.)
     */
    public void save() throws IOException {
        data.updatedAt = Instant.now().toString();
        PrivateFiles.folder(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        byte[] bytes = JSON.writeValueAsBytes(data);
        PrivateFiles.file(tmp); // 0600: a journal names every path
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
