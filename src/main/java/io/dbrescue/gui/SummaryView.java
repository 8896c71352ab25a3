package io.dbrescue.gui;

import io.dbrescue.plan.Destination;
import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Step 8: per finding what happened and where it is now (open its folder, copy its client command), exports, Resume. */
final class SummaryView extends VBox {
    SummaryView(SummaryViewModel vm, Runnable resume) {
        setSpacing(8);
        Label headline = Ui.text("", "headline");
        headline.setId("headline");
        headline.textProperty().bind(vm.headline());
        ListView<RunResult.GroupResult> list = new ListView<>(vm.rows());
        list.setId("outcomes");
        list.setPlaceholder(new Label("Nothing ran."));
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(RunResult.GroupResult g, boolean empty) {
                super.updateItem(g, empty);
                if (empty || g == null) {
                    setGraphic(null);
                    return;
                }
                VBox text = new VBox(4, Ui.text(SummaryViewModel.title(g), "decision-title"));
                vm.destination(g.group()).ifPresent(d -> text.getChildren().add(where(vm, g, d)));
                String details = SummaryViewModel.describe(g);
                if (!details.isEmpty()) {
                    text.getChildren().add(Ui.text(details));
                }
                text.setMaxWidth(Math.max(200, l.getWidth() - 60));
                HBox row = new HBox(10, Icons.outcome(g.outcome()), text);
                row.setAlignment(Pos.TOP_LEFT);
                setGraphic(row);
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        Label journal = Ui.text("", "hint");
        journal.setId("journal");
        journal.textProperty().bind(vm.journal());
        Label exported = Ui.text("", "hint");
        exported.setId("exported");
        exported.textProperty().bind(vm.exported());
        exported.visibleProperty().bind(exported.textProperty().isNotEmpty());
        exported.managedProperty().bind(exported.visibleProperty());
        Button resumeButton = Ui.button("_Resume", "resumeRun", resume);
        resumeButton.visibleProperty().bind(vm.resumable());
        resumeButton.managedProperty().bind(vm.resumable());
        Button json = Ui.button("Export _JSON…", "exportJson", () -> Ui.export(this, vm::exportJson, "dbrescue-report.json"));
        Button md = Ui.button("Export _Markdown…", "exportMd", () -> Ui.export(this, vm::exportMarkdown, "dbrescue-report.md"));
        Label spacer = new Label();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bottom = new HBox(8, resumeButton, spacer, json, md);
        getChildren().addAll(headline, list, journal, exported, bottom);
    }

    /** "Now at: …" with the buttons that open it. */
    private static VBox where(SummaryViewModel vm, RunResult.GroupResult g, Destination d) {
        Label at = Ui.text(Reports.nowAt(g) + ": " + d.where());
        at.getStyleClass().add("where");
        at.setId("where-" + g.group());
        HBox buttons = new HBox(8);
        if (g.outcome() == Journal.Outcome.RESTORED) {
            if (d.folder() != null) {
                Button open = new Button("Open folder");
                open.getStyleClass().add("open-folder");
                open.setOnAction(e -> vm.openFolder(d));
                buttons.getChildren().add(open);
            }
            if (!d.client().isEmpty()) {
                Button copy = new Button("Copy " + d.clientName() + " command");
                copy.getStyleClass().add("copy-client");
                copy.setOnAction(e -> vm.copyClient(d));
                buttons.getChildren().add(copy);
            }
        }
        return buttons.getChildren().isEmpty() ? new VBox(at) : new VBox(4, at, buttons);
    }
}
