package io.dbrescue.gui;

import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.Trees;
import java.util.List;
import java.util.Map;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wizard as a person uses it, in a real (headless) window: type the folder, press Next through
 * the steps, answer the questions, read what each step shows. The engine is a fake with the real
 * scanner, except in {@link #theRealEngineStopsAtPreflightAndSaysWhy}.
 */
@ExtendWith(ApplicationExtension.class)
class WizardWindowTest {
    @TempDir
    static Path state;
    @TempDir
    Path backup;

    FakeRecoveryService fake = new FakeRecoveryService();
    AtomicReference<Stage> stage = new AtomicReference<>();
    AtomicReference<WizardView> view = new AtomicReference<>();

    /** start() points the state folder here for every test of the class; the next class must not write here. */
    @AfterAll
    static void forgetTheStateFolder() {
        System.clearProperty("dbrescue.state.dir");
    }

    @Start
    void start(Stage s) {
        System.setProperty("dbrescue.state.dir", state.toString());
        stage.set(s);
    }

    @BeforeEach
    void backup() throws Exception {
        WizardViewModelTest.sqlite(backup.resolve("notes.db"));
        WizardViewModelTest.sqlite(backup.resolve("home/dev/app/shop.sqlite"));
    }

    @AfterEach
    void release() {
        fake.cancel();
    }

    private void open(FxRobot robot, RecoveryService service) throws Exception {
        robot.interact(() -> {
            Stage s = stage.get();
            view.set(DbRescueApp.create(s, service, new FxJobs(), null));
            s.setScene(new Scene(view.get(), 1100, 720));
            s.show();
        });
    }

    private static String text(FxRobot robot, String id) {
        Node n = robot.lookup(id).query();
        return n instanceof Label l ? l.getText() : ((TextArea) n).getText();
    }

    private static void waitFor(FxRobot robot, String id, String part) throws TimeoutException {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, id).contains(part));
    }

    private static void next(FxRobot robot) {
        robot.clickOn("#next");
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static Button button(FxRobot robot, String text) {
        return robot.lookup((Node n) -> n instanceof Button b && b.getText().equals(text) && b.isVisible()).queryButton();
    }

    private static String title(FxRobot robot) {
        return robot.lookup(".step-title").queryAs(Label.class).getText();
    }

    private void toPreview(FxRobot robot) throws Exception {
        open(robot, fake);
        robot.clickOn("#folder").write(backup.toString());
        next(robot);
        waitFor(robot, "#status", "2 databases found");
        TableView<?> table = robot.lookup("#findings").queryTableView();
        assertThat(table.getItems()).hasSize(2);
        next(robot);
        assertThat(title(robot)).isEqualTo("3. Target");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#facts").queryAs(VBox.class)
                .getChildren().stream().anyMatch(n -> ((Label) n).getText().startsWith("Podman 4.3.1")));
        next(robot);
        assertThat(title(robot)).isEqualTo("4. Strategy");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#decisions").queryAs(VBox.class).getChildren().isEmpty());
        next(robot);
        assertThat(title(robot)).isEqualTo("5. Pre-flight");
        assertThat(text(robot, "#checkCounts")).isEqualTo("2 passed, 2 warnings, 0 failed");
        next(robot);
        assertThat(title(robot)).isEqualTo("6. Preview");
        assertThat(text(robot, "#totals")).startsWith("4 steps, 8.2 kB to move");
    }

    @Test
    void aMissingFolderIsExplainedAndNextStaysOff(FxRobot robot) throws Exception {
        open(robot, fake);
        robot.clickOn("#folder").write(backup.resolve("unplugged-disk").toString());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(text(robot, "#folderProblem")).endsWith("does not exist. Check the path (is the backup disk mounted?).");
        assertThat(robot.lookup("#next").queryButton().isDisabled()).isTrue();
        assertThat(text(robot, "#blocked")).contains("does not exist");
    }

    @Test
    void aDryRunWalksEveryStepToTheSummary(FxRobot robot) throws Exception {
        toPreview(robot);
        robot.clickOn("#dryRun");
        assertThat(robot.lookup("#next").queryButton().getText()).isEqualTo("_Finish dry run");
        next(robot);
        assertThat(title(robot)).isEqualTo("8. Summary");
        assertThat(text(robot, "#headline")).startsWith("Dry run: nothing was changed. The plan has 4 steps");
        assertThat(robot.lookup("#back").queryButton().isDisabled()).isFalse();
        assertThat(fake.secretsSeen).isEmpty(); // nothing ran
    }

    @Test
    void aRunAsksForConfirmationThenShowsTheSummary(FxRobot robot) throws Exception {
        toPreview(robot);
        next(robot);
        robot.clickOn(button(robot, "Go back"));
        assertThat(title(robot)).isEqualTo("6. Preview");
        next(robot);
        robot.clickOn(button(robot, "Run"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> title(robot).equals("8. Summary"));
        assertThat(text(robot, "#headline")).isEqualTo("All 2 databases were restored.");
        ListView<RunResult.GroupResult> outcomes = robot.lookup("#outcomes").queryListView();
        assertThat(outcomes.getItems()).extracting(RunResult.GroupResult::outcome)
                .containsOnly(Journal.Outcome.RESTORED);
        assertThat(text(robot, "#journal")).contains("20260101-000000-abcd.json");
        assertThat(robot.lookup("#back").queryButton().isDisabled()).isTrue();
    }

    @Test
    void theRunKeepsItsProgressBarsInTheSmallestWindow(FxRobot robot) throws Exception {
        fake.holdRun = new CountDownLatch(1);
        toPreview(robot);
        robot.interact(() -> {
            stage.get().setWidth(800);
            stage.get().setHeight(600);
        });
        next(robot);
        robot.clickOn(button(robot, "Run"));
        assertThat(fake.runHeld.await(10, TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> title(robot).equals("7. Run"));
        robot.interact(() -> view.get().wizard().run.log().addAll(java.util.Collections.nCopies(40, "a log line")));
        WaitForAsyncUtils.waitForFxEvents();
        // the log gives way when the window is short; the bars were squeezed to 0 px at 800 × 600
        for (String bar : List.of("#overall", "#stepProgress")) {
            assertThat(robot.lookup(bar).query().getLayoutBounds().getHeight()).as(bar).isGreaterThan(5);
        }
        fake.cancel();
    }

    @Test
    void cancelDuringTheRunAsksAndStops(FxRobot robot) throws Exception {
        fake.holdRun = new CountDownLatch(1);
        toPreview(robot);
        next(robot);
        robot.clickOn(button(robot, "Run"));
        assertThat(fake.runHeld.await(10, TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> title(robot).equals("7. Run"));
        assertThat(robot.lookup("#back").queryButton().isDisabled()).isTrue();
        robot.clickOn("#cancel");
        robot.clickOn(button(robot, "Keep running"));
        assertThat(fake.cancelled).isFalse();
        // the run was held at its next step boundary while the question was open, then let go
        assertThat(fake.holds).isEqualTo(1);
        assertThat(fake.proceeds).isEqualTo(1);
        assertThat(title(robot)).isEqualTo("7. Run");
        robot.clickOn("#cancel");
        robot.clickOn(button(robot, "Undo and stop"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> title(robot).equals("8. Summary"));
        assertThat(fake.cancelled).isTrue();
        assertThat(fake.cancelMode).isEqualTo(io.dbrescue.run.Runner.CancelMode.ROLL_BACK);
        assertThat(text(robot, "#headline")).startsWith("Cancelled after 0 of 2 databases were restored.")
                .contains("put back exactly as it was before the run");
        assertThat(button(robot, "_Resume").isVisible()).isTrue();
        // the run's log, as the Run step showed it
        assertThat(view.get().wizard().run.log()).contains("Cancelling: putting the database in progress back as it was…",
                "Step 1.1 undone.");
    }

    @Test
    void aRootStepWithoutPkexecShowsItsCommandToCopyUntilItRan(FxRobot robot) throws Exception {
        fake.holdRun = new CountDownLatch(1);
        fake.rootCommand = "sudo /opt/dbrescue/bin/dbrescue privileged-run --journal /home/u/1.json --step 1.1 --plan-sha256 ab";
        toPreview(robot);
        next(robot);
        robot.clickOn(button(robot, "Run"));
        assertThat(fake.runHeld.await(10, TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#rootCommand").query().isVisible());
        TextField command = robot.lookup("#rootCommand").queryAs(TextField.class);
        assertThat(command.getText()).isEqualTo(fake.rootCommand);
        assertThat(command.isEditable()).isFalse();
        robot.clickOn("#copyRootCommand");
        WaitForAsyncUtils.waitForFxEvents();
        AtomicReference<String> copied = new AtomicReference<>();
        robot.interact(() -> copied.set(javafx.scene.input.Clipboard.getSystemClipboard().getString()));
        assertThat(copied.get()).isEqualTo(fake.rootCommand);
        fake.holdRun.countDown(); // the user ran it: the run goes on and the command goes away
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> title(robot).equals("8. Summary"));
        assertThat(view.get().wizard().run.rootCommand().get()).isEmpty();
    }

    @Test
    void theRealEngineStopsAtPreflightThenRestoresForReal(FxRobot robot, @TempDir Path restored) throws Exception {
        // the real scanner, discovery, planner and runner: SQLite files need a folder to go to
        Map<String, String> before = Trees.snapshot(backup);
        open(robot, EngineServices.real(state));
        robot.clickOn("#folder").write(backup.toString());
        next(robot);
        waitFor(robot, "#status", "2 databases found");
        next(robot);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> text(robot, "#blocked").isEmpty());
        next(robot);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !robot.lookup("#decisions").queryAs(VBox.class).getChildren().isEmpty());
        next(robot);
        assertThat(title(robot)).isEqualTo("5. Pre-flight");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#checkCounts").endsWith("2 failed"));
        assertThat(text(robot, "#blocked")).startsWith("2 checks failed").contains("Say where the SQLite file goes");
        assertThat(robot.lookup("#next").queryButton().isDisabled()).isTrue();
        next(robot);
        assertThat(title(robot)).isEqualTo("5. Pre-flight");

        // the fix: back to the target, say where the files go
        robot.clickOn("#back").clickOn("#back");
        assertThat(title(robot)).isEqualTo("3. Target");
        robot.clickOn("#files-folder").write(restored.toString());
        next(robot);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#blocked").isEmpty());
        next(robot);
        assertThat(title(robot)).isEqualTo("5. Pre-flight");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#checkCounts").endsWith(" 0 failed"));
        next(robot);
        assertThat(title(robot)).isEqualTo("6. Preview");
        next(robot);
        robot.clickOn(button(robot, "Run"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> title(robot).equals("8. Summary"));
        assertThat(text(robot, "#headline")).isEqualTo("All 2 databases were restored.");
        ListView<RunResult.GroupResult> outcomes = robot.lookup("#outcomes").queryListView();
        assertThat(outcomes.getItems()).extracting(RunResult.GroupResult::outcome).containsOnly(Journal.Outcome.RESTORED);

        for (String name : List.of("notes.db", "shop.sqlite")) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + restored.resolve(name));
                 java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT body FROM notes")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("hello");
            }
        }
        assertThat(Trees.snapshot(backup)).isEqualTo(before); // the backup is only read
    }

    @Test
    void theKeyboardAloneWalksAndComesBack(FxRobot robot) throws Exception {
        open(robot, fake);
        robot.interact(() -> robot.lookup("#folder").query().requestFocus());
        robot.write(backup.toString());
        robot.type(KeyCode.ENTER); // Next is the default button
        waitFor(robot, "#status", "2 databases found");
        robot.press(KeyCode.ALT).type(KeyCode.N).release(KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(title(robot)).isEqualTo("3. Target");
        robot.press(KeyCode.ALT).type(KeyCode.B).release(KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(title(robot)).isEqualTo("2. Scan");
        assertThat(text(robot, "#status")).startsWith("2 databases found"); // going back does not scan again
    }

    @Test
    void anInterruptedRunIsOfferedOnStartAndResumed(FxRobot robot) throws Exception {
        ScanResult scan = fake.scan(backup, io.dbrescue.scan.ScanListener.NONE);
        RecoveryRequest request = new RecoveryRequest(backup, List.of("notes.db"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 1, true, false);
        Plan plan = fake.plan(request, scan, fake.discover(), Map.of(), Map.of());
        fake.interrupted = List.of(new RecoveryService.Interrupted(plan.runId(), plan, "2026-01-01T00:00:00Z", 1));
        open(robot, fake);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#resume").tryQuery().isPresent());
        robot.clickOn("#resume");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> title(robot).equals("8. Summary"));
        assertThat(text(robot, "#headline")).isEqualTo("The database was restored.");
        assertThat(robot.lookup("#back").queryButton().isDisabled()).isTrue();
    }

    @Test
    void stopScanEndsALongScanAndSaysSo(FxRobot robot) throws Exception {
        fake.holdScan = new CountDownLatch(1);
        open(robot, fake);
        robot.clickOn("#folder").write(backup.toString());
        next(robot);
        waitFor(robot, "#status", "Scanning:"); // the live count
        assertThat(text(robot, "#blocked")).isEqualTo("Wait for the scan to finish, or cancel it.");
        robot.clickOn("#stopScan");
        waitFor(robot, "#status", "Scan cancelled.");
        assertThat(robot.lookup("#next").queryButton().isDisabled()).isTrue();
        fake.holdScan = null;
        robot.clickOn("#rescan");
        waitFor(robot, "#status", "2 databases found");
        assertThat(robot.lookup("#next").queryButton().isDisabled()).isFalse();
    }
}
