package io.dbrescue.run;

import io.dbrescue.Engines;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.Strategy;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Defence in depth: a plan that writes inside the backup does not get past the runner either — a plan
 * made by hand, and a journal edited after it was written, then resumed. The real step executors run;
 * the backup's checksums and mtimes are unchanged and nothing of the finding ran.
 */
class RunnerBackupGuardTest {
    @TempDir
    Path base;
    Path backup;
    Map<String, String> before;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("dbrescue.state.dir", base.resolve("state").toString());
        backup = Files.createDirectories(base.resolve("backup/app"));
        Files.writeString(backup.resolve("app.db"), "the backup's own file\n");
        backup = base.resolve("backup");
        before = Trees.snapshot(backup);
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("dbrescue.state.dir");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    /** Keep the existing file as the safety copy, then copy the backup's file over it: the SQLite plan's shape. */
    private Plan plan(Path target) {
        RecoveryRequest req = new RecoveryRequest(backup, List.of("app/app.db"), Strategy.DIRECT, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 1, true, false);
        PlanContext ctx = new PlanContext(req, "app/app.db", 1);
        Path source = backup.resolve("app/app.db");
        ctx.step("move-aside", "Keep the existing file").param("path", target)
                .param("safety", target.resolveSibling(target.getFileName() + ".before-dbrescue")).add();
        ctx.step("copy-tree", "Copy the file").param("source", source).param("target", target).bytes(22).add();
        return new Plan(ctx.runId(), "now", req, List.of(), ctx.checks(), ctx.steps());
    }

    @Test
    void aPlanThatWritesInsideTheBackupIsRefusedBeforeAnyStep() throws Exception {
        RunResult r = Engines.runner().run(plan(backup.resolve("app/app.db")), e -> { });
        RunResult.GroupResult g = r.groups().get(0);
        assertThat(g.outcome()).isEqualTo(Journal.Outcome.FAILED);
        assertThat(g.message()).contains("inside the backup " + backup).contains(backup.resolve("app/app.db").toString());
        assertThat(g.errorKind()).isEqualTo("backup-read-only");
        Journal j = Journal.load(r.runId());
        assertThat(j.data().steps.values()).containsOnly(Journal.StepState.PENDING);
    }

    @Test
    void aJournalEditedToWriteInsideTheBackupIsRefusedOnResume() throws Exception {
        Path outside = base.resolve("restored.db");
        Journal journal = Journal.create(plan(outside));
        Plan p = journal.plan();
        // edited by hand: the copy now goes into the backup
        List<Step> edited = p.steps().stream().map(s -> {
            Map<String, String> params = new HashMap<>(s.params());
            params.replaceAll((k, v) -> v.equals(outside.toString()) ? backup.resolve("app/new.db").toString()
                    : v.startsWith(outside.toString()) ? backup.resolve("app/new.db.before-dbrescue").toString() : v);
            return new Step(s.id(), s.group(), s.kind(), s.title(), s.argv(), s.reads(), s.writes(), s.bytes(),
                    s.needsRoot(), s.undo(), Map.copyOf(params));
        }).toList();
        journal.data().plan = new Plan(p.runId(), p.createdAt(), p.request(), p.decisions(), p.checks(), edited);
        journal.save();

        RunResult r = Engines.runner().resume(Journal.load(p.runId()), e -> { });
        assertThat(r.groups().get(0).outcome()).isEqualTo(Journal.Outcome.FAILED);
        assertThat(r.groups().get(0).message()).contains("inside the backup").contains("app/new.db");
        assertThat(backup.resolve("app/new.db")).doesNotExist();
        assertThat(outside).doesNotExist();
    }
}
