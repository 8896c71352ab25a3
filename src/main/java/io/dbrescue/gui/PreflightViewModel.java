package io.dbrescue.gui;

import io.dbrescue.plan.Check;
import io.dbrescue.plan.Plan;
import io.dbrescue.text.Wording;
import io.dbrescue.plan.Replacement;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/** Step 5: the pre-flight checks; Next stays blocked while any of them fails. */
public final class PreflightViewModel implements StepViewModel {
    private final WizardModel model;
    private final StrategyViewModel planner;
    private final ObservableList<Check> checks = FXCollections.observableArrayList();
    private final ObservableList<Replacement> replaced = FXCollections.observableArrayList();
    private final StringBinding counts;
    private final StringBinding blocked;

    public PreflightViewModel(WizardModel model, StrategyViewModel planner) {
        this.model = model;
        this.planner = planner;
        model.plan.addListener((o, a, p) -> {
            checks.setAll(p == null ? List.of() : p.checks());
            replaced.setAll(p == null ? List.of() : p.replacements());
        });
        counts = Bindings.createStringBinding(() -> count(Check.Level.PASS) + " passed, "
                + Wording.count(count(Check.Level.WARN), "warning") + ", " + count(Check.Level.FAIL) + " failed", checks);
        blocked = Bindings.createStringBinding(this::whyBlocked, model.plan, model.planning);
    }

    public ObservableList<Check> checks() {
        return checks;
    }

    /** What the run replaces on this machine, each with where its safety copy goes. */
    public ObservableList<Replacement> replaced() {
        return replaced;
    }

    /** One line per replaced thing, in words. */
    public static String describe(Replacement r) {
        String thing = Character.toUpperCase(r.what().charAt(0)) + r.what().substring(1) + " " + r.where();
        return thing + "\n    " + (r.safetyCopy() == null ? "No safety copy is kept (safety copies are off in the settings)."
                : "Safety copy: " + r.safetyCopy());
    }

    public ObservableStringValue counts() {
        return counts;
    }

    @Override
    public ObservableStringValue blocked() {
        return blocked;
    }

    @Override
    public void entered() {
        planner.entered();
    }

    /** Runs the checks again (after the user fixed something): plans again. */
    public void recheck() {
        planner.replan();
    }

    private long count(Check.Level level) {
        return checks.stream().filter(c -> c.level() == level).count();
    }

    private String whyBlocked() {
        Plan p = model.plan.get();
        if (model.planning.get() || p == null) {
            return "Running the checks…";
        }
        long failed = p.checks().stream().filter(c -> c.level() == Check.Level.FAIL).count();
        if (failed == 0) {
            return "";
        }
        Check first = p.checks().stream().filter(c -> c.level() == Check.Level.FAIL).findFirst().orElseThrow();
        return Wording.count(failed, "check") + " failed, so nothing can run yet. First: "
                + Wording.forWindow(first.message())
                + (first.fix() == null ? "" : " Fix: " + Wording.forWindow(first.fix())) + " Then press Check again.";
    }
}
