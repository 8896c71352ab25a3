package io.dbrescue.gui;

import io.dbrescue.app.RequestBuilder;
import io.dbrescue.app.RescueService;
import io.dbrescue.history.History;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.ProgressListener;
import io.dbrescue.run.RunResult;
import io.dbrescue.run.Runner;
import io.dbrescue.run.Secrets;
import io.dbrescue.scan.ScanListener;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.machine.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real {@link RecoveryService}: the wizard's calls handed to the application service ({@link RescueService}),
 * the same road the command line takes. The password typed into the window goes down with each plan and run
 * (memory only); the runner of the current run is kept here for Cancel.
 */
public final class EngineRecoveryService implements RecoveryService {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRecoveryService.class);
    private final RescueService rescue;
    private volatile Runner runner;

    public EngineRecoveryService(RescueService rescue) {
        this.rescue = rescue;
    }

    @Override
    public ScanResult scan(Path folder, ScanListener listener) throws IOException {
        // one core is left to the window: on a 2-core machine a scan on every core delays the FX thread
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        return rescue.scan(folder, listener, threads);
    }

    @Override
    public Target discover() {
        return rescue.discover();
    }

    @Override
    public RequestBuilder request() {
        return rescue.request();
    }

    @Override
    public Plan plan(RecoveryRequest request, ScanResult scan, Target target, Map<String, Strategy> strategies,
                     Map<String, String> secrets) {
        return rescue.plan(request, scan, target, strategies, secrets(secrets));
    }

    @Override
    public RunResult run(Plan plan, Map<String, String> secrets, ProgressListener listener) throws IOException {
        Runner r = rescue.runner(secrets(secrets));
        runner = r;
        return rescue.run(r, plan, listener);
    }

    @Override
    public RunResult resume(String runId, Map<String, String> secrets, ProgressListener listener) throws IOException {
        Runner r = rescue.runner(secrets(secrets));
        runner = r;
        return rescue.resume(r, Journal.load(runId), listener);
    }

    /** The window's password (by the engine's variable name) before the environment's. */
    private static Secrets secrets(Map<String, String> typed) {
        return Secrets.environment().with(typed);
    }

    @Override
    public History history() {
        return rescue.history();
    }

    @Override
    public Path settingsFile() {
        return rescue.settings().file();
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
