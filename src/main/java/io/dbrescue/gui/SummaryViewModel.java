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

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Step 8: per finding restored / skipped / failed with reason and fix, the report, exports, Resume. */
public final class SummaryViewModel implements StepViewModel {
    private final WizardModel model;
    private final ObservableList<RunResult.GroupResult> rows = FXCollections.observableArrayList();
    private final StringBinding headline;
    private final StringBinding journal;
    private final BooleanBinding resumable;

    public SummaryViewModel(WizardModel model) {
        this.model = model;
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

    /** Exports the result, or the plan after a dry run. */
    public void exportJson(Path file) throws IOException {
        Reports.writeJson(model.result.get() != null ? model.result.get() : model.plan.get(), file, Reports.backupOf(model));
    }

    public void exportMarkdown(Path file) throws IOException {
        Reports.writeText(model.result.get() != null ? Reports.markdown(model.result.get())
                : Reports.markdown(model.plan.get()), file, Reports.backupOf(model));
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

    /** The text of one finding's row: what happened, why, the fix and the report. */
    public static String describe(RunResult.GroupResult g) {
        StringBuilder b = new StringBuilder(g.message() == null ? "" : io.dbrescue.text.Wording.forWindow(g.message()));
        if (g.fix() != null) {
            b.append("\nFix: ").append(io.dbrescue.text.Wording.forWindow(g.fix()));
        }
        Map<String, Object> report = g.report();
        if (!report.isEmpty()) {
            b.append('\n').append(report.entrySet().stream().map(e -> label(e.getKey()) + ": " + io.dbrescue.text.Wording.detailValue(e.getValue()))
                    .collect(Collectors.joining("\n")));
        }
        return b.toString();
    }

    /** {notes=2, tags=5} reads as "notes 2, tags 5". */
    private static String value(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }
        return String.valueOf(v);
    }

    private static String label(String key) {
        return switch (key) {
            case "safetyCopy" -> "Safety copy";
            case "rowCounts" -> "Rows per table";
            case "indexesChecked" -> "Indexes checked (amcheck)";
            case "indexesRebuilt" -> "Indexes rebuilt";
            case "collationsRefreshed" -> "Collation versions refreshed";
            default -> io.dbrescue.text.Wording.detailLabel(key);
        };
    }
}
