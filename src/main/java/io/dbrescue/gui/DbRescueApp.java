package io.dbrescue.gui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;

/** The desktop window: the wizard over the real engine. */
public final class DbRescueApp extends Application {
    private static volatile Path initialFolder;

    /** Opens the window and returns when it is closed. */
    public static void launch(Path folder) {
        initialFolder = folder;
        Application.launch(DbRescueApp.class);
    }

    @Override
    public void start(Stage stage) {
        WizardView view = create(stage, new EngineRecoveryService(), new FxJobs(), initialFolder);
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
        List<String> recent = folder == null ? List.of() : List.of(folder.toAbsolutePath().normalize().toString());
        Wizard wizard = new Wizard(service, jobs, DbRescueApp::confirm, () -> {
            stage.close();
            Platform.exit();
        }, recent);
        WizardView view = new WizardView(wizard);
        if (folder != null && wizard.navigation.canGoNext()) {
            wizard.navigation.next(); // `dbrescue gui DIR` scans straight away
        }
        return view;
    }

    static boolean confirm(String title, String message, String yes) {
        ButtonType ok = new ButtonType(yes, ButtonBar.ButtonData.OK_DONE);
        ButtonType no = new ButtonType("Go back", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, message, ok, no);
        a.setTitle(title);
        a.setHeaderText(title);
        return a.showAndWait().orElse(no) == ok;
    }
}
