package io.dbrescue.gui;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** Step 1: the backup folder (typed, chosen, dropped or a recent one) and whether it can be read. */
public final class SourceViewModel implements StepViewModel {
    private final WizardModel model;
    private final ObservableList<String> recent = FXCollections.observableArrayList();
    private final ObservableList<RecoveryService.Interrupted> interrupted = FXCollections.observableArrayList();
    private final StringBinding problem;

    public SourceViewModel(WizardModel model, List<String> recentFolders, Jobs jobs, RecoveryService service) {
        this.model = model;
        recent.setAll(recentFolders);
        if (model.folder.get().isEmpty() && !recentFolders.isEmpty()) {
            model.folder.set(recentFolders.get(0));
        }
        problem = Bindings.createStringBinding(() -> problemWith(model.folder.get()), model.folder);
        jobs.start("journals", u -> service.interruptedRuns(), interrupted::setAll, e -> { });
    }

    public WizardModel model() {
        return model;
    }

    public ObservableList<String> recent() {
        return recent;
    }

    /** Runs that stopped before they finished: offered for resume. */
    public ObservableList<RecoveryService.Interrupted> interrupted() {
        return interrupted;
    }

    /** What is wrong with the folder, or "" when it can be scanned. */
    public ObservableStringValue problem() {
        return problem;
    }

    @Override
    public ObservableStringValue blocked() {
        return problem;
    }

    /** A folder given by the chooser, a drop or the recent list. */
    public void use(Path folder) {
        model.folder.set(folder.toAbsolutePath().normalize().toString());
    }

    static String problemWith(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return "Choose the folder that holds your backup.";
        }
        Path p;
        try {
            p = Path.of(t);
        } catch (InvalidPathException e) {
            return t + " is not a valid folder name.";
        }
        if (!Files.exists(p)) {
            return t + " does not exist. Check the path (is the backup disk mounted?).";
        }
        if (!Files.isDirectory(p)) {
            return t + " is a file, not a folder. Choose the folder that holds the backup.";
        }
        if (!Files.isReadable(p) || !Files.isExecutable(p)) {
            return t + " cannot be read (permission denied). Start dbrescue as a user who can read it.";
        }
        return "";
    }
}
