package io.dbrescue.gui;

import io.dbrescue.plan.Check;
import io.dbrescue.text.Wording;
import io.dbrescue.plan.Replacement;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Step 5: each check with a pass / warn / fail icon and, for warn and fail, the fix. */
final class PreflightView extends VBox {
    /** What will be replaced and where each safety copy goes, under the checks (scrolls when it is long). */
    private static Node replaced(PreflightViewModel vm) {
        Label title = Ui.text("", "step-subtitle");
        title.setId("replacedTitle");
        VBox lines = new VBox(6);
        lines.setId("replaced");
        lines.setPadding(new javafx.geometry.Insets(4, 6, 4, 6));
        Runnable fill = () -> {
            int n = vm.replaced().size();
            title.setText(n == 0 ? "Nothing that is on this machine now will be replaced."
                    : n == 1 ? "1 thing on this machine will be replaced:" : n + " things on this machine will be replaced:");
            lines.getChildren().setAll(vm.replaced().stream().map(PreflightView::replacement).toList());
        };
        vm.replaced().addListener((javafx.collections.ListChangeListener<Replacement>) c -> fill.run());
        fill.run();
        // paths do not wrap: the list scrolls sideways (room kept for that scroll bar); about three entries show at once
        ScrollPane scroll = new ScrollPane(lines);
        scroll.setFitToWidth(true);
        lines.heightProperty().addListener((o, a, h) -> scroll.setMinHeight(Math.min(h.doubleValue() + 20, 140)));
        scroll.setMaxHeight(140);
        scroll.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.replaced()));
        scroll.managedProperty().bind(scroll.visibleProperty());
        return new VBox(4, title, scroll);
    }

    private static Node replacement(Replacement r) {
        String[] lines = PreflightViewModel.describe(r).split("\n", 2);
        Label what = new Label(lines[0]);
        what.getStyleClass().add("decision-title");
        Label copy = new Label(lines[1].strip());
        copy.getStyleClass().add(r.safetyCopy() == null ? "problem" : "hint");
        VBox box = new VBox(1, what, copy);
        box.setMinWidth(Region.USE_PREF_SIZE);
        return box;
    }

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
        getChildren().addAll(top, list, replaced(vm));
    }
}
