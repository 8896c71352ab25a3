package io.dbrescue.gui;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Path;

/**
 * The desktop window. For now one screen: choose a backup folder, scan it in the background, see
 * what was found. (The full step-by-step wizard builds on this.)
 */
public final class DbRescueApp extends Application {
    private static volatile Path initialFolder;

    /** Opens the window and returns when it is closed. */
    public static void launch(Path folder) {
        initialFolder = folder;
        Application.launch(DbRescueApp.class);
    }

    @Override
    public void start(Stage stage) {
        FindingsView view = new FindingsView(new ScanService());
        stage.setTitle("dbrescue — find the databases in a backup");
        stage.setScene(new Scene(view, 1000, 600));
        stage.show();
        if (initialFolder != null) {
            view.scan(initialFolder);
        }
    }
}
