package io.dbrescue.gui;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.RadioButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wizard with the keyboard alone, in a real (headless) window: Enter is Next on every step and never
 * closes the window, Escape and Cancel ask before anything is lost, each step starts with the keyboard on its
 * first field, Alt+letter is unique wherever it can be pressed, Escape closes a question or a page and only
 * that. The engine is {@link FakeRecoveryService} with the real scanner; the questions are the window's real
 * {@link AlertDialogs}; "closing" is counted instead of ending the test's JavaFX.
 */
@ExtendWith(ApplicationExtension.class)
class WizardKeyboardWindowTest {
    @TempDir
    static Path state;
    @TempDir
    Path backup;

    final FakeRecoveryService fake = new FakeRecoveryService();
    final AtomicInteger closed = new AtomicInteger();
    Stage stage;
    WizardView view;

    @AfterAll
    static void forgetTheStateFolder() {
        System.clearProperty("dbrescue.state.dir");
    }

    @Start
    void start(Stage s) {
        System.setProperty("dbrescue.state.dir", state.toString());
        stage = s;
    }

    @BeforeEach
    void backup() throws Exception {
        WizardViewModelTest.sqlite(backup.resolve("notes.db"));
        WizardViewModelTest.sqlite(backup.resolve("home/dev/app/shop.sqlite"));
    }

    @AfterEach
    void release(FxRobot robot) {
        fake.cancel();
        robot.interact(() -> new ArrayList<>(Window.getWindows()).stream().filter(w -> w != stage)
                .forEach(Window::hide));
    }

