package io.dbrescue.app;

import io.dbrescue.history.History;
import io.dbrescue.history.Outcome;
import io.dbrescue.history.RunRecord;
import io.dbrescue.metrics.Metrics;
import io.dbrescue.metrics.MetricsException;
import io.dbrescue.metrics.MetricsServer;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Step;
import io.dbrescue.run.Journal;
import io.dbrescue.run.ProgressEvent;
import io.dbrescue.run.RunResult;
import io.dbrescue.settings.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What watches every recovery and resume, whichever front end started it: the metrics endpoint while it runs
 * (enable_metrics, metrics_port) and the run history afterwards (one record per finding: engine, strategy,
 * bytes, duration, outcome, error kind).
 */
final class RunObservers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunObservers.class);
    private final Plan plan;
    private final History history;
    private final Metrics metrics = new Metrics();
    private Optional<MetricsServer> server = Optional.empty();
    private final Instant started = Instant.now();
    private final Map<String, Long> groupStart = new HashMap<>();
    private final Map<String, Long> groupEnd = new HashMap<>();
    private final Map<String, String> groupOfStep = new HashMap<>();

    private RunObservers(Plan plan, History history) {
        this.plan = plan;
        this.history = history;
        for (Step s : plan.steps()) {
            groupOfStep.put(s.id(), s.group());
        }
    }

    /** Starts watching (the metrics endpoint when the settings ask for it); {@code notices}: what to tell the user. */
    static RunObservers start(Settings settings, History history, Plan plan, Consumer<String> notices) {
        RunObservers o = new RunObservers(plan, history);
        try {
            o.metrics.addHistory(o.history.read().records());
        } catch (IOException e) {
            LOG.warn("could not read the run history: {}", e.getMessage());
        }
        try {
            o.server = MetricsServer.startIfEnabled(settings, o.metrics);
        } catch (MetricsException e) {
            notices.accept(e.getMessage() + " The recovery goes on without metrics.");
        }
        return o;
    }

    void progress(ProgressEvent e) {
        metrics.progress(e.done(), e.total());
        metrics.phase(e.phase());
        metrics.throughput(e.bytesPerSecond());
        String group = e.stepId() == null ? null : groupOfStep.get(e.stepId());
        if (group != null) {
            long now = System.nanoTime();
            groupStart.putIfAbsent(group, now);
            groupEnd.put(group, now);
        }
    }

    void finished(RunResult result) {
        Duration total = Duration.between(started, Instant.now());
        metrics.runFinished(outcome(result), total);
        for (RunResult.GroupResult g : result.groups()) {
            Outcome outcome = switch (g.outcome()) {
                case RESTORED -> Outcome.SUCCESS;
                case FAILED -> Outcome.FAILED;
                case CANCELLED -> Outcome.CANCELLED;
                default -> null;
            };
            if (outcome == null) {
                continue;
            }
            Decision d = plan.decisions().stream().filter(x -> x.path().equals(g.group())).findFirst().orElse(null);
            long bytes = plan.steps(g.group()).stream().mapToLong(Step::bytes).sum();
            long millis = groupStart.containsKey(g.group())
                    ? (groupEnd.get(g.group()) - groupStart.get(g.group())) / 1_000_000 : 0;
            try {
                history.record(new RunRecord(result.runId(), started, d == null ? "unknown" : d.engine().id(),
                        d == null || d.strategy() == null ? null : d.strategy().id(), g.group(), bytes, millis,
                        outcome, g.errorKind()));
            } catch (IOException e) {
                LOG.warn("could not write the run history {}: {}", history.file(), e.getMessage());
            }
        }
    }

    private static Outcome outcome(RunResult r) {
        if (r.cancelled()) {
            return Outcome.CANCELLED;
        }
        return switch (r.exitCode()) {
            case RunResult.OK -> Outcome.SUCCESS;
            case RunResult.PARTIAL -> Outcome.PARTIAL;
            default -> r.count(Journal.Outcome.RESTORED) > 0 ? Outcome.PARTIAL : Outcome.FAILED;
        };
    }

    @Override
    public void close() {
        server.ifPresent(MetricsServer::close);
    }
}
