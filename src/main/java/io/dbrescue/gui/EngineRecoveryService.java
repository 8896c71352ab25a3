package io.dbrescue.gui;

import io.dbrescue.Engines;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Planner;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.ProgressListener;
import io.dbrescue.run.RunResult;
import io.dbrescue.run.Runner;
import io.dbrescue.scan.ScanListener;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Scanner;
import io.dbrescue.target.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The real {@link RecoveryService}: the engine's scanner, discovery, planner and runner. */
public final class EngineRecoveryService implements RecoveryService {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRecoveryService.class);
    private final Planner planner;
    private final Supplier<Runner> runners;
    private final Supplier<Target> discovery;
    private volatile Runner runner;

    /** The engine as {@link Engines} wires it. */
    public EngineRecoveryService() {
        // the window, like the command line, adds the server binaries named in the settings ([binaries])
        this(Engines.planner(), Engines::runner, () -> io.dbrescue.Recovery.discover(AppSettings.current().allBinaries()));
    }

    EngineRecoveryService(Planner planner, Supplier<Runner> runners, Supplier<Target> discovery) {
        this.planner = planner;
        this.runners = runners;
        this.discovery = discovery;
    }

    @Override
    public ScanResult scan(Path folder, ScanListener listener) throws IOException {
        // one core is left to the window: on a 2-core machine a scan on every core delays the FX thread
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        return new Scanner(Engines.scanners(), threads).scan(folder, listener);
    }

    @Override
    public Target discover() {
        return discovery.get();
    }

    @Override
    public Plan plan(RecoveryRequest request, ScanResult scan, Target target, Map<String, Strategy> strategies) {
        return planner.plan(request, scan, target.withOptions(request.target()), strategies);
    }

    @Override
    public RunResult run(Plan plan, Map<String, String> secrets, ProgressListener listener) throws IOException {
        useSecrets(secrets);
        runner = runners.get();
        return runner.run(plan, listener);
    }

    @Override
    public RunResult resume(String runId, Map<String, String> secrets, ProgressListener listener) throws IOException {
        useSecrets(secrets);
        runner = runners.get();
        return runner.resume(Journal.load(runId), listener);
    }

    /** The engine's credential mechanism takes them (memory only, masked in every log). */
    @Override
    public void useSecrets(Map<String, String> secrets) {
        secrets.forEach(io.dbrescue.run.Secrets::put);
    }

    @Override
    public void cancel() {
        cancel(Runner.CancelMode.ROLL_BACK);
    }

    @Override
    public void cancel(Runner.CancelMode mode) {
        Runner r = runner;
        if (r != null) {
            r.cancel(mode);
        }
    }

    @Override
    public void hold() {
        Runner r = runner;
        if (r != null) {
            r.hold();
        }
    }

    @Override
    public void proceed() {
        Runner r = runner;
        if (r != null) {
            r.proceed();
        }
    }

    @Override
    public List<Interrupted> interruptedRuns() {
        Path dir = Journal.runsDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Interrupted> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                String id = f.getFileName().toString().replaceFirst("\\.json$", "");
                try {
                    Journal j = Journal.load(id);
                    if (!j.data().finished && j.plan() != null) {
                        int done = (int) j.data().steps.values().stream()
                                .filter(s -> s == Journal.StepState.DONE).count();
                        found.add(new Interrupted(id, j.plan(), j.data().startedAt, done));
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot read journal {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.getMessage());
        }
        found.sort(Comparator.comparing(Interrupted::runId).reversed());
        return found;
    }
}
