package io.dbrescue.gui;

import io.dbrescue.cli.Sizes;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ScanResult;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.DirectoryChooser;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.function.Function;

/** Folder field, Scan / Cancel, and a table of what the scan found. */
final class FindingsView extends BorderPane {
    private final ScanService service;
    private final TextField folderField = new TextField();
    private final Label status = new Label("Choose the folder that holds your backup, then press Scan.");
    private final ObservableList<Finding> rows = FXCollections.observableArrayList();

    FindingsView(ScanService service) {
        this.service = service;
        folderField.setId("folder");
        folderField.setPromptText("/media/backup/old-system");
        HBox.setHgrow(folderField, Priority.ALWAYS);
        Button choose = new Button("_Choose…");
        choose.setOnAction(e -> choose());
        Button scan = new Button("_Scan");
        scan.setId("scan");
        scan.setDefaultButton(true);
        scan.setOnAction(e -> scan(Path.of(folderField.getText().trim())));
        scan.disableProperty().bind(service.runningProperty().or(folderField.textProperty().isEmpty()));
        Button cancel = new Button("Cancel");
        cancel.setId("cancel");
        cancel.setOnAction(e -> service.cancel());
        cancel.visibleProperty().bind(service.runningProperty());
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(20, 20);
        spinner.visibleProperty().bind(service.runningProperty());
        HBox top = new HBox(8, new Label("Backup folder:"), folderField, choose, scan, cancel, spinner);
        top.setPadding(new Insets(10));

        TableView<Finding> table = new TableView<>(rows);
        table.setId("findings");
        table.setPlaceholder(new Label("Nothing scanned yet."));
        table.getColumns().add(column("Engine", 110, f -> f.getEngine().displayName()));
        table.getColumns().add(column("Kind", 110, f -> f.getKind().id()));
        table.getColumns().add(column("Version", 80, f -> f.getVersion() == null ? "?" : f.getVersion()));
        table.getColumns().add(column("Size", 80, f -> Sizes.human(f.getSizeBytes())));
        table.getColumns().add(column("State", 120, FindingsView::state));
        table.getColumns().add(column("Path", 280, Finding::getPath));
        table.getColumns().add(column("Databases", 160, f -> String.join(", ", f.getDatabases())));
        table.getColumns().add(column("Warnings", 400, f -> String.join(" ", f.getWarnings())));
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);

        status.setId("status");
        status.setPadding(new Insets(6, 10, 8, 10));
        setTop(top);
        setCenter(table);
        setBottom(status);

        service.setOnRunning(e -> status.textProperty().bind(service.liveProperty()));
        service.setOnSucceeded(e -> show(service.getValue()));
        service.setOnFailed(e -> failed(service.getException()));
        service.setOnCancelled(e -> done("Scan cancelled."));
    }

    void scan(Path folder) {
        folderField.setText(folder.toString());
        rows.clear();
        service.setFolder(folder);
        service.restart();
    }

    private void choose() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("The folder that holds your backup");
        java.io.File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) {
            scan(dir.toPath());
        }
    }

    private void show(ScanResult result) {
        rows.setAll(result.findings());
        done(String.format("%d database(s) found in %,d files and %,d folders (%d ms); %d item(s) skipped.",
                result.findings().size(), result.stats().files(), result.stats().directories(),
                result.stats().elapsedMillis(), result.warnings().size()));
    }

    private void failed(Throwable t) {
        String folder = folderField.getText();
        if (t instanceof NoSuchFileException) {
            done(folder + " does not exist. Check the path (is the backup disk mounted?).");
        } else if (t instanceof NotDirectoryException) {
            done(folder + " is a file, not a folder. Choose the folder that holds the backup.");
        } else if (t instanceof AccessDeniedException) {
            done(folder + " cannot be read (permission denied). Start dbrescue as a user who can read it.");
        } else {
            done("The scan stopped: " + t.getMessage());
        }
    }

    private void done(String message) {
        status.textProperty().unbind();
        status.setText(message);
    }

    private static String state(Finding f) {
        return switch (f.getStatus()) {
            case DAMAGED -> "damaged";
            case INCOMPLETE -> "incomplete";
            case OK -> f.getCleanShutdown() == null ? "ok"
                    : f.getCleanShutdown() ? "clean shutdown" : "copied while running";
        };
    }

    private static TableColumn<Finding, String> column(String title, double width, Function<Finding, String> value) {
        TableColumn<Finding, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue())));
        return c;
    }
}
