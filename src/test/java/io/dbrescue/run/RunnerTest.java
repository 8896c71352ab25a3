package io.dbrescue.run;

import io.dbrescue.plan.Plan;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.Strategy;
import io.dbrescue.machine.TargetOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner's bookkeeping with stand-in step executors (the real executors have end-to-end tests
 * with real servers): order, journal, rollback, partial failure, require-all, resume, cancel, progress.
 */
class RunnerTest {
    @TempDir
    Path state;
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, StepExecutor> executors = new HashMap<>();

    @BeforeEach
    void setUp() {
        System.setProperty("dbrescue.state.dir", state.toString());
        executors.put("ok", new StepExecutor() {
            @Override
            public void run(Step step, StepContext ctx) throws InterruptedException {
                calls.add("run " + step.id());
                if (step.title().equals("second")) {
                    Thread.sleep(120); // events are rate-limited to ~10 a second
                }
                ctx.progress(step.bytes() / 2);
                if (step.title().equals("second")) {
                    Thread.sleep(120);
                }
                ctx.progress(step.bytes());
            }

            @Override
            public void undo(Step step, StepContext ctx) {
                calls.add("undo " + step.id());
            }
        });
        executors.put("fail", new StepExecutor() {
            @Override
            public void run(Step step, StepContext ctx) throws StepFailure {
                calls.add("run " + step.id());
                throw new StepFailure("disk-full", "The disk filled up.", "Free space.");
            }

            @Override
            public void undo(Step step, StepContext ctx) {
                calls.add("undo " + step.id());
            }
        });
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("dbrescue.state.dir");
    }

    /** Two findings: a (3 steps), b (2 steps, the second of kind {@code secondKindOfB}). */
    private Plan plan(String secondKindOfB, boolean requireAll) {
        RecoveryRequest req = new RecoveryRequest(Path.of("/backup"), List.of("a", "b"), Strategy.AUTO,
                TargetOptions.NONE, RecoveryRequest.Conflict.ASK, 2, true, requireAll);
        List<Step> steps = new ArrayList<>();
        PlanContext a = new PlanContext(req, "a", 1);
        a.step("ok", "first").bytes(100).add();
        a.step("ok", "second").bytes(300).add();
        a.step("ok", "third").add();
        PlanContext b = new PlanContext(req, "b", 2);
        b.step("ok", "first").bytes(600).add();
        b.step(secondKindOfB, "second").add();
        steps.addAll(a.steps());
        steps.addAll(b.steps());
        return new Plan("test-" + System.nanoTime(), "now", req, List.of(), List.of(), steps);
    }

    @Test
    void runsEveryStepInOrderAndJournalsThem() throws Exception {
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        RunResult r = new Runner(executors).run(plan("ok", false), events::add);

        assertThat(calls).containsExactly("run 1.1", "run 1.2", "run 1.3", "run 2.1", "run 2.2");
        assertThat(r.exitCode()).isEqualTo(RunResult.OK);
        Journal j = Journal.load(r.runId());
        assertThat(j.data().finished).isTrue();
        assertThat(j.data().steps.values()).containsOnly(Journal.StepState.DONE);
        // progress is weighted by bytes and ends at the total
        ProgressEvent last = events.get(events.size() - 1);
        assertThat(last.total()).isEqualTo(1000);
        assertThat(last.done()).isEqualTo(1000);
        assertThat(events).extracting(ProgressEvent::done).isSorted();
        assertThat(events).anyMatch(e -> e.done() == 100 + 150); // half of step 1.2
    }

    @Test
    void aFailureRollsBackThatFindingOnlyAndIsReportedAsPartial() throws Exception {
        RunResult r = new Runner(executors).run(plan("fail", false), e -> { });

        assertThat(calls).containsExactly("run 1.1", "run 1.2", "run 1.3", "run 2.1", "run 2.2", "undo 2.2", "undo 2.1");
        assertThat(r.exitCode()).isEqualTo(RunResult.PARTIAL);
        RunResult.GroupResult b = r.groups().get(1);
        assertThat(b.outcome()).isEqualTo(Journal.Outcome.FAILED);
        assertThat(b.message()).isEqualTo("The disk filled up.");
        assertThat(b.fix()).isEqualTo("Free space.");
        assertThat(b.errorKind()).isEqualTo("disk-full");
    }

