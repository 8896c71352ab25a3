package io.dbrescue.gui;

import io.dbrescue.run.ProgressEvent;
import io.dbrescue.run.ProgressListener;
import io.dbrescue.run.RunResult;
import io.dbrescue.text.Sizes;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Step 7: runs the plan (or resumes a journal) in the background and shows how far along it is. */
public final class RunViewModel implements StepViewModel {
    static final int MAX_LOG_LINES = 5000;
    private final WizardModel model;
    private final RecoveryService service;
    private final Jobs jobs;
    private final DoubleProperty overall = new SimpleDoubleProperty();
    private final DoubleProperty step = new SimpleDoubleProperty();
    private final StringProperty stepText = new SimpleStringProperty("");
    private final StringProperty bytesText = new SimpleStringProperty("");
    private final StringProperty speedText = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty cancelling = new SimpleBooleanProperty();
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final StringProperty rootCommand = new SimpleStringProperty("");
    private final StringBinding blocked;

    public RunViewModel(WizardModel model, RecoveryService service, Jobs jobs) {
        this.model = model;
        this.service = service;
        this.jobs = jobs;
        blocked = Bindings.createStringBinding(() -> model.running.get()
                ? "The run is in progress. Cancel stops it safely (the step in progress is undone)." : "",
                model.running);
    }

    public DoubleProperty overall() {
        return overall;
    }

    /** The current step's fraction; -1 (indeterminate) for steps without a byte count. */
    public DoubleProperty step() {
        return step;
    }

    public StringProperty stepText() {
        return stepText;
    }

    public StringProperty bytesText() {
        return bytesText;
    }

    /** "48 MB/s, about 2 min left". */
    public StringProperty speedText() {
        return speedText;
    }

    public StringProperty error() {
        return error;
    }

    public BooleanProperty cancelling() {
        return cancelling;
    }

    public ObservableList<String> log() {
        return log;
    }

    /**
     * The command a root step waits for the user to run in a terminal (no pkexec or no polkit agent), to copy;
     * "" when none waits. Cleared by the next line of the log (the step went on, or was cancelled).
     */
    public StringProperty rootCommand() {
        return rootCommand;
    }

    @Override
    public ObservableStringValue blocked() {
        return blocked;
    }

    /** Starts the run (or the resume of {@code model.resumeRunId}): from here there is no way back. */
    public void start() {
        if (model.running.get()) {
            return;
        }
        model.runStarted.set(true);
        model.running.set(true);
        model.result.set(null);
        cancelling.set(false);
        error.set("");
        log.clear();
        rootCommand.set("");
        overall.set(0);
        step.set(0);
        Map<String, String> secrets = model.secrets();
        String resume = model.resumeRunId.get();
        jobs.start("run", u -> {
            ProgressListener listener = e -> {
                u.post("progress", () -> show(e));
                if (e.message() != null) {
                    boolean command = "needs-root".equals(e.phase());
                    // a command to run by hand stays as it is; a message is said in the window's words
                    String line = command ? e.message() : io.dbrescue.text.Wording.forWindow(e.message());
                    u.append(() -> {
                        rootCommand.set(command ? line : "");
                        addLog(line);
                    });
                }
            };
            return resume != null ? service.resume(resume, secrets, listener)
                    : service.run(model.plan.get(), secrets, listener);
        }, this::finished, e -> {
            model.running.set(false);
            // refused before it started (another run holds the target, or its folder is in the backup): nothing changed
            boolean refused = e instanceof io.dbrescue.run.TargetLock.Busy
                    || e instanceof io.dbrescue.plan.BackupGuard.InsideBackup;
            error.set(refused ? io.dbrescue.text.Wording.forWindow(e.getMessage()) : "The run stopped unexpectedly: " + io.dbrescue.text.Wording.forWindow(e.getMessage())
                    + " The journal keeps what was done; Resume continues from there.");
            addLog(error.get());
        });
    }

    /** Asks the engine to stop; it undoes the database in progress (or, with KEEP, its step), then ends. */
    public void cancel(io.dbrescue.run.Runner.CancelMode mode) {
        if (model.running.get() && !cancelling.get()) {
            cancelling.set(true);
            addLog(mode == io.dbrescue.run.Runner.CancelMode.ROLL_BACK
                    ? "Cancelling: putting the database in progress back as it was…"
                    : "Stopping here: the step in progress is being undone…");
            service.cancel(mode);
        }
    }

    public void cancel() {
        cancel(io.dbrescue.run.Runner.CancelMode.ROLL_BACK);
    }

    /** The user is being asked whether to cancel: the run waits at its next step boundary meanwhile. */
    void hold() {
        service.hold();
    }

    void proceed() {
        service.proceed();
    }

    private void finished(RunResult r) {
        model.running.set(false);
        model.resumeRunId.set(null);
        model.result.set(r);
    }

    void show(ProgressEvent e) {
        overall.set(e.fraction());
        step.set(e.stepTotal() > 0 ? Math.min(1.0, (double) e.stepDone() / e.stepTotal()) : -1);
        stepText.set(e.stepId() == null ? "" : "Step " + e.stepId() + ": " + e.stepTitle());
        bytesText.set(Sizes.human(e.done()) + " of " + Sizes.human(e.total())
                + String.format(java.util.Locale.ROOT, " (%.0f%%)", e.fraction() * 100));
        speedText.set(speed(e.bytesPerSecond(), e.etaSeconds()));
    }

    static String speed(double bytesPerSecond, long etaSeconds) {
        if (bytesPerSecond <= 0) {
            return "";
        }
        String rate = Sizes.human(Math.round(bytesPerSecond)) + "/s";
        if (etaSeconds < 0) {
            return rate;
        }
        String eta = etaSeconds < 60 ? etaSeconds + " s" : etaSeconds < 3600 ? (etaSeconds + 30) / 60 + " min"
                : String.format("%d h %02d min", etaSeconds / 3600, etaSeconds % 3600 / 60);
        return rate + ", about " + eta + " left";
    }

    private void addLog(String line) {
        log.add(line);
        if (log.size() > MAX_LOG_LINES) {
            log.remove(0, log.size() - MAX_LOG_LINES);
        }
    }
}
