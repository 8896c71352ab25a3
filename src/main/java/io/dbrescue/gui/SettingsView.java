package io.dbrescue.gui;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.controlsfx.validation.ValidationMessage;
import org.controlsfx.validation.decoration.GraphicValidationDecoration;

/** The Settings page: every key of recovery.conf, editable, checked as you type, saved in place. */
final class SettingsView extends BorderPane {
    SettingsView(SettingsViewModel vm, Runnable close) {
        setId("settings");
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(6);
        grid.setPadding(new Insets(12));
        GraphicValidationDecoration decoration = new GraphicValidationDecoration();
        int row = 0;
        for (SettingsViewModel.Row r : vm.rows()) {
            Label name = new Label(r.key.id());
            name.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            name.setTooltip(new Tooltip(r.key.description()));
            TextField field = new TextField();
            field.setId("setting-" + r.key.id());
            field.textProperty().bindBidirectional(r.value);
            field.setPrefColumnCount(28);
            Label help = Ui.text(r.key.description() + " (" + r.key.allowed() + "; now from " + r.source() + ")", "hint");
            help.setWrapText(true);
            help.setMaxWidth(420);
            r.problem().addListener((o, a, problem) -> {
                decoration.removeDecorations(field);
                if (!problem.isEmpty()) {
                    decoration.applyValidationDecoration(ValidationMessage.error(field, problem));
                    field.setTooltip(new Tooltip(problem));
                } else {
                    field.setTooltip(null);
                }
            });
            grid.addRow(row++, name, field, help);
        }
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        Label message = Ui.text("", "hint");
        message.setId("settingsMessage");
        message.textProperty().bind(vm.message());
        message.setWrapText(true);
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);
        Button reload = Ui.button("_Reload", "settingsReload", vm::reload);
        Button save = Ui.button("_Save", "settingsSave", vm::save);
        Button done = Ui.button("_Close", "settingsClose", close);
        done.setCancelButton(true); // Escape closes the page (and only the page)
        HBox bar = new HBox(8, message, reload, save, done);
        bar.setPadding(new Insets(10));
        setCenter(scroll);
        setBottom(bar);
    }
}
