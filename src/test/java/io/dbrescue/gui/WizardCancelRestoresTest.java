package io.dbrescue.gui;

import io.dbrescue.Engines;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;
import io.dbrescue.run.Runner;
import io.dbrescue.scan.ScanListener;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the window's Cancel leaves, with the real engine and a real SQLite file of 200 MB restored into a folder
 * that already holds a file of that name: "Undo and stop" puts the existing file back at its name, unchanged;
 * "Stop here, resume later" keeps the safety copy aside and says so, and Resume finishes the restore.
 */
class WizardCancelRestoresTest {
    @TempDir
    Path stateDir;
    @TempDir
    Path backup;
    @TempDir
    Path restoreInto;
    String previousState;

    @BeforeEach
    void setUp() {
        previousState = System.getProperty("dbrescue.state.dir");
        System.setProperty("dbrescue.state.dir", stateDir.toString());
    }

    @AfterEach
    void tearDown() {
        if (previousState != null) {
            System.setProperty("dbrescue.state.dir", previousState);
        } else {
            System.clearProperty("dbrescue.state.dir");
        }
    }

    @ParameterizedTest
    @EnumSource(Runner.CancelMode.class)
    void cancelDuringTheCopyLeavesWhatTheUserChose(Runner.CancelMode mode) throws Exception {
        Path app = Files.createDirectories(backup.resolve("home/alex/app"));
        Cmd.run(List.of("sqlite3", app.resolve("app.db").toString(), "CREATE TABLE blobs(b); WITH RECURSIVE n(i) AS "
                + "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO blobs SELECT randomblob(1000000) FROM n;"));
        Cmd.run(List.of("sqlite3", restoreInto.resolve("app.db").toString(), "CREATE TABLE mine(x); INSERT INTO mine VALUES (42);"));
        String existing = Trees.snapshot(restoreInto).get("app.db");
        Map<String, String> backupBefore = Trees.snapshot(backup);

        EngineRecoveryService service = EngineServices.with(stateDir, Engines.planner(),
                () -> new Target(List.of(), null, false));
        ScanResult scan = service.scan(backup, ScanListener.NONE);
        RecoveryRequest request = new RecoveryRequest(backup, List.of("home/alex/app/app.db"), Strategy.AUTO,
                new TargetOptions(null, null, null, null, restoreInto, null), RecoveryRequest.Conflict.ASK, 1, true,
                false, null, RecoveryRequest.DEFAULT_TIMEOUT_SECONDS, 1 << 20);
        Plan plan = service.plan(request, scan, service.discover(), Map.of(), Map.of());
        assertThat(plan.preflightFailed()).as(plan.checks().toString()).isFalse();

        AtomicBoolean asked = new AtomicBoolean();
        RunResult r = service.run(plan, Map.of(), e -> {
            if (e.stepTitle() != null && e.stepTitle().startsWith("Copy") && !asked.getAndSet(true)) {
                service.hold(); // the "Cancel the run?" question opens
                service.cancel(mode); // and is answered before the copy moves on
            }
        });

        assertThat(asked).as("cancelled during the copy").isTrue();
        assertThat(r.cancelled()).isTrue();
        assertThat(r.groups().get(0).outcome()).isEqualTo(Journal.Outcome.CANCELLED);
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(backupBefore);
        if (mode == Runner.CancelMode.ROLL_BACK) {
            assertThat(r.rolledBack()).isTrue();
            assertThat(Trees.snapshot(restoreInto)).as("the existing file is back at its name, unchanged, and nothing else")
                    .containsOnlyKeys("", "app.db").containsEntry("app.db", existing);
            assertThat(SummaryViewModel.headline(r)).contains("put back exactly as it was before the run");
        } else {
            assertThat(r.rolledBack()).isFalse();
            assertThat(restoreInto.resolve("app.db")).as("stopped after the safety copy was made").doesNotExist();
            assertThat(SummaryViewModel.headline(r)).startsWith("Stopped after 0 of 1");
            RunResult resumed = service.resume(r.runId(), Map.of(), e -> { });
            assertThat(resumed.exitCode()).isZero();
            assertThat(Cmd.run(List.of("sqlite3", restoreInto.resolve("app.db").toString(), "SELECT count(*) FROM blobs")).strip())
                    .isEqualTo("200");
        }
    }
}