    private void open(FxRobot robot) {
        robot.interact(() -> {
            view = new WizardView(new Wizard(fake, new FxJobs(), new AlertDialogs(), closed::incrementAndGet, List.of()));
            stage.setScene(new Scene(view, 1100, 750));
            stage.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private Wizard w() {
        return view.wizard();
    }

    private WizardStep step() {
        return w().navigation.current().get();
    }

    private Node focusOwner() {
        return stage.getScene().getFocusOwner();
    }

    private void press(FxRobot robot, KeyCode key) {
        robot.type(key);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out; step " + step() + ", focus " + focusOwner() + ", windows "
                    + Window.getWindows().stream().map(x -> (x instanceof Stage st ? st.getTitle() : "?")
                    + (x.isFocused() ? "(focused)" : "")).toList() + ", next blocked: "
                    + w().navigation.nextBlocked().get(), e);
        }
    }

    /** The question that is open (a window other than the wizard with a DialogPane), if any. */
    private Optional<DialogPane> question() {
        return Window.getWindows().stream().filter(x -> x != stage && x.isShowing())
                .map(x -> x.getScene().getRoot()).filter(DialogPane.class::isInstance).map(DialogPane.class::cast)
                .findFirst();
    }

    private String questionTitle() {
        return question().map(p -> ((Stage) p.getScene().getWindow()).getTitle()).orElse("");
    }

    /** Source with the folder typed, Enter: the scan's findings, focus in the table. */
    private void typeFolderAndEnter(FxRobot robot, Path folder) throws Exception {
        assertThat(focusOwner()).as("the first field of Source").isSameAs(view.lookup("#folder"));
        robot.write(folder.toString());
        press(robot, KeyCode.ENTER);
        assertThat(step()).isEqualTo(WizardStep.SCAN);
        waitFor(() -> w().model.scan.get() != null);
    }

    @Test
    void enterIsNextOnEveryStepStartsOnTheFirstFieldAndNeverCloses(FxRobot robot) throws Exception {
        open(robot);
        typeFolderAndEnter(robot, backup);
        waitFor(() -> focusOwner() == view.lookup("#findings"));
        press(robot, KeyCode.ENTER);
        assertThat(step()).isEqualTo(WizardStep.TARGET);
        // the first field of the first server's form
        waitFor(() -> focusOwner() instanceof javafx.scene.control.TextField f && inside(f, view.view(WizardStep.TARGET))
                && f.getId() != null && f.getId().startsWith(firstCardId()));
        press(robot, KeyCode.ENTER); // in a text field: the field has no action of its own, Next takes it
        assertThat(step()).isEqualTo(WizardStep.STRATEGY);
        waitFor(() -> !w().strategy.decisions().isEmpty() && !w().model.planning.get());
        waitFor(() -> focusOwner() instanceof RadioButton r && !r.isDisabled());
        press(robot, KeyCode.ENTER);
        assertThat(step()).isEqualTo(WizardStep.PREFLIGHT);
        waitFor(() -> focusOwner() == view.lookup("#checks"));
        press(robot, KeyCode.ENTER);
        assertThat(step()).isEqualTo(WizardStep.PREVIEW);
        waitFor(() -> focusOwner() == view.lookup("#steps"));

        // Run… asks; Enter there keeps the answer that changes nothing
        press(robot, KeyCode.ENTER);
        waitFor(() -> questionTitle().equals("Run the restore?"));
        press(robot, KeyCode.ENTER);
        questionClosed(robot);
        assertThat(step()).isEqualTo(WizardStep.PREVIEW);
        assertThat(w().model.runStarted.get()).isFalse();

        press(robot, KeyCode.ENTER);
        waitFor(() -> questionTitle().equals("Run the restore?"));
        choose(robot, "Run");
        waitFor(() -> step() == WizardStep.SUMMARY);
        waitFor(() -> focusOwner() == view.lookup("#outcomes"));
        press(robot, KeyCode.ENTER); // nothing after the summary: Enter does nothing, in particular not Close
        press(robot, KeyCode.ENTER);
        assertThat(step()).isEqualTo(WizardStep.SUMMARY);
        assertThat(question()).isEmpty();
        assertThat(closed).hasValue(0);
        assertThat(stage.isShowing()).isTrue();
    }

    /**
     * Next (from the code, not the keys) until {@code target}, waiting between steps for what a step does in the
     * background (scan, plan, checks): the FX thread must be free for that, so no loop inside one interact.
     */
    private void walkTo(FxRobot robot, WizardStep target) throws Exception {
        while (step() != target) {
            waitFor(() -> w().navigation.canGoNext());
            robot.interact(() -> w().navigation.next());
        }
    }

    /**
     * Answers the open question with a button, pressed from the code: headless Monocle routes a click on a
     * dialog, and the keys after it, unreliably; the keys themselves are what the other steps test.
     */
    private void choose(FxRobot robot, String text) throws Exception {
        Button b = answer(text);
        robot.interact(b::fire);
        questionClosed(robot);
    }

    /**
     * Waits until no question is open, then gives the window the keyboard back: a desktop's window manager does
     * that when a dialog closes, headless Monocle does not (the next key would go to the closed dialog).
     */
    private void questionClosed(FxRobot robot) throws Exception {
        waitFor(() -> question().isEmpty());
        robot.interact(stage::requestFocus);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static boolean inside(Node n, Node parent) {
        for (Node x = n; x != null; x = x.getParent()) {
            if (x == parent) {
                return true;
            }
        }
        return false;
    }

    /** "files" for the first card on Target ("card-files"), the prefix of its fields' ids. */
    private String firstCardId() {
        Node card = ((Parent) view.lookup("#cards")).getChildrenUnmodifiable().get(0);
        return card.getId().substring("card-".length());
    }

    private Button answer(String text) {
        DialogPane pane = question().orElseThrow();
        return pane.getButtonTypes().stream().filter(b -> b.getText().equals(text))
                .map(b -> (Button) pane.lookupButton(b)).findFirst().orElseThrow();
    }

    @Test
    void escapeAsksBeforeAScanIsThrownAwayAndEscapeOrEnterOnTheQuestionKeepsTheWindow(FxRobot robot) throws Exception {
        open(robot);
        typeFolderAndEnter(robot, backup);
        press(robot, KeyCode.ENTER);
        assertThat(step()).isEqualTo(WizardStep.TARGET);

        press(robot, KeyCode.ESCAPE);
        waitFor(() -> questionTitle().equals("Close dbrescue?"));
        assertThat(answer("Keep working").isDefaultButton()).isTrue();
        assertThat(answer("Close").isDefaultButton()).isFalse();
        press(robot, KeyCode.ESCAPE); // closes the question, not the window
        questionClosed(robot);
        assertThat(stage.isShowing()).isTrue();
        assertThat(step()).isEqualTo(WizardStep.TARGET);

        press(robot, KeyCode.ESCAPE);
        waitFor(() -> questionTitle().equals("Close dbrescue?"));
        press(robot, KeyCode.ENTER); // Keep working
        questionClosed(robot);
        assertThat(closed).hasValue(0);
        assertThat(step()).isEqualTo(WizardStep.TARGET);

        robot.clickOn("#cancel"); // the button asks the same
        waitFor(() -> questionTitle().equals("Close dbrescue?"));
        choose(robot, "Close");
        waitFor(() -> closed.get() == 1);
    }

    @Test
    void escapeOnSourceClosesAtOnceNothingIsLost(FxRobot robot) {
        open(robot);
        press(robot, KeyCode.ESCAPE);
        assertThat(question()).isEmpty();
        assertThat(closed).hasValue(1);
    }

    @Test
    void escapeDuringTheRunAsksTheRunQuestionAndEscapeThereKeepsItRunning(FxRobot robot) throws Exception {
        fake.holdRun = new CountDownLatch(1);
        open(robot);
        typeFolderAndEnter(robot, backup);
        walkTo(robot, WizardStep.PREVIEW);
        press(robot, KeyCode.ENTER);
        waitFor(() -> questionTitle().equals("Run the restore?"));
        choose(robot, "Run");
        assertThat(fake.runHeld.await(10, TimeUnit.SECONDS)).isTrue();
        waitFor(() -> step() == WizardStep.RUN);

        press(robot, KeyCode.ESCAPE);
        waitFor(() -> questionTitle().equals("Cancel the run?"));
        assertThat(question().orElseThrow().getButtonTypes()).extracting(b -> b.getText())
                .containsExactly("Undo and stop", "Stop here, resume later", "Keep running");
        assertThat(answer("Keep running").isDefaultButton()).isTrue();
        press(robot, KeyCode.ESCAPE);
        questionClosed(robot);
        assertThat(fake.cancelled).isFalse();
        assertThat(fake.proceeds).isEqualTo(1);
        assertThat(step()).isEqualTo(WizardStep.RUN);
        assertThat(closed).hasValue(0);

        press(robot, KeyCode.ENTER); // Next is off while the run goes: Enter does nothing
        assertThat(question()).isEmpty();
        assertThat(step()).isEqualTo(WizardStep.RUN);
    }

    @Test
    void mnemonicsAreUniqueWhereverTheyCanBePressed(FxRobot robot) throws Exception {
        open(robot);
        Map<WizardStep, List<String>> clashes = new LinkedHashMap<>();
        robot.clickOn("#folder").write(backup.toString());
        for (WizardStep s : List.of(WizardStep.SOURCE, WizardStep.SCAN, WizardStep.TARGET, WizardStep.STRATEGY,
                WizardStep.PREFLIGHT)) {
            waitFor(() -> w().navigation.canGoNext());
            clashes.put(s, clashes());
            robot.interact(() -> w().navigation.next());
        }
        // Preview with both words of its Next button (Run… and Finish dry run)
        assertThat(step()).isEqualTo(WizardStep.PREVIEW);
        List<String> preview = new ArrayList<>(clashes());
        robot.interact(() -> w().model.dryRunOnly.set(true));
        preview.addAll(clashes());
        clashes.put(WizardStep.PREVIEW, preview);
        // Source with an interrupted run offered (its Resume button)
        robot.interact(() -> {
            w().source.interrupted().add(new RecoveryService.Interrupted("r1", w().model.plan.get(), "yesterday", 1));
            w().navigation.jumpTo(WizardStep.SOURCE);
        });
        clashes.put(WizardStep.SOURCE, clashes());
        walkTo(robot, WizardStep.PREVIEW);
        waitFor(() -> w().navigation.canGoNext());
        robot.interact(() -> w().navigation.next()); // the dry run's summary (Close, Resume, exports)
        waitFor(() -> step() == WizardStep.SUMMARY);
        assertThat(step()).isEqualTo(WizardStep.SUMMARY);
        clashes.put(WizardStep.SUMMARY, clashes());
        robot.interact(() -> w().navigation.current().set(WizardStep.RUN));
        clashes.put(WizardStep.RUN, clashes());
        clashes.values().removeIf(List::isEmpty);
        assertThat(clashes).as("Alt+letter used twice on a step (with the step list and the buttons)").isEmpty();

        // and Alt+letter does what it says: Alt+H is History (not Choose…), Escape closes that page only
        robot.interact(() -> w().navigation.jumpTo(WizardStep.SOURCE));
        robot.press(KeyCode.ALT).type(KeyCode.H).release(KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        waitFor(() -> pageTitles().contains("dbrescue — History"));
        robot.type(KeyCode.ESCAPE);
        waitFor(() -> pageTitles().isEmpty());
        assertThat(stage.isShowing()).isTrue();
        assertThat(closed).hasValue(0);
    }

    private List<String> pageTitles() {
        return Window.getWindows().stream().filter(x -> x != stage && x.isShowing() && x instanceof Stage)
                .map(x -> ((Stage) x).getTitle()).toList();
    }

    /**
     * The mnemonic letters that occur twice among the controls of the current step (shown or not: a button
     * that appears later counts) and the window's own (step list, button bar); "" entries when none.
     */
    private List<String> clashes() {
        WaitForAsyncUtils.waitForFxEvents();
        Map<Character, List<String>> byLetter = new LinkedHashMap<>();
        Node current = view.view(step());
        collect(view, current, byLetter);
        List<String> out = new ArrayList<>();
        byLetter.forEach((letter, texts) -> {
            if (texts.size() > 1) {
                out.add(letter + ": " + texts);
            }
        });
        return out;
    }

    private static void collect(Node node, Node currentStep, Map<Character, List<String>> byLetter) {
        if (node.getId() != null && node.getId().startsWith("step-") && node != currentStep) {
            return; // another step's page: its keys cannot be pressed now
        }
        if (node instanceof Labeled l && l.isMnemonicParsing() && !(l instanceof Label label && label.getLabelFor() == null)) {
            String t = l.getText();
            int i = t == null ? -1 : t.indexOf('_');
            if (i >= 0 && i + 1 < t.length()) {
                byLetter.computeIfAbsent(Character.toLowerCase(t.charAt(i + 1)), k -> new ArrayList<>()).add(t);
            }
        }
        if (node instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                collect(child, currentStep, byLetter);
            }
        }
    }

    @Test
    void anEmptyFolderSaysWhatWasLookedAtAndAsksAboutTheDisk(FxRobot robot) throws Exception {
        Path empty = Files.createDirectory(backup.resolve("mnt"));
        open(robot);
        typeFolderAndEnter(robot, empty);
        Label why = robot.lookup("#emptyScan").queryAs(Label.class);
        assertThat(why.getText()).startsWith(empty + " is empty: there is nothing in it to look at.")
                .contains("Is the backup disk mounted?").contains("dbrescue looks for PostgreSQL and MySQL / MariaDB");
        assertThat(why.isVisible()).isTrue();
        assertThat(robot.lookup("#status").queryAs(Label.class).getText())
                .isEqualTo(empty + " is empty: there is nothing in it to look at.");
        assertThat(robot.lookup("#details").tryQuery()).as("no details pane without rows").isEmpty();
        assertThat(robot.lookup("#blocked").queryAs(Label.class).getText()).contains("mount the backup disk");
        assertThat(robot.lookup("#next").queryButton().isDisabled()).isTrue();
    }
}
