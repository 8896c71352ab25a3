package io.dbrescue.gui;

import io.dbrescue.plan.Check;
import io.dbrescue.text.Wording;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Step 5: each check with a pass / warn / fail icon and, for warn and fail, the fix. */
final class PreflightView extends VBox {
    PreflightView(PreflightViewModel vm) {
        setSpacing(8);
        Label counts = new Label();
        counts.setId("checkCounts");
        counts.textProperty().bind(vm.counts());
        HBox.setHgrow(counts, Priority.ALWAYS);
        Button again = Ui.button("Check _again", "recheck", vm::recheck);
        HBox top = new HBox(8, counts, again);
        top.setAlignment(Pos.CENTER_LEFT);
        ListView<Check> list = new ListView<>(vm.checks());
        list.setId("checks");
        list.getStyleClass().add("first-field"); // not Check again: the keyboard starts on what is to be read
        list.setPlaceholder(new Label("Running the checks…"));
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Check c, boolean empty) {
                super.updateItem(c, empty);
                if (empty || c == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                VBox text = new VBox(2, Ui.text(Wording.checkTitle(c.name())
                        + (c.group() == null ? "" : "  (" + c.group() + ")"), "decision-title"),
                        Ui.text(Wording.forWindow(c.message())));
                if (c.level() != Check.Level.PASS && c.fix() != null) {
                    text.getChildren().add(Ui.text("Fix: " + Wording.forWindow(c.fix()), c.level() == Check.Level.FAIL ? "problem" : "hint"));
                }
                text.setMaxWidth(l.getWidth() - 60);
                HBox row = new HBox(10, Icons.check(c.level()), text);
                row.setAlignment(Pos.TOP_LEFT);
                setGraphic(row);
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(top, list);
    }
}