    @Test
    void requireAllStopsAtTheFirstFailure() throws Exception {
        RecoveryRequest req = new RecoveryRequest(Path.of("/backup"), List.of("a", "b"), Strategy.AUTO,
                TargetOptions.NONE, RecoveryRequest.Conflict.ASK, 2, true, true);
        PlanContext a = new PlanContext(req, "a", 1);
        a.step("fail", "breaks").add();
        PlanContext b = new PlanContext(req, "b", 2);
        b.step("ok", "never runs").add();
        List<Step> steps = new ArrayList<>(a.steps());
        steps.addAll(b.steps());
        RunResult r = new Runner(executors).run(new Plan("t-" + System.nanoTime(), "now", req, List.of(), List.of(), steps), e -> { });

        assertThat(calls).containsExactly("run 1.1", "undo 1.1");
        assertThat(r.groups()).extracting(RunResult.GroupResult::outcome)
                .containsExactly(Journal.Outcome.FAILED, Journal.Outcome.SKIPPED);
        assertThat(r.exitCode()).isEqualTo(RunResult.FAILED);
    }

    @Test
    void resumeUndoesTheInterruptedStepThenGoesOn() throws Exception {
        Plan plan = plan("ok", false);
        Journal j = Journal.create(plan);
        // as if the process died during 1.2: 1.1 done, 1.2 running
        j.mark(plan.steps().get(0), Journal.StepState.DONE);
        j.mark(plan.steps().get(1), Journal.StepState.RUNNING);

        RunResult r = new Runner(executors).resume(Journal.load(plan.runId()), e -> { });

        assertThat(calls).containsExactly("undo 1.2", "run 1.2", "run 1.3", "run 2.1", "run 2.2");
        assertThat(r.exitCode()).isEqualTo(RunResult.OK);
    }

    /** A step of kind "slow" that cancels the run (as if Cancel was pressed while it ran) in {@code mode}. */
    private Runner cancellingIn(Runner.CancelMode mode) {
        Runner runner = new Runner(executors);
        executors.put("slow", new StepExecutor() {
            @Override
            public void run(Step step, StepContext ctx) {
                calls.add("run " + step.id());
                runner.cancel(mode);
                ctx.checkCancelled();
            }

            @Override
            public void undo(Step step, StepContext ctx) {
                calls.add("undo " + step.id());
            }
        });
        return runner;
    }

    @Test
    void cancelUndoesTheWholeFindingInProgressAndCanBeResumedToTheEnd() throws Exception {
        Plan plan = plan("slow", false);
        RunResult r = cancellingIn(Runner.CancelMode.ROLL_BACK).run(plan, e -> { });

        assertThat(r.cancelled()).isTrue();
        assertThat(r.rolledBack()).isTrue();
        assertThat(r.exitCode()).isEqualTo(RunResult.CANCELLED);
        // the finished finding a stays; b's step in progress and the step before it are undone, newest first
        assertThat(calls).containsExactly("run 1.1", "run 1.2", "run 1.3", "run 2.1", "run 2.2", "undo 2.2", "undo 2.1");
        assertThat(r.groups().get(0).outcome()).isEqualTo(Journal.Outcome.RESTORED);
        assertThat(r.groups().get(1).outcome()).isEqualTo(Journal.Outcome.CANCELLED);
        assertThat(r.groups().get(1).message()).contains("as it was before the run");
        Journal j = Journal.load(plan.runId());
        assertThat(j.data().finished).isFalse();
        assertThat(j.data().steps.get("2.1")).isEqualTo(Journal.StepState.UNDONE);

        calls.clear();
        executors.put("slow", executors.get("ok"));
        RunResult resumed = new Runner(executors).resume(Journal.load(plan.runId()), e -> { });
        assertThat(calls).containsExactly("run 2.1", "run 2.2");
        assertThat(resumed.exitCode()).isEqualTo(RunResult.OK);
        assertThat(Journal.load(plan.runId()).data().finished).isTrue();
    }

