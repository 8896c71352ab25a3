package io.dbrescue.run;

import io.dbrescue.logging.LogSetup;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepKinds;
import io.dbrescue.plan.StepParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Executes a plan step by step, one finding after another, writing the journal after every step.
 * A failing step is undone, then the finding's earlier steps are undone in reverse (the target goes
 * back to its safety copy) and the other findings go on (unless the request says require-all).
 * Cancel undoes the finding in progress entirely, as a failure does — the target is as it was before it —
 * unless the caller asks to stop here ({@link CancelMode#KEEP}: only the step in progress is undone, the
 * finding's earlier steps stay for a resume). Either way the journal stays open: {@link #resume} continues
 * it (a step that was cut off is undone first, then run again; an undone finding starts over).
 * While a front end asks the user whether to cancel, {@link #hold} keeps the run from moving past the next
 * step boundary, so that it cannot finish underneath the question.
 */
public final class Runner {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
    private final Map<String, StepExecutor> executors;
    private final Secrets secrets;
    private final AtomicBoolean cancel = new AtomicBoolean();
    private volatile CancelMode cancelMode = CancelMode.ROLL_BACK;
    private final Object gate = new Object();
    private boolean held;

    /** What a cancel leaves behind. */
    public enum CancelMode {
        /** Undo everything done for the finding in progress: its target is as it was before the run. */
        ROLL_BACK,
        /** Undo only the step in progress; keep the finding's earlier steps, so a resume goes on from there. */
        KEEP
    }

    /** A runner whose steps take passwords from the environment only (tests; the command line's way). */
    public Runner(Map<String, StepExecutor> executors) {
        this(executors, Secrets.environment());
    }

    /** A runner whose steps log in with these passwords (handed to each step in its {@link StepContext}). */
    public Runner(Map<String, StepExecutor> executors, Secrets secrets) {
        this.executors = executors;
        this.secrets = secrets;
    }

    /** Asks the run to stop and undo the finding in progress; safe from any thread (Cancel, Ctrl-C, SIGTERM). */
    public void cancel() {
        cancel(CancelMode.ROLL_BACK);
    }

    /** Asks the run to stop, leaving what {@code mode} says; safe from any thread. Ends a {@link #hold}. */
    public void cancel(CancelMode mode) {
        cancelMode = mode;
        cancel.set(true);
        proceed();
    }

    /**
     * Keeps the run from starting another step or finishing a finding until {@link #proceed} or {@link #cancel}:
     * for while the user is asked whether to cancel (the step in progress goes on meanwhile).
     */
    public void hold() {
        synchronized (gate) {
            held = true;
        }
    }

    /** Ends a {@link #hold}: the run goes on. */
    public void proceed() {
        synchronized (gate) {
            held = false;
            gate.notifyAll();
        }
    }

    /** Waits at a step boundary while the run is held; then throws when it was cancelled. */
    private void boundary() {
        awaitAnswer();
        if (cancel.get()) {
            throw new CancellationException("cancelled");
        }
    }

    private void awaitAnswer() {
        synchronized (gate) {
            while (held && !cancel.get()) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancel.set(true);
                }
            }
        }
    }

    /**
     * Runs the plan. Throws {@link TargetLock.Busy} when another run holds one of its targets and
     * {@link io.dbrescue.plan.BackupGuard.InsideBackup} when the run's folder is inside the backup: then nothing
     * was changed and no journal written.
     */
    public RunResult run(Plan plan, ProgressListener listener) throws IOException {
        return run(plan, Journal.runsDir(), listener);
    }

    /** Runs with the journal and the run's files in {@code runsDir} instead of the state folder. */
    public RunResult run(Plan plan, Path runsDir, ProgressListener listener) throws IOException {
        io.dbrescue.plan.BackupGuard.requireOutside(plan.request().backupRoot(), runsDir, "dbrescue's run folder");
        try (TargetLock lock = TargetLock.acquire(plan)) {
            return execute(Journal.create(plan, runsDir), listener);
        }
    }

    /** Continues a journal; throws as {@link #run(Plan, ProgressListener)} does. */
    public RunResult resume(Journal journal, ProgressListener listener) throws IOException {
        io.dbrescue.plan.BackupGuard.requireOutside(journal.plan().request().backupRoot(), journal.file().getParent(),
                "dbrescue's run folder");
        try (TargetLock lock = TargetLock.acquire(journal.plan())) {
            journal.data().finished = false;
            return execute(journal, listener);
        }
    }

    private RunResult execute(Journal journal, ProgressListener listener) throws IOException {
        Plan plan = journal.plan();
        long alreadyDone = plan.steps().stream().filter(s -> journal.state(s) == Journal.StepState.DONE)
                .mapToLong(Step::bytes).sum();
        int quickSteps = (int) plan.steps().stream()
                .filter(s -> s.bytes() == 0 && journal.state(s) != Journal.StepState.DONE).count();
        ProgressTracker tracker = new ProgressTracker(plan.runId(), plan.totalBytes(), alreadyDone, quickSteps, listener);
        Path runDir = journal.file().resolveSibling(plan.runId());
        io.dbrescue.settings.PrivateFiles.folder(runDir);
        StepContext ctx = new StepContext(plan, runDir, tracker, cancel::get, secrets);
        // a container that outlives a killed dbrescue is removed by the next one (a resume starts it again)
        try (Leftovers left = plan.steps().stream().anyMatch(st -> st.kind().startsWith("container"))
                ? Leftovers.open(plan.runId() + "-" + ProcessHandle.current().pid(), "run " + plan.runId()).containers(plan.runId())
                : null) {
            runGroups(journal, ctx, tracker);
        }
        boolean cancelled = cancel.get();
        journal.data().finished = !cancelled;
        journal.save();
        io.dbrescue.settings.PrivateFiles.tightenFolder(runDir); // the steps' logs and safety dumps: 0600
        List<RunResult.GroupResult> results = new ArrayList<>();
        for (String group : plan.groups()) {
            Journal.Group g = journal.group(group);
            results.add(new RunResult.GroupResult(group, g.outcome, g.message, g.fix, g.errorKind, g.report));
        }
        RunResult result = new RunResult(plan.runId(), results, cancelled, journal.file(),
                cancelled && cancelMode == CancelMode.ROLL_BACK);
        tracker.message(cancelled ? "cancelled" : result.exitCode() == RunResult.OK ? "done" : "failed",
                summary(result));
        return result;
    }

    private void runGroups(Journal journal, StepContext ctx, ProgressTracker tracker) throws IOException {
        Plan plan = journal.plan();
        boolean stopAll = false;
        String stopReason = null;
        for (String group : plan.groups()) {
            Journal.Group g = journal.group(group);
            if (g.outcome != Journal.Outcome.PENDING && g.outcome != Journal.Outcome.CANCELLED) {
                continue; // finished in an earlier attempt
            }
            if (stopAll) {
                g.outcome = Journal.Outcome.SKIPPED;
                g.message = "Not started: " + stopReason;
                journal.save();
                continue;
            }
            if (cancel.get()) {
                break;
            }
            if (refusedInsideBackup(journal, group, ctx.runDir(), tracker)) {
                continue;
            }
            runGroup(journal, group, ctx, tracker);
            if (g.outcome == Journal.Outcome.CANCELLED) {
                break;
            }
            if (g.outcome == Journal.Outcome.FAILED && plan.request().requireAll()) {
                stopAll = true;
                stopReason = "the restore of " + group + " failed and --require-all was given.";
            }
        }
    }

    private void runGroup(Journal journal, String group, StepContext ctx, ProgressTracker tracker) throws IOException {
        Plan plan = journal.plan();
        Journal.Group g = journal.group(group);
        List<Step> done = new ArrayList<>();
        Step current = null;
        try {
            for (Step step : plan.steps(group)) {
                Journal.StepState state = journal.state(step);
                // a step that holds something for later steps (a container) runs again while they still need it
                boolean again = state == Journal.StepState.DONE && heldForLater(step, plan.steps(group), journal);
                if (state == Journal.StepState.DONE && !again) {
                    done.add(step);
                    continue;
                }
                boundary();
                current = step;
                if (state == Journal.StepState.RUNNING) {
                    tracker.message("step", "Step " + step.id() + " was interrupted last time: undoing what it did, then running it again.");
                    executor(step).undo(step, ctx.forUndo());
                }
                journal.mark(step, Journal.StepState.RUNNING);
                tracker.startStep(step.id(), step.title(), step.bytes());
                executor(step).run(step, ctx.forGroup(g));
                journal.mark(step, Journal.StepState.DONE);
                tracker.finishStep();
                done.add(step);
                current = null;
            }
            awaitAnswer(); // a cancel asked while the last step ran still undoes this finding
            if (cancel.get() && cancelMode == CancelMode.ROLL_BACK) {
                throw new CancellationException("cancelled");
            }
            g.outcome = Journal.Outcome.RESTORED;
            Object unverified = g.report.get(RunResult.NOT_VERIFIED_KEY);
            g.message = unverified == null ? "Restored." : "Restored, but NOT verified: " + unverified;
            g.report.remove("cancelled"); // from an earlier attempt
            dropSafetyCopyIfUnwanted(plan, g, tracker);
            journal.save();
        } catch (Exception e) {
            // a program killed by the cancel may fail its step before the step notices the cancel
            if (e instanceof CancellationException || cancel.get()) {
                cancelled(journal, g, current, done, ctx, tracker);
            } else {
                failed(journal, g, current, done, ctx, tracker, e);
            }
        } finally {
            release(plan.steps(group), ctx, tracker);
        }
    }

    private void cancelled(Journal journal, Journal.Group g, Step current, List<Step> done, StepContext ctx,
                           ProgressTracker tracker) throws IOException {
        boolean undone = undoQuietly(journal, current, ctx, tracker);
        String when = current == null ? "between two steps" : "during step " + current.id() + " (" + current.title() + ")";
        if (cancelMode == CancelMode.ROLL_BACK) {
            tracker.message("rollback", "Cancelled " + when + ": undoing what was done for this database.");
            if (undone && undoAll(journal, done, ctx, tracker)) {
                g.message = "Cancelled " + when + ". Everything done for it was undone: it is as it was before the run. "
                        + "Resume the run to restore it after all.";
                g.report.put("cancelled", "rolled back");
            } else {
                g.message = "Cancelled " + when + ", but a step could not be undone (the live log says which and why): "
                        + "it was only partly rolled back. Resume the run to finish it, or undo the rest by hand.";
                g.report.put("cancelled", "partly rolled back");
            }
        } else {
            g.message = "Stopped " + when + "; that step was undone, the " + done.size()
                    + " before it are kept. Resume the run to continue from there.";
            g.report.put("cancelled", "stopped here, to be resumed");
        }
        g.outcome = Journal.Outcome.CANCELLED;
        journal.save();
    }

    private void failed(Journal journal, Journal.Group g, Step current, List<Step> done, StepContext ctx,
                        ProgressTracker tracker, Exception e) throws IOException {
        StepFailure f = e instanceof StepFailure sf ? sf
                : new StepFailure("unexpected", (current == null ? "" : current.title() + ": ") + e.getMessage(),
                "See the log for details; the finding was rolled back.", e);
        // the summary tells the user (what, why, fix), once; the trace is for the log file only
        LOG.warn(LogSetup.FILE_ONLY, "step {} failed: {}", current == null ? "?" : current.id(),
                f.getMessage(), e);
        tracker.message("rollback", "Step " + (current == null ? "?" : current.id())
                + " failed; rolling back (the summary says why).");
        if (undoQuietly(journal, current, ctx, tracker)) {
            undoAll(journal, done, ctx, tracker);
        }
        g.outcome = Journal.Outcome.FAILED;
        g.message = f.getMessage();
        g.fix = f.fix();
        g.errorKind = f.kind();
        journal.save();
    }

    /**
     * Undoes the finding's steps, newest first; stops at the first that cannot be undone, because the ones before it
     * may be what it still stands on (a server still running on the data directory the step before copied).
     */
    private boolean undoAll(Journal journal, List<Step> done, StepContext ctx, ProgressTracker tracker) throws IOException {
        for (int i = done.size() - 1; i >= 0; i--) {
            if (!undoQuietly(journal, done.get(i), ctx, tracker)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The planner refuses plans that write inside the backup; this refuses them again at run time (a resumed
     * journal, a plan edited by hand, a link changed since), before any of the finding's steps runs.
     */
    private static boolean refusedInsideBackup(Journal journal, String group, Path runDir, ProgressTracker tracker)
            throws IOException {
        java.util.Optional<String> why = io.dbrescue.plan.BackupGuard.refusal(journal.plan(), group, runDir);
        if (why.isEmpty()) {
            return false;
        }
        Journal.Group g = journal.group(group);
        g.outcome = Journal.Outcome.FAILED;
        g.message = why.get();
        g.fix = "Plan the restore again with a target outside the backup (--target-data).";
        g.errorKind = "backup-read-only";
        journal.save();
        tracker.message("step", group + ": " + why.get());
        return true;
    }

    /** Lets go of what the finding's steps held for it (containers), whatever the outcome. */
    private void release(List<Step> steps, StepContext ctx, ProgressTracker tracker) {
        for (Step step : steps) {
            try {
                executor(step).release(step, ctx.forUndo());
            } catch (Exception e) {
                LOG.error(LogSetup.FILE_ONLY, "could not release step {}: {}", step.id(), e.getMessage(), e);
                tracker.message("step", "Could not clean up after step " + step.id() + ": " + e.getMessage());
            }
        }
    }

    /** With safety copies turned off (--no-safety-copy, backup_existing_data = false) the copy goes once all went well. */
    private static void dropSafetyCopyIfUnwanted(Plan plan, Journal.Group g, ProgressTracker tracker) {
        Object copy = g.report.get("safetyCopy");
        if (plan.request().safetyCopy() || copy == null) {
            return;
        }
        try {
            CopyTree.delete(java.nio.file.Path.of(copy.toString()));
            g.report.put("safetyCopy", "removed after the restore succeeded (safety copies are off)");
        } catch (IOException e) {
            tracker.message("step", "Could not remove the safety copy " + copy + ": " + e.getMessage());
        }
    }

    /**
     * Undoes a step; false when that failed. The step is then marked running again (not known to be undone), so a
     * resume undoes it before anything else — never taken for done while what it made is half gone.
     */
    private boolean undoQuietly(Journal journal, Step step, StepContext ctx, ProgressTracker tracker) throws IOException {
        if (step == null) {
            return true;
        }
        try {
            executor(step).undo(step, ctx.forUndo());
            journal.mark(step, Journal.StepState.UNDONE);
            return true;
        } catch (Exception e) {
            LOG.error(LogSetup.FILE_ONLY, "could not undo step {}: {}", step.id(), e.getMessage(), e);
            tracker.message("rollback", "Could not undo step " + step.id() + " (" + step.undo() + "): " + e.getMessage()
                    + " The steps before it are left as they are; resume the run, or undo by hand (the journal is "
                    + journal.file() + ").");
            journal.mark(step, Journal.StepState.RUNNING);
            return false;
        }
    }

    /** Whether the step holds something (a container) that a step not done yet releases. */
    private static boolean heldForLater(Step step, List<Step> steps, Journal journal) {
        String holds = StepKinds.as(step, StepParams.Holds.class).map(StepParams.Holds::holds).orElse(null);
        return holds != null && steps.stream().anyMatch(s -> journal.state(s) != Journal.StepState.DONE
                && StepKinds.as(s, StepParams.Releases.class).map(r -> holds.equals(r.releases())).orElse(false));
    }

    private StepExecutor executor(Step step) {
        StepExecutor e = executors.get(step.kind());
        if (e == null) {
            throw new IllegalStateException("no executor for steps of kind " + step.kind());
        }
        return e;
    }

    static String summary(RunResult r) {
        long unverified = r.groups().stream().filter(RunResult.GroupResult::notVerified).count();
        return String.format("%d restored%s, %d failed, %d skipped%s.", r.count(Journal.Outcome.RESTORED),
                unverified == 0 ? "" : " (" + unverified + " not verified)", r.count(Journal.Outcome.FAILED),
                r.count(Journal.Outcome.SKIPPED), r.cancelled() ? ", cancelled" : "");
    }
}
