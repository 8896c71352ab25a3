package io.dbrescue.gui;

import io.dbrescue.scan.Finding;
import io.dbrescue.text.Sizes;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
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
        Button stop = Ui.button("S_top scan", "stopScan", vm::cancel);
        stop.visibleProperty().bind(vm.scanning());
        stop.managedProperty().bind(vm.scanning());
        HBox top = new HBox(8, spinner, status, stop, again);
        top.setAlignment(Pos.CENTER_LEFT);

        TableView<ScanViewModel.Row> table = new TableView<>(vm.rows());
        table.setId("findings");
        table.setEditable(true);
        table.setPlaceholder(new Label("Nothing found yet."));
        TableColumn<ScanViewModel.Row, Boolean> pick = new TableColumn<>("Restore");
        pick.setCellValueFactory(cd -> cd.getValue().chosen());
        pick.setCellFactory(CheckBoxTableCell.forTableColumn(pick));
        pick.setEditable(true);
        pick.setPrefWidth(72);
        TableColumn<ScanViewModel.Row, String> engine = column("Engine", 120, r -> r.getEngine().displayName());
        engine.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                ScanViewModel.Row row = empty ? null : getTableRow().getItem();
                setText(row == null ? null : item);
                setGraphic(row == null ? null : Icons.engine(row.finding().getEngine()));
            }
        });
        table.getColumns().add(pick);
        table.getColumns().add(engine);
        table.getColumns().add(column("Path", 250, Finding::getPath));
        table.getColumns().add(column("Kind", 100, f -> io.dbrescue.text.Wording.kind(f.getKind().id())));
        table.getColumns().add(column("Version", 70, f -> f.getVersion() == null ? "?" : f.getVersion()));
        table.getColumns().add(column("Size", 75, f -> Sizes.human(f.getSizeBytes())));
        table.getColumns().add(column("State", 130, ScanViewModel::state));
        table.getColumns().add(column("Warnings", 400, f -> String.join(" ", f.getWarnings())));
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);

        TextArea details = new TextArea();
        details.setId("details");
        details.setEditable(false);
        details.setWrapText(true);
        details.setPromptText("Select a row to see what is inside.");
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) ->
                details.setText(row == null ? "" : ScanViewModel.details(row.finding())));
        SplitPane split = new SplitPane(table, details);
        split.setDividerPositions(0.74);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(top, split);
    }

    private static TableColumn<ScanViewModel.Row, String> column(String title, double width, Function<Finding, String> value) {
        TableColumn<ScanViewModel.Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setEditable(false);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue().finding())));
        return c;
    }
}
