package io.dbrescue.plan;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the checks and steps of one finding's plan and numbers the steps ("2.1", "2.2"...). */
public final class PlanContext {
    private final RecoveryRequest request;
    private final String group;
    private final int groupNumber;
    private final String runId;
    private final io.dbrescue.run.Secrets secrets;
    private final List<Check> checks = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();

    public PlanContext(RecoveryRequest request, String group, int groupNumber) {
        this(request, group, groupNumber, Planner.newRunId());
    }

    /** A context whose checks log in with passwords from the environment only (tests). */
    public PlanContext(RecoveryRequest request, String group, int groupNumber, String runId) {
        this(request, group, groupNumber, runId, io.dbrescue.run.Secrets.environment());
    }

    /** @param secrets the passwords the planner's checks log in to the target with (the target's) */
    public PlanContext(RecoveryRequest request, String group, int groupNumber, String runId,
                       io.dbrescue.run.Secrets secrets) {
        this.request = request;
        this.group = group;
        this.groupNumber = groupNumber;
        this.runId = runId;
        this.secrets = secrets;
    }

    /** The passwords the planner logs in to the target with (memory only: nothing of them goes into the plan). */
    public io.dbrescue.run.Secrets secrets() {
        return secrets;
    }

    /** The id the run of this plan will have (names its folder, its journal and its containers). */
    public String runId() {
        return runId;
    }

    /** The number of this finding's group ("2" for steps 2.1, 2.2...). */
    public int groupNumber() {
        return groupNumber;
    }

    public RecoveryRequest request() {
        return request;
    }

    /** The finding's path, which names the group of its steps. */
    public String group() {
        return group;
    }

    public List<Check> checks() {
        return checks;
    }

    public List<Step> steps() {
        return steps;
    }

    public PlanContext pass(String name, String message) {
        checks.add(Check.pass(group, name, message));
        return this;
    }

    public PlanContext warn(String name, String message, String fix) {
        checks.add(Check.warn(group, name, message, fix));
        return this;
    }

    public PlanContext fail(String name, String message, String fix) {
        checks.add(Check.fail(group, name, message, fix));
        return this;
    }

    /** The disk-space check every copying strategy makes: see {@link Checks#diskSpace}. */
    public PlanContext diskSpace(java.nio.file.Path where, long need) {
        Checks.diskSpace(this, where, need);
        return this;
    }

    /** Starts a step; finish it with {@link StepBuilder#add()}. */
    public StepBuilder step(String kind, String title) {
        return new StepBuilder(kind, title);
    }

    /**
     * Starts a step of the kind of these parameters, its command line theirs; finish it with {@link StepBuilder#add()}.
     */
    public StepBuilder step(StepParams params, String title) {
        StepBuilder b = new StepBuilder(params.kind(), title).argv(params.argv());
        b.params.putAll(StepParamsCodec.toMap(params));
        return b;
    }

    /** Fluent construction of a {@link Step}. */
    public final class StepBuilder {
        private final String kind;
        private final String title;
        private List<String> argv = List.of();
        private String reads = "";
        private String writes = "";
        private long bytes;
        private boolean needsRoot;
        private String undo = "";
        private final Map<String, String> params = new LinkedHashMap<>();
        private final List<String> writePaths = new ArrayList<>();

        private StepBuilder(String kind, String title) {
            this.kind = kind;
            this.title = title;
        }

        public StepBuilder argv(List<String> argv) {
            this.argv = List.copyOf(argv);
            return this;
        }

        public StepBuilder reads(String what) {
            this.reads = what;
            return this;
        }

        public StepBuilder writes(String what) {
            this.writes = what;
            return this;
        }

        public StepBuilder bytes(long bytes) {
            this.bytes = bytes;
            return this;
        }

        public StepBuilder needsRoot(boolean root) {
            this.needsRoot = root;
            return this;
        }

        public StepBuilder undo(String how) {
            this.undo = how;
            return this;
        }

        /**
         * A parameter. A path whose name is not valid text (its string has replacement characters and names
         * another file) is kept as a file: URI of its raw bytes; {@link Step#path} reads either form.
         */
        public StepBuilder param(String key, Object value) {
            if (value instanceof java.nio.file.Path p && !java.nio.file.Path.of(p.toString()).equals(p)) {
                params.put(key, p.toAbsolutePath().toUri().toString());
            } else if (value != null) {
                params.put(key, value.toString());
            }
            return this;
        }

        /**
         * Declares a file or folder the step writes that no parameter of {@link BackupGuard#WRITTEN} names
         * (a path on its command line), so that the backup guard checks it too.
         */
        public StepBuilder writesTo(java.nio.file.Path path) {
            writePaths.add(path.toString());
            return this;
        }

        public Step add() {
            // in the record's order, the same in every plan --json and journal (Map.copyOf's order changes per JVM)
            Map<String, String> ordered = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
            Step s = new Step(groupNumber + "." + (steps.size() + 1), group, kind, title, argv, reads, writes, bytes,
                    needsRoot, undo, ordered, writePaths);
            steps.add(s);
            return s;
        }
    }
}
