package io.dbrescue.gui;

import io.dbrescue.history.RunRecord;
import io.dbrescue.testing.Trees;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where things go, as a person reads it in the window, over the real engine and a real SQLite file: the
 * Pre-flight lists the file that is already in "Restore into" and where its safety copy goes; the Summary says
 * where the database is now, opens its folder and copies its sqlite3 command; the exported report says the same
 * and the Summary says where it was saved; History lists the run and opens its report.
 */
@ExtendWith(ApplicationExtension.class)
class WizardWhereWindowTest {
    @TempDir
    static Path state;
    @TempDir
    Path backup;
    @TempDir
    Path restored;
    @TempDir
    Path out;

    AtomicReference<Stage> stage = new AtomicReference<>();
    AtomicReference<WizardView> view = new AtomicReference<>();

    @AfterAll
    static void forgetTheStateFolder() {
        System.clearProperty("dbrescue.state.dir");
    }

    @Start
    void start(Stage s) {
        System.setProperty("dbrescue.state.dir", state.toString());
        stage.set(s);
    }

    @Test
    void preflightListsTheReplacedFileSummaryAndReportSayWhereItIsHistoryOpensTheReport(FxRobot robot) throws Exception {
        WizardViewModelTest.sqlite(backup.resolve("home/alex/notes.db"));
        Path existing = restored.resolve("notes.db");
        Files.writeString(existing, "the notes.db that was here before");
        Map<String, String> before = Trees.snapshot(backup);
        robot.interact(() -> {
            Stage s = stage.get();
            view.set(DbRescueApp.create(s, EngineServices.real(state), new FxJobs(), null));
            s.setScene(new Scene(view.get(), 1100, 750));
            s.show();
        });
        robot.clickOn("#folder").write(backup.toString());
        next(robot);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> text(robot, "#status").contains("found"));
        next(robot);
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> text(robot, "#blocked").isEmpty());
        // the Files card's folder (typing into it is WizardWindowTest's; its cards are made again as discovery answers)
        robot.interact(() -> view.get().wizard().model.form(ServerCard.FILES).folder.set(restored.toString()));
        next(robot);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !robot.lookup("#decisions").queryAs(VBox.class)
                .getChildren().isEmpty());
        next(robot);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> text(robot, "#checkCounts").contains(" failed"));
        assertThat(text(robot, "#checkCounts")).as(labels(robot.lookup("#checks").query())).endsWith(" 0 failed");

        // Pre-flight: the file already there, and where its safety copy goes
        assertThat(text(robot, "#replacedTitle")).isEqualTo("1 thing on this machine will be replaced:");
        String replaced = labels(robot.lookup("#replaced").queryAs(VBox.class));
        String safety = view.get().wizard().model.plan.get().replacements().get(0).safetyCopy();
        assertThat(safety).startsWith(restored.resolve("notes.db.before-dbrescue-").toString());
        assertThat(replaced).contains("File " + existing).contains("Safety copy: " + safety);
        Screenshots.both(robot, stage.get(), "preflight-replaced");

        next(robot);
        next(robot);
        robot.clickOn(button(robot, "Run"));
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> text(robot, ".step-title").equals("8. Summary"));
        assertThat(text(robot, "#headline")).isEqualTo("The database was restored.");
        assertThat(Files.readString(Path.of(safety))).isEqualTo("the notes.db that was here before");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + existing);
             ResultSet rs = c.createStatement().executeQuery("SELECT body FROM notes")) {
            assertThat(rs.next()).isTrue();
        }

        // Summary: where it is now, in words, with its buttons
        // the list's cells come with the next layout pass
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !shownText(robot, "where-home/alex/notes.db").isEmpty());
        Screenshots.both(robot, stage.get(), "summary-where");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !shownText(robot, "where-home/alex/notes.db").isEmpty());
        assertThat(shownText(robot, "where-home/alex/notes.db")).isEqualTo("Now at: " + existing);
        // cells are rebuilt after the screenshots' resizes: read them once they are back, on the FX thread
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> outcomes(robot).contains("Restored:"));
        String summary = outcomes(robot);
        assertThat(summary).contains("Restored: home/alex/notes.db").contains("Rows per table: notes 1")
                .contains("Safety copy: " + safety)
                .doesNotContain("rowCounts").doesNotContain("safetyCopy").doesNotContain("RESTORED");
        List<Path> opened = new CopyOnWriteArrayList<>();
        List<String> copied = new CopyOnWriteArrayList<>();
        SummaryViewModel vm = view.get().wizard().summary;
        vm.useDesktop(new SummaryViewModel.Desktop() {
            @Override
            public void openFolder(Path folder, java.util.function.Consumer<String> problem) {
                opened.add(folder);
            }

            @Override
            public void copy(String text) {
                copied.add(text);
            }
        });
        robot.clickOn(button(robot, "Open folder"));
        assertThat(opened).containsExactly(restored);
        robot.clickOn(button(robot, "Copy sqlite3 command"));
        assertThat(copied).containsExactly("sqlite3 " + existing);
        assertThat(text(robot, "#exported")).isEqualTo("Copied to the clipboard: sqlite3 " + existing);
        // the real desktop's ways: xdg-open with the folder as one argument, and the system clipboard
        assertThat(new SummaryViewModel.SystemDesktop().openCommand(restored)).containsExactly("xdg-open",
                restored.toString());
        // an opener that is not there: said in words on the Summary, not only in the log
        vm.useDesktop(new SummaryViewModel.SystemDesktop("/nonexistent/xdg-open"));
        robot.clickOn(button(robot, "Open folder"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#exported").contains("cannot be opened"));
        assertThat(text(robot, "#exported")).isEqualTo("The folder cannot be opened here: /nonexistent/xdg-open is not "
                + "installed (package xdg-utils). The folder is " + restored + ".");
        robot.interact(() -> new SummaryViewModel.SystemDesktop().copy("sqlite3 " + existing));
        AtomicReference<String> clip = new AtomicReference<>();
        robot.interact(() -> clip.set(Clipboard.getSystemClipboard().getString()));
        assertThat(clip.get()).isEqualTo("sqlite3 " + existing);

        // Export says where it saved, and the file says where the database is
        Path md = out.resolve("report.md");
        Path json = out.resolve("report.json");
        robot.interact(() -> {
            try {
                vm.exportJson(json);
                vm.exportMarkdown(md);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(text(robot, "#exported")).isEqualTo("Report saved to " + md);
        assertThat(Files.readString(md)).contains("## Restored: home/alex/notes.db")
                .contains("- Now at: " + existing).contains("- Open it with: `sqlite3 " + existing + "`")
                .contains("- Rows per table: notes 1").doesNotContain("rowCounts");
        assertThat(Files.readString(json)).contains("\"destinations\"").contains("\"where\" : \"" + existing + "\"");

        // History: the window's run, and its report
        robot.clickOn("#openHistory");
        WaitForAsyncUtils.waitForFxEvents();
        TableView<RunRecord> runs = robot.lookup("#historyTable").queryTableView();
        String runId = view.get().wizard().model.result.get().runId();
        assertThat(runs.getItems()).extracting(RunRecord::runId).containsExactly(runId);
        assertThat(runs.getItems().get(0).sourcePath()).isEqualTo("home/alex/notes.db");
        Stage history = (Stage) runs.getScene().getWindow();
        Screenshots.both(robot, history, "history");
        robot.clickOn("#historyOpenReport");
        WaitForAsyncUtils.waitForFxEvents();
        TextArea report = robot.lookup("#historyReport").queryAs(TextArea.class);
        assertThat(report.getText()).startsWith("# dbrescue run " + runId).contains("## Restored: home/alex/notes.db")
                .contains("- Now at: " + existing).contains("Safety copy: " + safety);
        Screenshots.save(robot, (Stage) report.getScene().getWindow(), Path.of(System.getProperty("dbrescue.screenshots",
                out.toString())).resolve("history-report.png"));
        assertThat(Trees.snapshot(backup)).isEqualTo(before); // the backup is only read
    }

    private static void next(FxRobot robot) {
        robot.clickOn("#next");
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The visible button with this text, once there (a list's cells come and go with its layout passes). */
    /** A shown button with this text; list cells are rebuilt on layout passes, so only one still in the scene. */
    private static Button button(FxRobot robot, String text) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        java.util.function.Predicate<Node> shown = n -> n instanceof Button b && b.getText().equals(text)
                && b.getScene() != null && org.testfx.util.NodeQueryUtils.isVisible().test(b);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup(shown).tryQuery().isPresent()).get());
        return WaitForAsyncUtils.asyncFx(() -> robot.lookup(shown).queryButton()).get();
    }

    private static String text(FxRobot robot, String query) {
        Node n = robot.lookup(query).query();
        return n instanceof Label l ? l.getText() : ((TextArea) n).getText();
    }

    /**
     * The text of the shown label with this id, read on the FX thread ("" while there is none): a ListView also
     * lays out a hidden measuring cell, and its cells come and go with layout passes.
     */
    private static String shownText(FxRobot robot, String id) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.lookup((Node n) -> id.equals(n.getId()) && n instanceof Label
                && n.getScene() != null && org.testfx.util.NodeQueryUtils.isVisible().test(n)).tryQuery()
                .map(n -> ((Label) n).getText()).orElse("")).get();
    }

    private static String outcomes(FxRobot robot) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> labels(robot.lookup("#outcomes").query())).get();
    }

    private static String labels(Node parent) {
        return ((javafx.scene.Parent) parent).lookupAll(".label").stream().filter(n -> n instanceof Label)
                .map(n -> ((Label) n).getText()).collect(Collectors.joining("\n"));
    }

}
