package io.dbrescue.gui;

import io.dbrescue.plan.Decision;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Step 4: one box per finding with the chosen strategy and the others (disabled ones say why). */
final class StrategyView extends VBox {
    private final StrategyViewModel vm;
    private final VBox boxes = new VBox(10);

    StrategyView(StrategyViewModel vm, WizardModel model) {
        this.vm = vm;
        setSpacing(8);
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(18, 18);
        Label planning = new Label("Planning…");
        HBox busy = new HBox(8, spinner, planning);
        busy.visibleProperty().bind(model.planning);
        busy.managedProperty().bind(model.planning);
        Label error = Ui.text("", "problem");
        error.textProperty().bind(model.planError);
        boxes.setId("decisions");
        ScrollPane scroll = new ScrollPane(boxes);
        scroll.setFitToWidth(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        vm.decisions().addListener((ListChangeListener<Decision>) c -> rebuild());
        rebuild();
        getChildren().addAll(Ui.text("dbrescue picked a way for each database and says why. Pick another "
                + "where it is offered; the plan is made again.", "hint"), busy, error, scroll);
    }

    private void rebuild() {
        boxes.getChildren().clear();
        for (Decision d : vm.decisions()) {
            Label title = new Label(d.path() + "  —  " + d.engine().displayName()
                    + (d.version() == null ? "" : " " + d.version()) + " " + d.kind(), Icons.engine(d.engine()));
            title.getStyleClass().add("decision-title");
            VBox box = new VBox(title);
            box.getStyleClass().add("decision");
            if (d.refused()) {
                box.getChildren().add(Ui.text("Cannot be restored: " + d.reason(), "problem"));
            }
            ToggleGroup group = new ToggleGroup();
            for (StrategyViewModel.Option o : StrategyViewModel.options(d)) {
                RadioButton r = new RadioButton(o.strategy().id());
                r.setId("strategy-" + d.path() + "-" + o.strategy().id());
                r.setToggleGroup(group);
                r.setSelected(o.chosen());
                r.setDisable(!o.possible());
                r.setMinWidth(120);
                r.setOnAction(e -> vm.choose(d.path(), o.strategy()));
                Label why = Ui.text(o.why(), o.possible() ? "hint" : "why-not");
                HBox.setHgrow(why, Priority.ALWAYS);
                HBox line = new HBox(8, r, why);
                line.setAlignment(Pos.TOP_LEFT);
                box.getChildren().add(line);
            }
            boxes.getChildren().add(box);
        }
    }
}
