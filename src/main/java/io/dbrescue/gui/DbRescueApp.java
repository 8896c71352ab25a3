package io.dbrescue.gui;

import io.dbrescue.app.RescueService;
import io.dbrescue.settings.Settings;
import javafx.application.Platform;
import javafx.stage.Stage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The desktop window: the wizard over the application service it is given. JavaFX is started with
 * {@link Platform#startup} rather than {@code Application.launch}, which makes the application object itself and
 * so could only be handed the service through a static field.
 */
public final class DbRescueApp {
    private static final Logger LOG = LoggerFactory.getLogger(DbRescueApp.class);
    private final RescueService rescue;
    private final Path initialFolder;

    private DbRescueApp(RescueService rescue, Path initialFolder) {
        this.rescue = rescue;
        this.initialFolder = initialFolder;
    }

    /**
     * Opens the window (on {@code folder} when given) and returns when it is closed.
     *
     * @throws UnsupportedOperationException when JavaFX cannot open the display
     */
    public static void launch(Path folder, RescueService rescue) {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        Platform.startup(() -> {
            try {
                Stage stage = new Stage();
                stage.setOnHidden(e -> closed.countDown());
                new DbRescueApp(rescue, folder).start(stage);
            } catch (RuntimeException e) {
                failed.set(e);
                closed.countDown();
            }
        });
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Platform.exit();
        if (failed.get() != null) {
            throw failed.get();
        }
    }

    private void start(Stage stage) {
        Settings settings = rescue.settings();
        // `gui DIR`, or the configured backup_path when auto_detect_databases says to scan it straight away
        Path folder = initialFolder != null ? initialFolder
                : settings.autoDetectDatabases() ? settings.backupPath().orElse(null) : null;
        RecentFolders recentFolders = RecentFolders.atDefaultLocation();
        List<String> known = new java.util.ArrayList<>();
        settings.backupPath().ifPresent(p -> known.add(p.toString()));
        recentFolders.load().stream().filter(f -> !known.contains(f)).forEach(known::add);
        WizardView view = create(stage, new EngineRecoveryService(rescue), new FxJobs(), folder, known);
        WizardModel model = view.wizard().model;
        model.scan.addListener((o, a, scan) -> {
            if (scan != null) {
                recentFolders.remember(model.folder.get().trim());
            }
        });
        stage.setTitle("dbrescue — bring back the databases from a backup");
        stage.getIcons().setAll(Icons.app());
        WindowSize.fit(stage, view);
        stage.setOnCloseRequest(e -> {
            if (!view.wizard().navigation.cancel() || view.wizard().model.running.get()) {
                e.consume(); // a run in progress is cancelled first, never cut off
            }
        });
        stage.show();
        LOG.debug("window open with the settings of {}", settings.file());
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
}
