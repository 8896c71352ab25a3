package io.dbrescue.gui;

import io.dbrescue.plan.Plan;
import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import io.dbrescue.plan.Destination;
import io.dbrescue.plan.Destinations;
import io.dbrescue.run.Exec;
import io.dbrescue.text.Shell;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Step 8: per finding restored / skipped / failed with reason and fix, the report, exports, Resume. */
public final class SummaryViewModel implements StepViewModel {
    private final WizardModel model;
    private final ObservableList<RunResult.GroupResult> rows = FXCollections.observableArrayList();
    private final StringBinding headline;
    private final StringBinding journal;
    private final BooleanBinding resumable;
    private final ReadOnlyStringWrapper exported = new ReadOnlyStringWrapper("");
    private Desktop desktop;

    /** What the Summary asks of the desktop: a folder opened in the file manager, text on the clipboard. */
    public interface Desktop {
        /** Opens the folder; {@code problem} hears (on any thread) a sentence when that cannot be done. */
        void openFolder(Path folder, java.util.function.Consumer<String> problem);

        void copy(String text);
    }

    public SummaryViewModel(WizardModel model) {
        this(model, new SystemDesktop());
    }

    public SummaryViewModel(WizardModel model, Desktop desktop) {
        this.model = model;
        this.desktop = desktop;
        model.result.addListener((o, a, r) -> exported.set(""));
        model.result.addListener((o, a, r) -> rows.setAll(r == null ? List.of() : r.groups()));
        headline = Bindings.createStringBinding(() -> model.result.get() != null ? headline(model.result.get())
                : model.dryRunOnly.get() && model.plan.get() != null ? dryRunHeadline(model.plan.get()) : "",
                model.result, model.dryRunOnly, model.plan);
        journal = Bindings.createStringBinding(() -> model.result.get() == null ? ""
                : "Journal and logs: " + model.result.get().journal(), model.result);
        resumable = Bindings.createBooleanBinding(() -> model.result.get() != null && resumable(model.result.get()),
                model.result);
    }

    public ObservableList<RunResult.GroupResult> rows() {
        return rows;
    }

    public ObservableStringValue headline() {
        return headline;
    }

    public ObservableStringValue journal() {
        return journal;
    }

    public BooleanBinding resumable() {
        return resumable;
    }

    public boolean dryRun() {
        return model.result.get() == null;
    }

    @Override
    public ObservableStringValue blocked() {
        return new ReadOnlyStringWrapper(""); // Next is never offered here (see WizardViewModel.canGoNext)
    }

    /** Exports the result (with where each finding is now), or the plan after a dry run; says where it went. */
    public void exportJson(Path file) throws IOException {
        RunResult r = model.result.get();
        Reports.writeJson(r != null ? Reports.withDestinations(r, model.plan.get()) : model.plan.get(), file,
                Reports.backupOf(model));
        saved(file);
    }

    public void exportMarkdown(Path file) throws IOException {
        Reports.writeText(model.result.get() != null ? Reports.markdown(model.result.get(), model.plan.get())
                : Reports.markdown(model.plan.get()), file, Reports.backupOf(model));
        saved(file);
    }

    private void saved(Path file) {
        exported.set("Report saved to " + file.toAbsolutePath());
    }

    /** "Report saved to /home/me/dbrescue-report.md" after an export; empty before. */
    public ObservableStringValue exported() {
        return exported.getReadOnlyProperty();
    }

    /** Another desktop (a test's). */
    void useDesktop(Desktop other) {
        this.desktop = other;
    }

    /** Where this finding is now (from the plan that ran), if the plan says. */
    public Optional<Destination> destination(String group) {
        Plan p = model.plan.get();
        return p == null ? Optional.empty() : Destinations.of(p, group);
    }

    /** Opens the folder that holds the restored finding in the file manager. */
    public void openFolder(Destination d) {
        if (d.folder() != null) {
            desktop.openFolder(Path.of(d.folder()), why -> javafx.application.Platform.runLater(() -> exported.set(why)));
        }
    }

    /** Puts the command that opens the restored database on the clipboard; says so. */
    public void copyClient(Destination d) {
        String command = Shell.quote(d.client());
        desktop.copy(command);
        exported.set("Copied to the clipboard: " + command);
    }

