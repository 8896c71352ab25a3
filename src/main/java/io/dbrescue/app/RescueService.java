package io.dbrescue.app;

import io.dbrescue.Engines;
import io.dbrescue.history.History;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Planner;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.ProgressListener;
import io.dbrescue.run.RunResult;
import io.dbrescue.run.Runner;
import io.dbrescue.run.Secrets;
import io.dbrescue.scan.ScanListener;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Scanner;
import io.dbrescue.settings.Settings;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one road from a front end into the engine: the command line ({@code io.dbrescue.cli}) and the window
 * ({@code io.dbrescue.gui}) both plan, recover, resume and verify through this service, which is made where
 * dbrescue starts, with the settings of that start. A request is built here from the settings and the user's
 * choices ({@link #request()}); the passwords of a plan or run are handed in with each call and handed down
 * from here (to the planners with the target, to the steps with the runner), never kept in a static. Every
 * run and resume, whoever started it, is watched the same way: its journal (the runner's), the metrics endpoint
 * while it runs (enable_metrics) and one history record per finding afterwards.
 */
public final class RescueService {
    private final Settings settings;
    private final History history;
    private final Recovery recovery;
    private final Function<Secrets, Runner> runners;
    private final Consumer<String> notices;

    /**
     * The engine as {@link Engines} wires it, with these settings (the server binaries of {@code [binaries]} are
     * added to what discovery finds) and the run history in {@code history}.
     *
     * @param notices hears what the user should be told that is no error (the metrics endpoint could not start)
     */
    public RescueService(Settings settings, History history, Consumer<String> notices) {
        this(settings, history, notices, Engines.planner(), Engines::runner,
                () -> Recovery.discover(settings.allBinaries()));
    }

    /** As {@link #RescueService(Settings, History, Consumer)} with other engine parts (tests). */
    public RescueService(Settings settings, History history, Consumer<String> notices, Planner planner,
                         Function<Secrets, Runner> runners, Supplier<Target> discovery) {
        this.settings = settings;
        this.history = history;
        this.notices = notices;
        this.recovery = new Recovery(planner, discovery);
        this.runners = runners;
    }

    public Settings settings() {
        return settings;
    }

    /** Where the runs are recorded. */
    public History history() {
        return history;
    }

    /** A request to fill in with the user's choices; the settings fill in the rest. */
    public RequestBuilder request() {
        return new RequestBuilder(settings);
    }

    /** Scans a backup folder (nothing in it is changed). */
    public ScanResult scan(Path folder) throws IOException {
        return Engines.scanner().scan(folder);
    }

    /** Scans a backup folder on this many threads (the window leaves one core to itself). */
    public ScanResult scan(Path folder, ScanListener listener, int threads) throws IOException {
        return new Scanner(Engines.scanners(), threads).scan(folder, listener);
    }

    /** What this machine has (servers, data directories, Podman, whether we are root), with {@code [binaries]}. */
    public Target discover() {
        return recovery.discover();
    }

    /** Scans the backup, discovers the target and plans. Changes nothing. */
    public Plan plan(RecoveryRequest request, Secrets secrets) throws IOException {
        return recovery.plan(request, secrets);
    }

    /**
     * Plans with the scan and the target already made (no second scan). {@code chosen} holds the user's strategy
     * per finding path; findings not in it take the request's. Changes nothing.
     */
    public Plan plan(RecoveryRequest request, ScanResult scan, Target target, Map<String, Strategy> chosen,
                     Secrets secrets) {
        return recovery.plan(request, scan, target, chosen, secrets);
    }

    /** The runner of one run or resume: its steps log in with these passwords. Cancel, hold and proceed go to it. */
    public Runner runner(Secrets secrets) {
        return runners.apply(secrets);
    }

    /** Runs the plan with this runner: journal, metrics and history as for every run. */
    public RunResult run(Runner runner, Plan plan, ProgressListener listener) throws IOException {
        return observed(plan, listener, l -> runner.run(plan, l));
    }

    /** Continues an interrupted run from its journal, watched like a run. */
    public RunResult resume(Runner runner, Journal journal, ProgressListener listener) throws IOException {
        return observed(journal.plan(), listener, l -> runner.resume(journal, l));
    }

    /** Whether the selected findings can be restored; with {@code restoreTest}, each is restored into a throwaway. */
    public List<Verification.Verdict> verify(Path backupRoot, List<String> selections, boolean restoreTest,
                                             TargetOptions options, Secrets secrets) throws IOException {
        return Verification.verify(backupRoot, selections, restoreTest, options, settings.containers(), secrets);
    }

    /** A run refused before it started (the target is locked, the run folder is in the backup) records nothing. */
    private RunResult observed(Plan plan, ProgressListener shown, RunBody body) throws IOException {
        try (RunObservers observers = RunObservers.start(settings, history, plan, notices)) {
            RunResult result = body.run(e -> {
                observers.progress(e);
                shown.progress(e);
            });
            observers.finished(result);
            return result;
        }
    }

    @FunctionalInterface
    private interface RunBody {
        RunResult run(ProgressListener listener) throws IOException;
    }
}
