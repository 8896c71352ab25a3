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
        getChildren().addAll(Ui.text("Overall", "decision-title"), overall, new HBox(8, bytes, spacer, speed),
                stepText, step, error, Ui.text("Log", "decision-title"), log);
    }
}