    @Test
    void theUndoAfterACancelRunsItsProgramsToTheEndAndAFailedUndoStopsTheRollback() throws Exception {
        Runner runner = cancellingIn(Runner.CancelMode.ROLL_BACK);
        executors.put("program", new StepExecutor() {
            @Override
            public void run(Step step, StepContext ctx) {
                calls.add("run " + step.id());
            }

            @Override
            public void undo(Step step, StepContext ctx) throws Exception {
                // e.g. pg_ctl stop of the server the step started: the cancel must not kill it
                Exec.Result r = Exec.of(List.of("sleep", "0.3")).run(ctx);
                calls.add("undo " + step.id() + " exit " + r.exitCode());
            }
        });
        Plan plan = plan("slow", false);
        // b: 2.1 is an "ok" step, 2.2 the cancelling one; make 2.1 run a program in its undo
        List<Step> steps = new ArrayList<>(plan.steps());
        Step b1 = steps.get(3);
        steps.set(3, new Step(b1.id(), b1.group(), "program", b1.title(), b1.argv(), b1.reads(), b1.writes(), b1.bytes(),
                b1.needsRoot(), b1.undo(), b1.params()));
        RunResult r = runner.run(new Plan(plan.runId(), plan.createdAt(), plan.request(), List.of(), List.of(), steps), e -> { });

        assertThat(calls).endsWith("run 2.2", "undo 2.2", "undo 2.1 exit 0");
        assertThat(r.groups().get(1).message()).contains("Everything done for it was undone");
    }

    @Test
    void aStepThatCannotBeUndoneIsLeftForTheResumeAndTheStepsBeforeItAreKept() throws Exception {
        executors.put("stuck", new StepExecutor() {
            @Override
            public void run(Step step, StepContext ctx) throws StepFailure {
                calls.add("run " + step.id());
                throw new StepFailure("x", "It broke.", "Fix it.");
            }

            @Override
            public void undo(Step step, StepContext ctx) throws java.io.IOException {
                calls.add("undo " + step.id());
                throw new java.io.IOException("the server would not stop");
            }
        });
        Plan plan = plan("stuck", false);
        RunResult r = new Runner(executors).run(plan, e -> { });

        // 2.1 (what 2.2 stands on) is not undone under a step that could not be undone
        assertThat(calls).endsWith("run 2.1", "run 2.2", "undo 2.2");
        Journal j = Journal.load(plan.runId());
        assertThat(j.data().steps.get("2.2")).as("a resume undoes it first").isEqualTo(Journal.StepState.RUNNING);
        assertThat(j.data().steps.get("2.1")).isEqualTo(Journal.StepState.DONE);
        assertThat(r.groups().get(1).outcome()).isEqualTo(Journal.Outcome.FAILED);
    }

    @Test
    void stopHereUndoesOnlyTheStepInProgressAndTheResumeGoesOnFromIt() throws Exception {
        Plan plan = plan("slow", false);
        RunResult r = cancellingIn(Runner.CancelMode.KEEP).run(plan, e -> { });

        assertThat(r.cancelled()).isTrue();
        assertThat(r.rolledBack()).isFalse();
        assertThat(calls).endsWith("run 2.1", "run 2.2", "undo 2.2");
        assertThat(r.groups().get(1).message()).contains("Stopped during step 2.2").contains("kept");

        calls.clear();
        executors.put("slow", executors.get("ok"));
        RunResult resumed = new Runner(executors).resume(Journal.load(plan.runId()), e -> { });
        assertThat(calls).containsExactly("run 2.2");
        assertThat(resumed.exitCode()).isEqualTo(RunResult.OK);
    }

