package io.dbrescue.gui;

import io.dbrescue.Engines;
import io.dbrescue.app.RequestBuilder;
import io.dbrescue.history.History;
import io.dbrescue.plan.Check;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.ProgressEvent;
import io.dbrescue.run.ProgressListener;
import io.dbrescue.run.RunResult;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ScanListener;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.settings.AppPaths;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A RecoveryService for wizard tests: the real scanner, a machine with PostgreSQL 16, a planner
 * that offers dump-restore or direct per finding, and a run that reports progress step by step
 * (and can be held in the middle so that a test can press Cancel).
 */
class FakeRecoveryService implements RecoveryService {
    /** Every request planned, in order. */
    final List<RecoveryRequest> requests = new ArrayList<>();

    volatile boolean failPreflight;
    volatile boolean root = true;
    volatile CountDownLatch holdRun;
    /** When set, the first step waits for this command to be run in a terminal (a root step without pkexec). */
    volatile String rootCommand;
    volatile CountDownLatch holdScan;
    final CountDownLatch runHeld = new CountDownLatch(1);
    volatile boolean cancelled;
    volatile io.dbrescue.run.Runner.CancelMode cancelMode;
    volatile int holds;
    volatile int proceeds;
    final List<Map<String, Strategy>> plans = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> secretsSeen = new CopyOnWriteArrayList<>();
    List<RecoveryService.Interrupted> interrupted = List.of();

