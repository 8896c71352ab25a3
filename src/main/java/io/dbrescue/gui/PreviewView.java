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
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.function.Function;

/** Step 6: every step with its exact command; dry run only; export. */
final class PreviewView extends VBox {
    PreviewView(PreviewViewModel vm) {
        setSpacing(8);
        Label totals = Ui.text("");
        totals.setId("totals");
        totals.textProperty().bind(vm.totals());
        TableView<Step> table = table(vm);
        TextArea command = command(table);
        Button copy = copyButton(table);
        TextArea rootNote = rootNote(vm);

        CheckBox dry = new CheckBox("_Dry run only: change nothing, keep the plan");
        dry.setId("dryRun");
        dry.selectedProperty().bindBidirectional(vm.model().dryRunOnly);
        Button json = Ui.button("Export _JSON…", "exportPlanJson", () -> Ui.export(this, vm::exportJson, "plan.json"));
        Button md = Ui.button("Export _Markdown…", "exportPlanMd", () -> Ui.export(this, vm::exportMarkdown, "plan.md"));
        dry.setMinWidth(Region.USE_PREF_SIZE);
        // two rows, so that nothing is cut in a small window
        HBox buttons = new HBox(8, copy, json, md);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        getChildren().addAll(totals, table, command, rootNote, dry, buttons);
    }

    /** The steps, one row each. */
    private static TableView<Step> table(PreviewViewModel vm) {
        TableView<Step> table = new TableView<>(vm.steps());
        table.setId("steps");
        // the columns share the table's width (no horizontal scroll bar); what a step reads is in the pane below
        table.getColumns().add(sized(column("#", 45, Step::id), 40, 50));
        TableColumn<Step, String> title = sized(column("Step", 300, Step::title), 180, Double.MAX_VALUE);
        title.setCellFactory(c -> new WrappingCell<>(null)); // a step's title is read whole (it names its paths)
        table.getColumns().add(title);
        table.getColumns().add(sized(column("Command", 300, PreviewViewModel::command), 120, Double.MAX_VALUE));
        table.getColumns().add(sized(column("Writes", 160, Step::writes), 90, Double.MAX_VALUE));
        table.getColumns().add(sized(column("Bytes", 70, s -> s.bytes() > 0 ? Sizes.human(s.bytes()) : ""), 60, 90));
        table.getColumns().add(sized(column("Root", 50, s -> s.needsRoot() ? "yes" : ""), 45, 60));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        VBox.setVgrow(table, Priority.ALWAYS);
        return table;
    }

    /** The selected step's command, what it reads and writes, and how it is undone. */
    private static TextArea command(TableView<Step> table) {
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
        return command;
    }

    /** Copies the selected step's command (none for a step dbrescue does itself). */
    private static Button copyButton(TableView<Step> table) {
        Button copy = Ui.button("Co_py command", "copy", () -> {
            Step s = table.getSelectionModel().getSelectedItem();
            if (s != null) {
                ClipboardContent c = new ClipboardContent();
                c.putString(PreviewViewModel.command(s));
                Clipboard.getSystemClipboard().setContent(c);
            }
        });
        copy.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding( // nothing to copy for a step dbrescue does itself
                () -> table.getSelectionModel().getSelectedItem() == null
                        || table.getSelectionModel().getSelectedItem().argv().isEmpty(),
                table.getSelectionModel().selectedItemProperty()));
        return copy;
    }

    /** How the steps that need root run when dbrescue does not run as root; shown only when there are any. */
    private static TextArea rootNote(PreviewViewModel vm) {
        TextArea rootNote = new TextArea();
        rootNote.setId("rootNote");
        rootNote.setEditable(false);
        rootNote.setPrefRowCount(4);
        rootNote.setWrapText(true);
        rootNote.getStyleClass().add("command");
        rootNote.textProperty().bind(vm.rootNote());
        rootNote.visibleProperty().bind(Bindings.isNotEmpty(vm.rootNote()));
        rootNote.managedProperty().bind(rootNote.visibleProperty());
        return rootNote;
    }

    private static <T> TableColumn<T, String> sized(TableColumn<T, String> c, double min, double max) {
        c.setMinWidth(min);
        c.setMaxWidth(max);
        return c;
    }

    static <T> TableColumn<T, String> column(String title, double width, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue())));
        return c;
    }
}