    @Test
    void aHeldRunWaitsAtTheNextStepBoundarySoItCannotFinishUnderneathTheQuestion() throws Exception {
        Runner runner = new Runner(executors);
        java.util.concurrent.CountDownLatch lastStepRuns = new java.util.concurrent.CountDownLatch(1);
        executors.put("last", new StepExecutor() {
            @Override
            public void run(Step step, StepContext ctx) {
                calls.add("run " + step.id());
                runner.hold(); // the question opens while the last step of the last finding runs
                lastStepRuns.countDown();
            }

            @Override
            public void undo(Step step, StepContext ctx) {
                calls.add("undo " + step.id());
            }
        });
        Plan plan = plan("last", false);
        var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(plan, e -> { });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        lastStepRuns.await();
        Thread.sleep(300);
        assertThat(result).isNotDone(); // it waits for the answer instead of finishing
        runner.cancel(Runner.CancelMode.ROLL_BACK);
        RunResult r = result.get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(r.groups().get(1).outcome()).isEqualTo(Journal.Outcome.CANCELLED);
        assertThat(calls).endsWith("run 2.2", "undo 2.2", "undo 2.1");
    }

    @Test
    void aHeldRunGoesOnWhenTheAnswerIsToKeepRunning() throws Exception {
        Runner runner = new Runner(executors);
        runner.hold();
        var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(plan("ok", false), e -> { });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertThat(calls).isEmpty();
        runner.proceed();
        assertThat(result.get(10, java.util.concurrent.TimeUnit.SECONDS).exitCode()).isEqualTo(RunResult.OK);
        assertThat(calls).hasSize(5);
    }

    @Test
    void theJournalIsWrittenAtomically() throws Exception {
        RunResult r = new Runner(executors).run(plan("ok", false), e -> { });
        try (var files = Files.list(Journal.runsDir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains(r.runId() + ".json").noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    /**
     * A container start (mongo-container-start, holds c) done before the run died runs again on resume while the
     * container-stop that releases c is not done; once the stop is done it does not.
     */
    @Test
    void aResumeStartsAgainTheContainerALaterStepStillNeeds() throws Exception {
        for (String kind : List.of("mongo-container-start", "container-stop")) {
            executors.put(kind, new StepExecutor() {
                @Override
                public void run(Step step, StepContext ctx) {
                    calls.add("run " + step.id());
                }
            });
        }
        RecoveryRequest req = new RecoveryRequest(Path.of("/backup"), List.of("a"), Strategy.AUTO,
                TargetOptions.NONE, RecoveryRequest.Conflict.ASK, 2, true, false);
        PlanContext a = new PlanContext(req, "a", 1);
        a.step("mongo-container-start", "start").param("name", "c").param("holds", "c").add();
        a.step("ok", "work").add();
        a.step(new io.dbrescue.container.ContainerSteps.ContainerStop("c"), "stop").add();
        a.step("ok", "after").add();
        Plan plan = new Plan("test-" + System.nanoTime(), "now", req, List.of(), List.of(), a.steps());
        Journal j = Journal.create(plan);
        j.mark(plan.steps().get(0), Journal.StepState.DONE);
        j.mark(plan.steps().get(1), Journal.StepState.RUNNING);
        new Runner(executors).resume(Journal.load(plan.runId()), e -> { });
        assertThat(calls).containsExactly("run 1.1", "undo 1.2", "run 1.2", "run 1.3", "run 1.4");

        calls.clear();
        Plan later = new Plan("test-" + System.nanoTime(), "now", req, List.of(), List.of(), a.steps());
        Journal k = Journal.create(later);
        for (int i = 0; i < 3; i++) {
            k.mark(later.steps().get(i), Journal.StepState.DONE);
        }
        k.mark(later.steps().get(3), Journal.StepState.RUNNING);
        new Runner(executors).resume(Journal.load(later.runId()), e -> { });
        assertThat(calls).containsExactly("undo 1.4", "run 1.4");
    }
}
