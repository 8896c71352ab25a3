package io.dbrescue.gui;

import io.dbrescue.plan.Step;
import io.dbrescue.text.Sizes;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.function.Function;

/** Step 6: every step with its exact command; dry run only; export. */
final class PreviewView extends VBox {
    PreviewView(PreviewViewModel vm) {
        setSpacing(8);
        Label totals = Ui.text("");
        totals.setId("totals");
        totals.textProperty().bind(vm.totals());
        TableView<Step> table = new TableView<>(vm.steps());
        table.setId("steps");
        table.getColumns().add(column("#", 45, Step::id));
        table.getColumns().add(column("Step", 230, Step::title));
        table.getColumns().add(column("Command", 330, PreviewViewModel::command));
        table.getColumns().add(column("Reads", 150, Step::reads));
        table.getColumns().add(column("Writes", 150, Step::writes));
        table.getColumns().add(column("Bytes", 70, s -> s.bytes() > 0 ? Sizes.human(s.bytes()) : ""));
        table.getColumns().add(column("Root", 50, s -> s.needsRoot() ? "yes" : ""));
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        VBox.setVgrow(table, Priority.ALWAYS);

        TextArea command = new TextArea();
        command.setId("command");
        command.setEditable(false);
        command.setWrapText(true);
        command.setPrefRowCount(3);
        command.getStyleClass().add("command");
        command.setPromptText("Select a step to see (and copy) its command, what it reads and writes, and how it is undone.");
        table.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> command.setText(s == null ? ""
                : (s.argv().isEmpty() ? "(dbrescue does this itself)" : "$ " + PreviewViewModel.command(s))
                + (s.reads().isEmpty() ? "" : "\nreads:  " + s.reads())
                + (s.writes().isEmpty() ? "" : "\nwrites: " + s.writes())
                + (s.undo().isEmpty() ? "" : "\nundo:   " + s.undo())
                + (s.params().getOrDefault("diff", "").isEmpty() ? "" : "\n\n" + s.params().get("diff"))));
        Button copy = Ui.button("Co_py command", "copy", () -> {
            Step s = table.getSelectionModel().getSelectedItem();
            if (s != null) {
                ClipboardContent c = new ClipboardContent();
                c.putString(PreviewViewModel.command(s));
                Clipboard.getSystemClipboard().setContent(c);
            }
        });
        copy.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());

        TextArea rootNote = new TextArea();
        rootNote.setId("rootNote");
        rootNote.setEditable(false);
        rootNote.setPrefRowCount(4);
        rootNote.setWrapText(true);
        rootNote.getStyleClass().add("command");
        rootNote.textProperty().bind(vm.rootNote());
        rootNote.visibleProperty().bind(Bindings.isNotEmpty(vm.rootNote()));
        rootNote.managedProperty().bind(rootNote.visibleProperty());

        CheckBox dry = new CheckBox("_Dry run only: change nothing, keep the plan");
        dry.setId("dryRun");
        dry.selectedProperty().bindBidirectional(vm.model().dryRunOnly);
        Button json = Ui.button("Export _JSON…", "exportPlanJson", () -> Ui.export(this, vm::exportJson, "plan.json"));
        Button md = Ui.button("Export _Markdown…", "exportPlanMd", () -> Ui.export(this, vm::exportMarkdown, "plan.md"));
        Label spacer = new Label();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bottom = new HBox(8, dry, spacer, copy, json, md);
        bottom.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(totals, table, command, rootNote, bottom);
    }

    static <T> TableColumn<T, String> column(String title, double width, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue())));
        return c;
    }
}
