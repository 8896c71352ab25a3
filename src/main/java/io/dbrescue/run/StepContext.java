package io.dbrescue.run;

import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Step;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/** What an executing step can use: progress reporting, cancellation, its run's folder, external programs. */
public final class StepContext {
    private final Plan plan;
    private final Path runDir;
    private final ProgressTracker tracker;
    private final BooleanSupplier cancelled;
    private final Secrets secrets;
    private Journal.Group group;

    StepContext(Plan plan, Path runDir, ProgressTracker tracker, BooleanSupplier cancelled, Secrets secrets) {
        this.plan = plan;
        this.runDir = runDir;
        this.tracker = tracker;
        this.cancelled = cancelled;
        this.secrets = secrets;
    }

    /**
     * A context for running one step away from a {@link Runner}: the privileged helper runs a root step of a run
     * whose runner is in another process; its progress, log lines and report entries go to {@code listener} and
     * {@code group} and are sent back from there.
     */
    public static StepContext detached(Plan plan, Path runDir, ProgressListener listener, BooleanSupplier cancelled,
                                       Journal.Group group) {
        StepContext c = new StepContext(plan, runDir, new ProgressTracker(plan.runId(), 0, 0, listener), cancelled,
                Secrets.NONE);
        c.group = group;
        return c;
    }

    /** The same context, not cancellable (for undo and release, as the runner hands them). */
    public StepContext uncancellable() {
        return forUndo();
    }

    /**
     * Tells the front end that a root step waits for the user to run {@code command} in a terminal (no pkexec or no
     * polkit agent): a line of its own ({@code phase} "needs-root"), so that a window can offer it to copy.
     */
    public void needsRootCommand(String command) {
        tracker.message("needs-root", command);
    }

    public Plan plan() {
        return plan;
    }

    /** The passwords this run was given (never in the plan or the journal: a resume is handed them afresh). */
    public Secrets secrets() {
        return secrets;
    }

    /** A folder of this run's own (logs, temporary files): never inside the backup or the target. */
    public Path runDir() {
        return runDir;
    }

    /** Bytes done so far in the current step. */
    public void progress(long bytesDone) {
        tracker.stepProgress(bytesDone);
    }

    /** The longest any one program of a step may run (the timeout_seconds setting). */
    public java.time.Duration timeout() {
        long s = plan.request().timeoutSeconds();
        return java.time.Duration.ofSeconds(s > 0 ? s : io.dbrescue.plan.RecoveryRequest.DEFAULT_TIMEOUT_SECONDS);
    }

    /** How many bytes a copy moves between progress reports and cancel checks (the chunk_size_mb setting). */
    public long chunkBytes() {
        long c = plan.request().chunkBytes();
        return c > 0 ? c : io.dbrescue.plan.RecoveryRequest.DEFAULT_CHUNK_BYTES;
    }

    /** A line for the live log. */
    public void log(String message) {
        tracker.message("step", message);
    }

    public boolean cancelled() {
        return cancelled.getAsBoolean();
    }

    /** Throws when the run was cancelled; long steps call it between chunks of work. */
    public void checkCancelled() {
        if (cancelled()) {
            throw new CancellationException("cancelled");
        }
    }

    /**
     * The same context for undoing and releasing: not cancellable, since a cancel is what asked for the undo — its
     * programs (pg_ctl stop, DROP DATABASE, podman rm) must run to their end, not be killed by that same cancel.
     */
    StepContext forUndo() {
        StepContext c = new StepContext(plan, runDir, tracker, () -> false, secrets);
        c.group = group;
        return c;
    }

    /** Sets the finding whose steps run now (its report receives {@link #report}). */
    StepContext forGroup(Journal.Group g) {
        this.group = g;
        return this;
    }

    /** Records a fact for the summary (row counts found by verification, where the safety copy is...). */
    public void report(String key, Object value) {
        if (group != null) {
            group.report.put(key, value);
        }
    }

    /** The OS user that owns and runs server processes (--run-as), or null for "as we are". */
    public String runAs(Step step) {
        return step.params().get("runAs");
    }
}
