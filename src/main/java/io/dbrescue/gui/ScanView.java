package io.dbrescue.gui;

import io.dbrescue.scan.Finding;
import io.dbrescue.text.Sizes;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.function.Function;

/** Step 2: the live count, then the findings with check boxes and a details pane. */
final class ScanView extends VBox {
    ScanView(ScanViewModel vm) {
        setSpacing(8);
        Label status = Ui.text("");
        status.setId("status");
        status.textProperty().bind(vm.status());
        HBox.setHgrow(status, Priority.ALWAYS);
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(18, 18);
        spinner.visibleProperty().bind(vm.scanning());
        spinner.managedProperty().bind(vm.scanning());
        Button again = Ui.button("_Scan again", "rescan", vm::scan);
        again.disableProperty().bind(vm.scanning());
        Button stop = Ui.button("Sto_p scan", "stopScan", vm::cancel);
        stop.visibleProperty().bind(vm.scanning());
        stop.managedProperty().bind(vm.scanning());
        HBox top = new HBox(8, spinner, status, stop, again);
        top.setAlignment(Pos.CENTER_LEFT);

        TableView<ScanViewModel.Row> table = table(vm);
        TextArea details = new TextArea();
        details.setId("details");
        details.setEditable(false);
        details.setWrapText(true);
        details.setPrefRowCount(6);
        details.setPromptText("Select a row to see what is inside.");
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) ->
                details.setText(row == null ? "" : ScanViewModel.details(row.finding())));
        // the details under the table: both get the whole width, so every column fits and the text is readable
        SplitPane split = new SplitPane(table, details);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.62);
        // no rows, nothing to select: the table's explanation (scanning, or why nothing was found) gets the height
        Runnable detailsWhenRows = () -> {
            if (vm.rows().isEmpty()) {
                split.getItems().remove(details);
            } else if (!split.getItems().contains(details)) {
                split.getItems().add(details);
                split.setDividerPositions(0.62);
            }
        };
        vm.rows().addListener((javafx.collections.ListChangeListener<ScanViewModel.Row>) c -> detailsWhenRows.run());
        detailsWhenRows.run();
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(top, split);
    }

    /**
     * The findings. The columns share the table's width (no horizontal scroll bar): the narrow ones keep their
     * size, Path and State take what is left; a long path loses its start, never its file name; the Database
     * name is never cut (in a small window it goes on over two lines).
     */
    private static TableView<ScanViewModel.Row> table(ScanViewModel vm) {
        TableView<ScanViewModel.Row> table = new TableView<>(vm.rows());
        table.setId("findings");
        table.getStyleClass().add("first-field"); // Space ticks a row, Enter goes on
        table.setEditable(true);
        Label empty = Ui.text("", "hint");
        empty.setId("emptyScan");
        empty.textProperty().bind(vm.emptyText());
        empty.maxWidthProperty().bind(table.widthProperty().subtract(60).map(w -> Math.min(w.doubleValue(), 560)));
        table.setPlaceholder(empty);
        TableColumn<ScanViewModel.Row, Boolean> pick = new TableColumn<>("Restore");
        pick.setCellValueFactory(cd -> cd.getValue().chosen());
        pick.setCellFactory(CheckBoxTableCell.forTableColumn(pick));
        pick.setEditable(true);
        size(pick, 64, 70, 80);
        TableColumn<ScanViewModel.Row, String> engine = column("Database", 160, 210, 260,
                f -> f.getEngine().displayName() + " " + io.dbrescue.text.Wording.kind(f.getKind().id()));
        // the name never cut: in a narrow window it goes on over two lines
        engine.setCellFactory(c -> new WrappingCell<>(row -> Icons.engine(row.finding().getEngine())));
        TableColumn<ScanViewModel.Row, String> path = column("Path", 100, 280, Double.MAX_VALUE, Finding::getPath);
        path.setCellFactory(c -> withTooltip(OverrunStyle.LEADING_ELLIPSIS));
        TableColumn<ScanViewModel.Row, String> state = column("State", 100, 170, Double.MAX_VALUE, ScanViewModel::stateAndWarnings);
        state.setCellFactory(c -> withTooltip(OverrunStyle.ELLIPSIS));
        table.getColumns().add(pick);
        table.getColumns().add(engine);
        table.getColumns().add(path);
        table.getColumns().add(column("Version", 64, 70, 90, f -> f.getVersion() == null ? "?" : f.getVersion()));
        table.getColumns().add(column("Size", 80, 85, 100, f -> Sizes.human(f.getSizeBytes())));
        table.getColumns().add(state);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        return table;
    }

    /** A text cell that shows its whole text as a tooltip (for what the column's width cuts). */
    private static TableCell<ScanViewModel.Row, String> withTooltip(OverrunStyle overrun) {
        TableCell<ScanViewModel.Row, String> cell = new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null || item.isEmpty() ? null : new Tooltip(item));
            }
        };
        cell.setTextOverrun(overrun);
        return cell;
    }

    private static void size(TableColumn<?, ?> c, double min, double pref, double max) {
        c.setMinWidth(min);
        c.setPrefWidth(pref);
        c.setMaxWidth(max);
    }

    private static TableColumn<ScanViewModel.Row, String> column(String title, double min, double pref, double max,
                                                               Function<Finding, String> value) {
        TableColumn<ScanViewModel.Row, String> c = new TableColumn<>(title);
        size(c, min, pref, max);
        c.setEditable(false);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue().finding())));
        return c;
    }
}
