package io.dbrescue.gui;

import io.dbrescue.history.RunRecord;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.function.Function;

/** The History page: per engine the success rate and average time, then the recent recoveries. */
final class HistoryView extends BorderPane {
    HistoryView(HistoryViewModel vm, Runnable close) {
        setId("history");
        VBox stats = new VBox(4);
        stats.setId("historyStats");
        vm.stats().forEach(s -> stats.getChildren().add(new Label(HistoryViewModel.line(s))));
        TableView<RunRecord> table = new TableView<>();
        table.setId("historyTable");
        table.getItems().setAll(vm.recent());
        table.setPlaceholder(new Label("No recoveries yet."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY); // every column in view, also at 800 px
        table.getColumns().add(col("When", 170, 140, r -> r.startedAt().toString().replace('T', ' ').replaceAll("\\..*", "")));
        table.getColumns().add(col("Engine", 90, 70, r -> HistoryViewModel.engine(r.engine())));
        table.getColumns().add(col("Strategy", 130, 100, r -> HistoryViewModel.strategy(r.strategy())));
        table.getColumns().add(col("What", 260, 100, r -> r.sourcePath() == null ? "" : r.sourcePath()));
        table.getColumns().add(col("Size", 72, 64, r -> io.dbrescue.text.Sizes.human(r.bytes())));
        table.getColumns().add(col("Took", 80, 64, r -> HistoryViewModel.duration(r.durationMillis())));
        table.getColumns().add(col("Outcome", 110, 90, HistoryViewModel::outcome));
        table.getColumns().add(col("Error", 120, 60, r -> r.errorKind() == null ? "" : r.errorKind()));
        Label message = Ui.text(vm.message(), "hint");
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);
        Button open = Ui.button("_Open report…", "historyOpenReport", () -> openReport(table.getSelectionModel().getSelectedItem()));
        open.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        table.setRowFactory(t -> {
            TableRow<RunRecord> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openReport(row.getItem());
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && table.getSelectionModel().getSelectedItem() != null) {
                openReport(table.getSelectionModel().getSelectedItem());
            }
        });
        if (!table.getItems().isEmpty()) {
            table.getSelectionModel().selectFirst();
        }
        Button done = Ui.button("_Close", "historyClose", close);
        done.setCancelButton(true);
        open.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        done.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox bar = new HBox(8, message, open, done);
        bar.setPadding(new Insets(10));
        VBox top = new VBox(6, Ui.text("Per engine", "step-subtitle"), stats);
        top.setPadding(new Insets(12));
        setTop(top);
        setCenter(table);
        setBottom(bar);
    }

    /** The run's report (from its journal) in a window of its own, with Save as… */
    private void openReport(RunRecord r) {
        if (r == null) {
            return;
        }
        HistoryViewModel.Report report = HistoryViewModel.report(r);
        TextArea area = new TextArea(report.text());
        area.setId("historyReport");
        area.setEditable(false);
        area.setWrapText(true);
        Stage stage = new Stage();
        stage.setTitle("dbrescue — " + HistoryViewModel.title(r));
        if (getScene() != null) {
            stage.initOwner(getScene().getWindow());
        }
        Label saved = Ui.text("", "hint");
        saved.setId("historyReportSaved");
        HBox.setHgrow(saved, Priority.ALWAYS);
        saved.setMaxWidth(Double.MAX_VALUE);
        Button save = Ui.button("_Save as…", "historyReportSave", () -> Ui.export(area, f -> {
            Reports.writeText(report.text(), f, report.backup());
            saved.setText("Report saved to " + f.toAbsolutePath());
        }, "dbrescue-report-" + r.runId() + ".md"));
        Button done = Ui.button("_Close", "historyReportClose", stage::close);
        done.setCancelButton(true);
        HBox bar = new HBox(8, saved, save, done);
        bar.setPadding(new Insets(10));
        BorderPane root = new BorderPane(area);
        root.setBottom(bar);
        javafx.scene.Scene scene = new javafx.scene.Scene(root, 760, 560);
        if (getScene() != null) {
            scene.getStylesheets().addAll(getScene().getStylesheets());
        }
        stage.setScene(scene);
        stage.show();
    }

    private static TableColumn<RunRecord, String> col(String title, double width, double min, Function<RunRecord, String> f) {
        TableColumn<RunRecord, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setMinWidth(min); // fits 800 px in all; the constrained table shrinks the wide columns first
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
        return c;
    }
}
