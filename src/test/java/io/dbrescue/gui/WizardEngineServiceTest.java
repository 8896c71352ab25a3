package io.dbrescue.gui;

import io.dbrescue.Engines;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.Planner;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.ProgressEvent;
import io.dbrescue.run.RunResult;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ScanListener;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@link EngineRecoveryService} over the engine's planner and runner: per-finding
 * strategies planned as one plan, a real run of exec steps cancelled, found again as an interrupted
 * run and resumed to the end.
 */
class WizardEngineServiceTest {
    @TempDir
    Path backup;
    @TempDir
    Path stateDir;
    String previousState;

    /** Plans SQLite files: AUTO means direct; two exec steps that do nothing harmful. */
    static final class SqlitePlanner implements EnginePlanner {
        @Override
        public boolean handles(Finding finding) {
            return finding.getEngine() == Engine.SQLITE;
        }

        @Override
        public Decision decide(Finding f, Strategy requested, Target target, RecoveryRequest request) {
            Strategy s = requested == Strategy.AUTO ? Strategy.DIRECT : requested;
            return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), s, "asked " + requested.id(),
                    List.of(new Decision.Alternative(Strategy.DUMP_RESTORE, true, "also")));
        }

        @Override
        public void plan(Finding f, Decision d, Target target, PlanContext ctx) {
            ctx.pass("ok", "fine");
            ctx.step("exec", "first " + d.strategy().id()).argv(List.of("true")).add();
            ctx.step("exec", "second").argv(List.of("true")).bytes(10).add();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        previousState = System.getProperty("dbrescue.state.dir");
        System.setProperty("dbrescue.state.dir", stateDir.toString());
        WizardViewModelTest.sqlite(backup.resolve("a.db"));
        WizardViewModelTest.sqlite(backup.resolve("b.db"));
    }

    @AfterEach
    void tearDown() {
        if (previousState != null) {
            System.setProperty("dbrescue.state.dir", previousState);
        } else {
            System.clearProperty("dbrescue.state.dir");
        }
    }

    private RecoveryRequest request() {
        return new RecoveryRequest(backup, List.of("a.db", "b.db"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 1, true, false);
    }

    @Test
    void strategiesPerFindingArePlannedAsOnePlan() throws Exception {
        EngineRecoveryService service = EngineServices.with(stateDir, new Planner(List.of(new SqlitePlanner())),
                () -> new Target(List.of(), null, false));
        ScanResult scan = service.scan(backup, ScanListener.NONE);
        Target target = service.discover();
        Plan together = service.plan(request(), scan, target, Map.of(), Map.of());
        Plan mixed = service.plan(request(), scan, target, Map.of("b.db", Strategy.DUMP_RESTORE), Map.of());
        assertThat(mixed.steps()).extracting(Step::id).isEqualTo(together.steps().stream().map(Step::id).toList())
                .containsExactly("1.1", "1.2", "2.1", "2.2");
        assertThat(mixed.decisions()).extracting(Decision::strategy).containsExactly(Strategy.DIRECT, Strategy.DUMP_RESTORE);
        assertThat(mixed.steps()).extracting(Step::title).containsExactly("first direct", "second", "first dump-restore", "second");
        assertThat(mixed.checks()).hasSize(2);
        assertThat(mixed.groups()).containsExactly("a.db", "b.db");
        assertThat(mixed.request().selections()).containsExactly("a.db", "b.db");
    }

    @Test
    void aCancelledRunIsOfferedAgainAndResumes() throws Exception {
        Path marker = stateDir.resolve("go-on");
        Plan plan = new Plan("20260101-000000-feed", "2026-01-01T00:00:00Z", request(), List.of(), List.of(), List.of(
                new Step("1.1", "a.db", "exec", "quick", List.of("true"), "", "", 10, false, "", Map.of()),
                new Step("1.2", "a.db", "exec", "slow until told", List.of("sh", "-c", "test -f '" + marker + "' || sleep 30"),
                        "", "", 10, false, "", Map.of())));
        EngineRecoveryService service = EngineServices.with(stateDir, new Planner(List.of()),
                () -> new Target(List.of(), null, false));
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        RunResult first = service.run(plan, Map.of(), e -> {
            events.add(e);
            if ("1.2".equals(e.stepId()) && e.message() != null && e.message().startsWith("Step 1.2")) {
                new Thread(() -> service.cancel(io.dbrescue.run.Runner.CancelMode.KEEP)).start(); // "stop here, resume later"
            }
        });
        assertThat(first.cancelled()).isTrue();
        assertThat(events).anyMatch(e -> e.message() != null && e.message().startsWith("Step 1.1"));

        List<RecoveryService.Interrupted> interrupted = service.interruptedRuns();
        assertThat(interrupted).extracting(RecoveryService.Interrupted::runId).containsExactly("20260101-000000-feed");
        assertThat(interrupted.get(0).stepsDone()).isEqualTo(1);
        assertThat(interrupted.get(0).describe()).contains("stopped after 1 of 2 steps");

        Files.createFile(marker);
        RunResult resumed = service.resume("20260101-000000-feed", Map.of(), e -> { });
        assertThat(resumed.cancelled()).isFalse();
        assertThat(resumed.groups()).extracting(RunResult.GroupResult::outcome).containsExactly(Journal.Outcome.RESTORED);
        assertThat(service.interruptedRuns()).isEmpty();
    }
}
