package io.dbrescue.gui;

import io.dbrescue.run.RunResult;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.Locale;

/** Step 8: per finding what happened, the report, where the journal is; export; Resume. */
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
                VBox text = new VBox(2, Ui.text(g.outcome().id().toUpperCase(Locale.ROOT) + "  " + g.group(),
                        "decision-title"), Ui.text(SummaryViewModel.describe(g)));
                text.setMaxWidth(l.getWidth() - 60);
                HBox row = new HBox(10, Icons.outcome(g.outcome()), text);
                row.setAlignment(Pos.TOP_LEFT);
                setGraphic(row);
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        Label journal = Ui.text("", "hint");
        journal.setId("journal");
        journal.textProperty().bind(vm.journal());
        Button resumeButton = Ui.button("_Resume", "resumeRun", resume);
        resumeButton.visibleProperty().bind(vm.resumable());
        resumeButton.managedProperty().bind(vm.resumable());
        Button json = Ui.button("Export _JSON…", "exportJson", () -> Ui.export(this, vm::exportJson, "dbrescue-report.json"));
        Button md = Ui.button("Export _Markdown…", "exportMd", () -> Ui.export(this, vm::exportMarkdown, "dbrescue-report.md"));
        Label spacer = new Label();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bottom = new HBox(8, resumeButton, spacer, json, md);
        getChildren().addAll(headline, list, journal, bottom);
    }
}
