package io.dbrescue.gui;

import io.dbrescue.history.RunRecord;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
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
        table.getColumns().add(col("When", 170, r -> r.startedAt().toString().replace('T', ' ').replaceAll("\\..*", "")));
        table.getColumns().add(col("Engine", 90, RunRecord::engine));
        table.getColumns().add(col("Strategy", 100, r -> r.strategy() == null ? "" : r.strategy()));
        table.getColumns().add(col("What", 260, r -> r.sourcePath() == null ? "" : r.sourcePath()));
        table.getColumns().add(col("Size", 80, r -> io.dbrescue.text.Sizes.human(r.bytes())));
        table.getColumns().add(col("Took", 80, r -> HistoryViewModel.duration(r.durationMillis())));
        table.getColumns().add(col("Outcome", 90, r -> r.outcome().id()));
        table.getColumns().add(col("Error", 120, r -> r.errorKind() == null ? "" : r.errorKind()));
        Label message = Ui.text(vm.message(), "hint");
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);
        HBox bar = new HBox(8, message, Ui.button("_Close", "historyClose", close));
        bar.setPadding(new Insets(10));
        VBox top = new VBox(6, Ui.text("Per engine", "step-subtitle"), stats);
        top.setPadding(new Insets(12));
        setTop(top);
        setCenter(table);
        setBottom(bar);
    }

    private static TableColumn<RunRecord, String> col(String title, double width, Function<RunRecord, String> f) {
        TableColumn<RunRecord, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
        return c;
    }
}