    @Override
    public ScanResult scan(Path folder, ScanListener listener) throws IOException {
        CountDownLatch h = holdScan;
        long dirs = 0;
        try {
            while (h != null && !h.await(20, TimeUnit.MILLISECONDS)) {
                listener.progress(++dirs, dirs * 10);
                if (listener.cancelled()) {
                    throw new java.util.concurrent.CancellationException("scan cancelled");
                }
            }
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
        return Engines.scanner().scan(folder, listener);
    }

    /** The servers discover() reports; null: PostgreSQL 16 only. */
    volatile List<InstalledServer> servers;

    @Override
    public Target discover() {
        List<InstalledServer> s = servers;
        return new Target(s != null ? s : List.of(new InstalledServer(io.dbrescue.scan.Engine.POSTGRESQL, "16.4",
                Path.of("/usr/lib/postgresql/16/bin"),
                List.of(new InstalledServer.Cluster(Path.of("/var/lib/postgresql/16/main"), 5432, true, "postgres")))),
                "4.3.1", root);
    }

    /** The settings of the XDG folders a test points at (read when asked, as a start of dbrescue would). */
    @Override
    public RequestBuilder request() {
        io.dbrescue.settings.Settings settings;
        try {
            settings = io.dbrescue.settings.Settings.load(settingsFile());
        } catch (IOException e) {
            settings = io.dbrescue.settings.Settings.defaults(settingsFile());
        }
        return new RequestBuilder(settings);
    }

    @Override
    public History history() {
        return new History(AppPaths.current().historyFile());
    }

    @Override
    public Path settingsFile() {
        return AppPaths.current().configFile();
    }

    @Override
    public Plan plan(RecoveryRequest request, ScanResult scan, Target target, Map<String, Strategy> strategies,
                     Map<String, String> secrets) {
        plans.add(Map.copyOf(strategies));
        requests.add(request);
        List<Decision> decisions = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        int n = 0;
        for (String path : request.selections()) {
            n++;
            Finding f = scan.findings().stream().filter(x -> x.getPath().equals(path)).findFirst().orElseThrow();
            Strategy s = strategies.getOrDefault(path, Strategy.DUMP_RESTORE);
            Strategy other = s == Strategy.DIRECT ? Strategy.DUMP_RESTORE : Strategy.DIRECT;
            decisions.add(new Decision(path, f.getEngine(), f.getKind().id(), f.getVersion(), s,
                    s == Strategy.DIRECT ? "You asked to copy the file into place." : "A file database is copied into the target folder.",
                    List.of(new Decision.Alternative(other, true, "also possible"),
                            new Decision.Alternative(Strategy.CONTAINER, false, "SQLite needs no server"))));
            checks.add(Check.pass(path, "disk space", "Enough free space: 12 GB free, 8.2 kB needed."));
            checks.add(Check.warn(path, "target folder", "The target folder is new.", "Nothing to do."));
            if (failPreflight) {
                checks.add(Check.fail(path, "tools", "sqlite3 is not installed.", "Install it: apt install sqlite3"));
            }
            steps.add(new Step(n + ".1", path, "exec", "Copy " + path + " (" + s.id() + ")",
                    List.of("cp", "--", path, "/srv/restored/" + path), path, "/srv/restored/" + path, 4096,
                    false, "delete the copy", Map.of()));
            steps.add(new Step(n + ".2", path, "exec", "Set the owner", List.of("chown", "app:app", "/srv/restored/" + path),
                    "", "/srv/restored/" + path, 0, true, "", Map.of()));
        }
        return new Plan("20260101-000000-abcd", "2026-01-01T00:00:00Z", request, decisions, checks, steps);
    }

    @Override
    public RunResult run(Plan plan, Map<String, String> secrets, ProgressListener listener) throws IOException {
        secretsSeen.add(Map.copyOf(secrets));
        cancelled = false;
        long total = plan.totalBytes();
        long done = 0;
        List<RunResult.GroupResult> groups = new ArrayList<>();
        boolean stopped = false;
        for (String g : plan.groups()) {
            if (stopped || cancelled) {
                stopped = true;
                groups.add(new RunResult.GroupResult(g, Journal.Outcome.PENDING, "Not started.", null, null, Map.of()));
                continue;
            }
            for (Step s : plan.steps(g)) {
                listener.progress(new ProgressEvent(plan.runId(), "step", s.id(), s.title(), 0, s.bytes(), done, total,
                        0, -1, "Step " + s.id() + ": " + s.title()));
                if (rootCommand != null && done == 0) {
                    listener.progress(new ProgressEvent(plan.runId(), "needs-root", s.id(), s.title(), 0, s.bytes(), done,
                            total, 0, -1, rootCommand));
                }
                waitWhileHeld();
                if (cancelled) {
                    listener.progress(new ProgressEvent(plan.runId(), "cancelled", s.id(), s.title(), 0, s.bytes(), done,
                            total, 0, -1, "Step " + s.id() + " undone."));
                    groups.add(new RunResult.GroupResult(g, Journal.Outcome.CANCELLED,
                            "Cancelled during step " + s.id() + "; that step was undone.", null, null, Map.of()));
                    stopped = true;
                    break;
                }
                done += s.bytes();
                listener.progress(new ProgressEvent(plan.runId(), "step", s.id(), s.title(), s.bytes(), s.bytes(), done,
                        total, 2_000_000, 3, null));
            }
            if (!stopped) {
                groups.add(new RunResult.GroupResult(g, Journal.Outcome.RESTORED, "Restored.", null, null,
                        Map.of("rowCounts", "notes: 1", "safetyCopy", "/srv/restored/.dbrescue-safety")));
            }
        }
        return new RunResult(plan.runId(), groups, stopped, Path.of("/tmp/state/runs/" + plan.runId() + ".json"),
                stopped && cancelMode == io.dbrescue.run.Runner.CancelMode.ROLL_BACK);
    }

    private void waitWhileHeld() {
        CountDownLatch h = holdRun;
        if (h != null) {
            runHeld.countDown();
            try {
                h.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public RunResult resume(String runId, Map<String, String> secrets, ProgressListener listener) throws IOException {
        Interrupted found = interrupted.stream().filter(i -> i.runId().equals(runId)).findFirst()
                .orElseThrow(() -> new IOException("no journal " + runId));
        return run(found.plan(), secrets, listener);
    }

    @Override
    public void cancel(io.dbrescue.run.Runner.CancelMode mode) {
        cancelMode = mode;
        cancel();
    }

    @Override
    public void hold() {
        holds++;
    }

    @Override
    public void proceed() {
        proceeds++;
    }

    @Override
    public void cancel() {
        cancelled = true;
        CountDownLatch h = holdRun;
        if (h != null) {
            h.countDown();
        }
    }

    @Override
    public List<Interrupted> interruptedRuns() {
        return interrupted;
    }
}
