package io.dbrescue.gui;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

import java.io.File;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Step 1: type, choose, drop or pick a recent backup folder; offers to resume an interrupted run. */
final class SourceView extends VBox {
    SourceView(SourceViewModel vm, Consumer<RecoveryService.Interrupted> resume) {
        setSpacing(10);
        TextField folder = new TextField();
        folder.setId("folder");
        folder.getStyleClass().add("first-field"); // the first thing to do is to give the folder
        folder.setPromptText("/media/backup/old-system");
        folder.textProperty().bindBidirectional(vm.model().folder);
        HBox.setHgrow(folder, Priority.ALWAYS);
        HBox row = folderRow(vm, folder);

        ValidationSupport validation = new ValidationSupport();
        validation.registerValidator(folder, false, (c, v) ->
                ValidationResult.fromErrorIf(c, vm.problem().get(), !vm.problem().get().isEmpty()));
        Label problem = Ui.text("", "problem");
        problem.setId("folderProblem");
        problem.textProperty().bind(vm.problem());

        Label hint = Ui.text("The disk or folder where you copied the old system: the old /home, /var/lib and /etc, "
                + "a tarball unpacked somewhere, or a folder of dumps. You can also drop a folder here. dbrescue "
                + "only reads it; nothing in it is changed.", "hint");

        VBox recentBox = recentBox(vm);
        VBox banners = banners(vm, resume);
        getChildren().addAll(banners, row, problem, hint, recentBox);
        acceptDroppedFolders(vm);
    }

    /** The folder's label, field and Choose button. */
    private HBox folderRow(SourceViewModel vm, TextField folder) {
        Label label = new Label("Backup _folder:");
        label.setMnemonicParsing(true);
        label.setLabelFor(folder);
        Button choose = Ui.button("Ch_oose…", "choose", () -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("The folder that holds your backup");
            File dir = chooser.showDialog(getScene().getWindow());
            if (dir != null) {
                vm.use(dir.toPath());
            }
        });
        HBox row = new HBox(8, label, folder, choose);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return row;
    }

    /** The recent folders (click or Space uses one), shown only when there are any. */
    private static VBox recentBox(SourceViewModel vm) {
        ListView<String> recent = new ListView<>(vm.recent());
        recent.setId("recent");
        recent.setPrefHeight(140);
        recent.setOnMouseClicked(e -> use(vm, recent.getSelectionModel().getSelectedItem()));
        recent.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.SPACE) {
                use(vm, recent.getSelectionModel().getSelectedItem());
            }
        });
        Label recentLabel = new Label("R_ecent folders:");
        recentLabel.setMnemonicParsing(true);
        recentLabel.setLabelFor(recent);
        VBox recentBox = new VBox(4, recentLabel, recent);
        recentBox.visibleProperty().bind(Bindings.isNotEmpty(vm.recent()));
        recentBox.managedProperty().bind(recentBox.visibleProperty());
        return recentBox;
    }

    /** One banner with a Resume button per interrupted run, kept up to date. */
    private static VBox banners(SourceViewModel vm, Consumer<RecoveryService.Interrupted> resume) {
        VBox banners = new VBox(6);
        vm.interrupted().addListener((ListChangeListener<RecoveryService.Interrupted>) c -> {
            banners.getChildren().clear();
            for (RecoveryService.Interrupted run : vm.interrupted()) {
                Label text = Ui.text("An earlier run did not finish. " + run.describe());
                HBox.setHgrow(text, Priority.ALWAYS);
                Button b = Ui.button("Res_ume it", "resume", () -> resume.accept(run));
                HBox banner = new HBox(text, b);
                banner.getStyleClass().add("banner");
                banner.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
                banners.getChildren().add(banner);
            }
        });
        return banners;
    }

    /** A folder dropped anywhere on the page is used as the backup folder. */
    private void acceptDroppedFolders(SourceViewModel vm) {
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.LINK, TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
            if (ok) {
                vm.use(e.getDragboard().getFiles().get(0).toPath());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    private static void use(SourceViewModel vm, String folder) {
        if (folder != null) {
            vm.use(Path.of(folder));
        }
    }
}
