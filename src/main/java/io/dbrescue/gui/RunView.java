package io.dbrescue.gui;

import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Step 7: overall progress by bytes, the current step, throughput and ETA, the live log. */
final class RunView extends VBox {
    RunView(RunViewModel vm) {
        setSpacing(8);
        ProgressBar overall = new ProgressBar();
        overall.setId("overall");
        overall.progressProperty().bind(vm.overall());
        overall.setMaxWidth(Double.MAX_VALUE);
        Label bytes = new Label();
        bytes.setId("bytes");
        bytes.textProperty().bind(vm.bytesText());
        Label speed = new Label();
        speed.setId("speed");
        speed.textProperty().bind(vm.speedText());
        Label spacer = new Label();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label stepText = Ui.text("");
        stepText.setId("stepText");
        stepText.textProperty().bind(vm.stepText());
        ProgressBar step = new ProgressBar();
        step.setId("stepProgress");
        step.progressProperty().bind(vm.step());
        step.setMaxWidth(Double.MAX_VALUE);
        Label error = Ui.text("", "problem");
        error.textProperty().bind(vm.error());
        ListView<String> log = new ListView<>(vm.log());
        log.setId("log");
        log.getStyleClass().add("command");
        vm.log().addListener((ListChangeListener<String>) c -> log.scrollTo(vm.log().size() - 1));
        VBox.setVgrow(log, Priority.ALWAYS);
        // at 800×600 the VBox is shorter than its children want and shrank the bars to 0 px: the log gives way
        for (javafx.scene.layout.Region r : new javafx.scene.layout.Region[] {overall, step}) {
            r.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        log.setMinHeight(80);
        getChildren().addAll(Ui.text("Overall", "decision-title"), overall, new HBox(8, bytes, spacer, speed),
                stepText, step, error, rootCommand(vm), Ui.text("Log", "decision-title"), log);
    }

    /** A root step waiting for its terminal command: the command, selectable, and a Copy button; hidden otherwise. */
    private static HBox rootCommand(RunViewModel vm) {
        javafx.scene.control.TextField command = new javafx.scene.control.TextField();
        command.setId("rootCommand");
        command.setEditable(false);
        command.textProperty().bind(vm.rootCommand());
        command.getStyleClass().add("command");
        HBox.setHgrow(command, Priority.ALWAYS);
        javafx.scene.control.Button copy = new javafx.scene.control.Button("Copy command");
        copy.setId("copyRootCommand");
        copy.setOnAction(e -> {
            javafx.scene.input.ClipboardContent c = new javafx.scene.input.ClipboardContent();
            c.putString(vm.rootCommand().get());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
        });
        HBox box = new HBox(8, Ui.text("Run in a terminal:"), command, copy);
        box.visibleProperty().bind(vm.rootCommand().isNotEmpty());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }
}
