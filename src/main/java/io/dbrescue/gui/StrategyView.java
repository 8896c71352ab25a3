package io.dbrescue.gui;

import io.dbrescue.plan.Containers;
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
    private final WizardModel model;

    StrategyView(StrategyViewModel vm, WizardModel model) {
        this.vm = vm;
        this.model = model;
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

    /**
     * auto / dump / pg-upgrade for older PostgreSQL data, auto / dump / in-place for older MariaDB / MySQL data;
     * the reason above says what auto took and why.
     */
    private HBox upgradeMethod(Decision d) {
        Containers.UpgradeMethod inPlace = io.dbrescue.Engines.of(d.engine()).inPlaceUpgrade()
                .orElse(Containers.UpgradeMethod.IN_PLACE);
        javafx.scene.control.ChoiceBox<Containers.UpgradeMethod> choice =
                new javafx.scene.control.ChoiceBox<>(javafx.collections.FXCollections.observableArrayList(
                        Containers.UpgradeMethod.AUTO, Containers.UpgradeMethod.DUMP, inPlace));
        choice.setId("upgrade-method-" + d.path());
        choice.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Containers.UpgradeMethod m) {
                return m == null ? "" : switch (m) {
                    case AUTO -> "auto (dbrescue picks, as above)";
                    case DUMP -> "dump: old server in a container, into the running server";
                    case PG_UPGRADE -> "pg_upgrade: a new cluster replaces the target's";
                    case IN_PLACE -> "in place: the newer server upgrades a copy, which replaces the target's data";
                };
            }

            @Override
            public Containers.UpgradeMethod fromString(String s) {
                return null;
            }
        });
        choice.setValue(model.upgradeMethod.get());
        choice.setOnAction(e -> vm.chooseUpgradeMethod(choice.getValue()));
        HBox line = new HBox(8, new Label("How:"), choice);
        line.setAlignment(Pos.CENTER_LEFT);
        return line;
    }

    private void rebuild() {
        boxes.getChildren().clear();
        for (Decision d : vm.decisions()) {
            Label title = new Label(d.path() + "  —  " + d.engine().displayName()
                    + (d.version() == null ? "" : " " + d.version()) + " " + io.dbrescue.text.Wording.kind(d.kind()), Icons.engine(d.engine()));
            title.getStyleClass().add("decision-title");
            VBox box = new VBox(title);
            box.getStyleClass().add("decision");
            if (d.refused()) {
                box.getChildren().add(Ui.text("Cannot be restored: " + io.dbrescue.text.Wording.forWindow(d.reason()), "problem"));
            }
            ToggleGroup group = new ToggleGroup();
            for (StrategyViewModel.Option o : StrategyViewModel.options(d)) {
                RadioButton r = new RadioButton(HistoryViewModel.strategy(o.strategy().id())); // words, as History and Settings say it
                r.setId("strategy-" + d.path() + "-" + o.strategy().id());
                r.setToggleGroup(group);
                r.setSelected(o.chosen());
                r.setDisable(!o.possible());
                r.setMinWidth(170); // the longest, "Through a container", so the reasons line up
                r.setOnAction(e -> vm.choose(d.path(), o.strategy()));
                Label why = Ui.text(io.dbrescue.text.Wording.forWindow(o.why()), o.possible() ? "hint" : "why-not");
                HBox.setHgrow(why, Priority.ALWAYS);
                HBox line = new HBox(8, r, why);
                line.setAlignment(Pos.TOP_LEFT);
                box.getChildren().add(line);
            }
            if (StrategyViewModel.upgradeMethodApplies(d)) {
                box.getChildren().add(upgradeMethod(d));
            }
            boxes.getChildren().add(box);
        }
    }
}
