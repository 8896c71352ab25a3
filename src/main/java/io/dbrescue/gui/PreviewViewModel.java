package io.dbrescue.gui;

import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Step;
import io.dbrescue.text.Shell;
import io.dbrescue.text.Sizes;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Step 6: the dry run — every step with its exact command; export; dry run only, or run. */
public final class PreviewViewModel implements StepViewModel {
    private final WizardModel model;
    private final ObservableList<Step> steps = FXCollections.observableArrayList();
    private final StringBinding totals;
    private final StringBinding rootNote;
    private final StringBinding blocked;

    public PreviewViewModel(WizardModel model) {
        this.model = model;
        model.plan.addListener((o, a, p) -> steps.setAll(p == null ? List.of() : p.steps()));
        totals = Bindings.createStringBinding(() -> {
            Plan p = model.plan.get();
            return p == null ? "" : rootCount(p) == 0
                    ? io.dbrescue.text.Wording.count(p.steps().size(), "step") + ", " + Sizes.human(p.totalBytes())
                    + " to move, none needs root. Nothing has changed yet."
                    : io.dbrescue.text.Wording.count(p.steps().size(), "step") + ", " + Sizes.human(p.totalBytes()) + " to move, "
                    + rootCount(p) + (rootCount(p) == 1 ? " needs" : " need") + " root. Nothing has changed yet.";
        }, model.plan);
        rootNote = Bindings.createStringBinding(this::rootNoteText, model.plan, model.target);
        blocked = Bindings.createStringBinding(() -> model.plan.get() == null ? "No plan yet."
                : model.plan.get().preflightFailed() ? "The pre-flight failed: go Back and fix it." : "", model.plan);
    }

    public WizardModel model() {
        return model;
    }

    public ObservableList<Step> steps() {
        return steps;
    }

    public ObservableStringValue totals() {
        return totals;
    }

    /** For root-only steps when dbrescue is not root: the commands to run by hand; "" otherwise. */
    public ObservableStringValue rootNote() {
        return rootNote;
    }

    @Override
    public ObservableStringValue blocked() {
        return blocked;
    }

    /** The exact command, quoted to paste into a terminal; "" for steps dbrescue does itself. */
    public static String command(Step s) {
        return s.argv().isEmpty() ? "" : Shell.quote(s.argv());
    }

    public void exportJson(Path file) throws IOException {
        Reports.writeJson(model.plan.get(), file, Reports.backupOf(model));
    }

    public void exportMarkdown(Path file) throws IOException {
        Reports.writeText(Reports.markdown(model.plan.get()), file, Reports.backupOf(model));
    }

    private String rootNoteText() {
        Plan p = model.plan.get();
        boolean root = model.target.get() != null && model.target.get().root();
        if (p == null || root) {
            return "";
        }
        List<Step> rootSteps = p.steps().stream().filter(Step::needsRoot).toList();
        if (rootSteps.isEmpty()) {
            return "";
        }
        return rootSteps.size() + (rootSteps.size() == 1 ? " step needs" : " steps need") + " root and dbrescue runs "
                + "as you: when the run reaches " + (rootSteps.size() == 1 ? "it" : "them") + ", your desktop's password "
                + "dialog asks (pkexec); only these steps of this plan run as root. Without that dialog the run shows "
                + "the command to run in a terminal and waits for it:\n" + rootSteps.stream()
                .map(s -> "  " + s.id() + "  " + s.title())
                .collect(Collectors.joining("\n"));
    }

    private static long rootCount(Plan p) {
        return p.steps().stream().filter(Step::needsRoot).count();
    }
}