    public static String headline(RunResult r) {
        long restored = r.count(Journal.Outcome.RESTORED);
        long failed = r.count(Journal.Outcome.FAILED);
        long skipped = r.count(Journal.Outcome.SKIPPED);
        int all = r.groups().size();
        if (r.cancelled()) {
            return r.rolledBack()
                    ? "Cancelled after " + restored + " of " + io.dbrescue.text.Wording.count(all, "database") + " " + (restored == 1 ? "was" : "were") + " restored. The one in progress "
                    + "was put back exactly as it was before the run. Resume restores what is left."
                    : "Stopped after " + restored + " of " + io.dbrescue.text.Wording.count(all, "database") + " " + (restored == 1 ? "was" : "were") + " restored. The step in progress was "
                    + "undone and the steps before it kept; Resume continues where the run stopped.";
        }
        if (failed == 0 && skipped == 0) {
            return all == 1 ? "The database was restored." : "All " + all + " databases were restored.";
        }
        if (restored == 0) {
            return "Nothing was restored: " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "")
                    + ". Each failure below says why and what to do; the target was rolled back.";
        }
        return "Partly restored: " + restored + " of " + io.dbrescue.text.Wording.count(all, "database") + " restored, " + failed + " failed"
                + (skipped > 0 ? ", " + skipped + " skipped" : "") + ". The failed ones were rolled back; see why below.";
    }

    static String dryRunHeadline(Plan p) {
        return "Dry run: nothing was changed. The plan has " + io.dbrescue.text.Wording.count(p.steps().size(), "step")
                + "; export it below, or go Back and run it.";
    }

    static boolean resumable(RunResult r) {
        return r.cancelled() || r.groups().stream().anyMatch(g -> g.outcome() == Journal.Outcome.CANCELLED
                || g.outcome() == Journal.Outcome.PENDING);
    }

    /** The title of one finding's row: "Restored: home/alex/notes.db". */
    public static String title(RunResult.GroupResult g) {
        return ReportText.outcome(g.outcome()) + ": " + g.group();
    }

    /** The text of one finding's row: what happened, why, the fix and the report, in words. */
    public static String describe(RunResult.GroupResult g) {
        StringBuilder b = new StringBuilder(g.message() == null ? "" : io.dbrescue.text.Wording.forWindow(g.message()));
        if (g.fix() != null) {
            b.append(b.length() == 0 ? "" : "\n").append("Fix: ").append(io.dbrescue.text.Wording.forWindow(g.fix()));
        }
        Map<String, Object> report = g.report();
        if (!report.isEmpty()) {
            // the engines' verify lines are written for both front ends ("2 table(s)"): in the window's words here
            b.append(b.length() == 0 ? "" : "\n").append(io.dbrescue.text.Wording.forWindow(ReportText.lines(report)));
        }
        return b.toString();
    }

    /** The desktop of the person at the window: xdg-open (through Exec, no shell) and the JavaFX clipboard. */
    static final class SystemDesktop implements Desktop {
        private static final Logger LOG = LoggerFactory.getLogger(SystemDesktop.class);

        private final String opener;

        SystemDesktop() {
            this("xdg-open");
        }

        /** With another opener program (a test's missing one). */
        SystemDesktop(String opener) {
            this.opener = opener;
        }

        /** The command that opens a folder in the desktop's file manager. */
        List<String> openCommand(Path folder) {
            return List.of(opener, folder.toAbsolutePath().toString());
        }

        @Override
        public void openFolder(Path folder, java.util.function.Consumer<String> problem) {
            // waits on its own thread: the file manager may stay a child of xdg-open, and Exec ties it to that thread
            Thread t = new Thread(() -> {
                try {
                    Exec.Result r = Exec.of(openCommand(folder)).probe().run(null);
                    if (!r.ok()) {
                        LOG.warn("{} {} ended with {}: {}", opener, folder, r.exitCode(), r.stderrTail());
                        problem.accept("The file manager could not be opened (" + opener + " ended with "
                                + r.exitCode() + "). The folder is " + folder + ".");
                    }
                } catch (IOException e) {
                    LOG.warn("Could not run {} for {}: {}", opener, folder, e.getMessage());
                    problem.accept("The folder cannot be opened here: " + opener + " is not installed (package "
                            + "xdg-utils). The folder is " + folder + ".");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "open-folder");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void copy(String text) {
            ClipboardContent c = new ClipboardContent();
            c.putString(text);
            Clipboard.getSystemClipboard().setContent(c);
        }
    }
}
