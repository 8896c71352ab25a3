package io.dbrescue.gui;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableStringValue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The navigation of the wizard: where the user is, whether Next and Back are allowed and why not,
 * and the turns that are not simply "the following step" (dry run → summary, confirm → run,
 * Resume). No way back once the run has started.
 */
public final class WizardViewModel {
    private final WizardModel model;
    private final Map<WizardStep, StepViewModel> steps;
    private final Dialogs dialogs;
    private final Runnable close;
    private final ObjectProperty<WizardStep> current = new SimpleObjectProperty<>(WizardStep.SOURCE);
    private final StringBinding nextBlocked;
    private final BooleanBinding canGoBack;
    private final StringBinding nextText;
    private final StringBinding cancelText;

    public WizardViewModel(WizardModel model, Map<WizardStep, StepViewModel> steps, Dialogs dialogs, Runnable close) {
        this.model = model;
        this.steps = new EnumMap<>(steps);
        this.dialogs = dialogs;
        this.close = close;
        List<javafx.beans.Observable> deps = new ArrayList<>();
        deps.add(current);
        steps.values().forEach(s -> deps.add(s.blocked()));
        nextBlocked = Bindings.createStringBinding(() -> step(current.get()).blocked().get(),
                deps.toArray(javafx.beans.Observable[]::new));
        canGoBack = Bindings.createBooleanBinding(() -> current.get() != WizardStep.SOURCE && !model.runStarted.get(),
                current, model.runStarted);
        nextText = Bindings.createStringBinding(() -> switch (current.get()) {
            case PREVIEW -> model.dryRunOnly.get() ? "_Finish dry run" : "_Run…";
            case SUMMARY -> "_Next";
            default -> "_Next";
        }, current, model.dryRunOnly);
        cancelText = Bindings.createStringBinding(() -> current.get() == WizardStep.SUMMARY && !model.running.get()
                ? "_Close" : "_Cancel", current, model.running);
    }

    public WizardModel model() {
        return model;
    }

    public ObjectProperty<WizardStep> current() {
        return current;
    }

    public StepViewModel step(WizardStep s) {
        return steps.get(s);
    }

    /** Why Next is not possible now, in words; "" when it is. */
    public ObservableStringValue nextBlocked() {
        return nextBlocked;
    }

    public BooleanBinding canGoBack() {
        return canGoBack;
    }

    public ObservableStringValue nextText() {
        return nextText;
    }

    public ObservableStringValue cancelText() {
        return cancelText;
    }

    public boolean canGoNext() {
        return nextBlocked.get().isEmpty() && current.get() != WizardStep.SUMMARY;
    }

    public void next() {
        if (!canGoNext()) {
            return;
        }
        WizardStep now = current.get();
        if (now == WizardStep.PREVIEW) {
            if (model.dryRunOnly.get()) {
                go(WizardStep.SUMMARY);
                return;
            }
            int n = model.plan.get().steps().size();
            if (!dialogs.confirm("Run the restore?", "dbrescue will now run the " + io.dbrescue.text.Wording.count(n, "step") + " shown in the "
                    + "preview. This changes the target (what is there is kept as a safety copy first). The backup "
                    + "itself is only read.", "Run")) {
                return;
            }
            model.resumeRunId.set(null);
            go(WizardStep.RUN);
            ((RunViewModel) step(WizardStep.RUN)).start();
            return;
        }
        go(WizardStep.values()[now.ordinal() + 1]);
    }

    public void back() {
        if (!canGoBack.get()) {
            return;
        }
        WizardStep now = current.get();
        if (now == WizardStep.SCAN) {
            ((ScanViewModel) step(WizardStep.SCAN)).cancel();
        }
        go(now == WizardStep.SUMMARY ? WizardStep.PREVIEW : WizardStep.values()[now.ordinal() - 1]);
    }

    /** Jumps to a step the user clicked in the step list: only back, and only before the run. */
    public void jumpTo(WizardStep s) {
        if (canGoBack.get() && s.ordinal() < current.get().ordinal()) {
            go(s);
        }
    }

    /**
     * Cancel (the button, Escape, the window's close box): stops the scan, or (after asking) the run; otherwise
     * closes the window, after asking when that throws away a scan and the choices made since. Returns whether
     * the user confirmed what was asked (false: nothing happened).
     */
    public boolean cancel() {
        if (current.get() == WizardStep.SCAN && ((ScanViewModel) step(WizardStep.SCAN)).scanning().get()) {
            ((ScanViewModel) step(WizardStep.SCAN)).cancel();
            return true;
        }
        if (model.running.get()) {
            RunViewModel run = (RunViewModel) step(WizardStep.RUN);
            run.hold(); // the run must not finish underneath the question and swallow the answer
            int answer = dialogs.choose("Cancel the run?", "Undo and stop: the database being restored now is put back "
                    + "exactly as it was before the run (its safety copy goes back). Stop here: only the step in progress "
                    + "is undone, and Resume continues from there later. Databases already finished stay restored either way.",
                    "Undo and stop", "Stop here, resume later", "Keep running");
            switch (answer) {
                case 0 -> run.cancel(io.dbrescue.run.Runner.CancelMode.ROLL_BACK);
                case 1 -> run.cancel(io.dbrescue.run.Runner.CancelMode.KEEP);
                default -> run.proceed();
            }
            return answer == 0 || answer == 1;
        }
        if (wouldLoseWork() && dialogs.choose("Close dbrescue?", "The scan of " + model.folder.get().trim()
                + " and what you chose since are not kept. Nothing has been changed on this machine or in the "
                + "backup.", "Close", "Keep working") != 0) {
            return false;
        }
        close.run();
        return true;
    }

    /**
     * Between a scan that found databases and the run's end the window holds what the user did; on Source and
     * Summary, or after a scan that found nothing, there is nothing to lose.
     */
    private boolean wouldLoseWork() {
        WizardStep now = current.get();
        io.dbrescue.scan.ScanResult scan = model.scan.get();
        return now != WizardStep.SOURCE && now != WizardStep.SUMMARY && scan != null && !scan.findings().isEmpty();
    }

    /** Continues an interrupted run (from the journal offered on start, or the summary's Resume). */
    public void resume(RecoveryService.Interrupted run) {
        model.plan.set(run.plan());
        model.folder.set(run.plan().request().backupRoot().toString());
        resume(run.runId());
    }

    public void resume(String runId) {
        model.resumeRunId.set(runId);
        go(WizardStep.RUN);
        ((RunViewModel) step(WizardStep.RUN)).start();
    }

    /** A run that ended goes on to its summary by itself. */
    public void runFinished() {
        if (current.get() == WizardStep.RUN && model.result.get() != null) {
            go(WizardStep.SUMMARY);
        }
    }

    private void go(WizardStep s) {
        current.set(s);
        step(s).entered();
    }
}
