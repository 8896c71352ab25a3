package io.dbrescue.gui;

import io.dbrescue.settings.Settings;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/** The desktop window: the wizard over the real engine. */
public final class DbRescueApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(DbRescueApp.class);
    private static volatile Path initialFolder;

    /** Opens the window and returns when it is closed. */
    public static void launch(Path folder) {
        initialFolder = folder;
        Application.launch(DbRescueApp.class);
    }

    @Override
    public void start(Stage stage) {
        Settings settings = AppSettings.current();
        // `gui DIR`, or the configured backup_path when auto_detect_databases says to scan it straight away
        Path folder = initialFolder != null ? initialFolder
                : settings.autoDetectDatabases() ? settings.backupPath().orElse(null) : null;
        RecentFolders recentFolders = RecentFolders.atDefaultLocation();
        List<String> known = new java.util.ArrayList<>(configuredFolder());
        recentFolders.load().stream().filter(f -> !known.contains(f)).forEach(known::add);
        WizardView view = create(stage, new EngineRecoveryService(), new FxJobs(), folder, known);
        WizardModel model = view.wizard().model;
        model.scan.addListener((o, a, scan) -> {
            if (scan != null) {
                recentFolders.remember(model.folder.get().trim());
            }
        });
        stage.setTitle("dbrescue — bring back the databases from a backup");
        stage.getIcons().setAll(Icons.app());
        stage.setScene(new Scene(view, 1100, 720));
        stage.setMinWidth(800);
        stage.setMinHeight(560);
        stage.setOnCloseRequest(e -> {
            if (!view.wizard().navigation.cancel() || view.wizard().model.running.get()) {
                e.consume(); // a run in progress is cancelled first, never cut off
            }
        });
        stage.show();
    }

    /** Wires the wizard for a window (also used by the UI tests with a fake service). */
    static WizardView create(Stage stage, RecoveryService service, Jobs jobs, Path folder) {
        return create(stage, service, jobs, folder, List.of());
    }

    /** {@code known}: folders to offer (the configured backup_path); the one given on the command line comes first. */
    static WizardView create(Stage stage, RecoveryService service, Jobs jobs, Path folder, List<String> known) {
        List<String> recent = new java.util.ArrayList<>();
        if (folder != null) {
            recent.add(folder.toAbsolutePath().normalize().toString());
        }
        known.stream().filter(k -> !recent.contains(k)).forEach(recent::add);
        Wizard wizard = new Wizard(service, jobs, new AlertDialogs(), () -> {
            stage.close();
            Platform.exit();
        }, recent);
        WizardView view = new WizardView(wizard);
        if (folder != null && wizard.navigation.canGoNext()) {
            wizard.navigation.next(); // `dbrescue gui DIR` scans straight away
        }
        return view;
    }

    /** The backup_path setting, if set; a settings file that cannot be read is the CLI's to explain. */
    private static List<String> configuredFolder() {
        return AppSettings.current().backupPath().map(p -> List.of(p.toString())).orElse(List.of());
    }
}
