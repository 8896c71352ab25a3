package io.dbrescue.gui;

import io.dbrescue.settings.ValueType;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.controlsfx.validation.ValidationMessage;
import org.controlsfx.validation.decoration.GraphicValidationDecoration;

import java.util.Locale;
import java.util.Optional;

/**
 * The Settings page: every key of recovery.conf named in words, with the control its type asks for (a check box
 * for yes/no, a choice list, a number field, a text field for paths and images), the key itself in the tooltip,
 * checked as you type, saved in place. Leaving with unsaved changes asks: Save, Discard or Stay.
 */
final class SettingsView extends BorderPane {
    static final ButtonType SAVE = new ButtonType("Save", ButtonBar.ButtonData.YES);
    static final ButtonType DISCARD = new ButtonType("Discard", ButtonBar.ButtonData.NO);
    static final ButtonType STAY = new ButtonType("Stay", ButtonBar.ButtonData.CANCEL_CLOSE);

    private final SettingsViewModel vm;

    SettingsView(SettingsViewModel vm, Runnable close) {
        this.vm = vm;
        setId("settings");
        ScrollPane scroll = new ScrollPane(grid());
        scroll.setFitToWidth(true);
        HBox bar = bar(close);
        setCenter(scroll);
        setBottom(bar);
        askWhenTheWindowCloses();
    }

    /** One row per key: its name (the key in the tooltip), its control and its help, marked when the value is wrong. */
    private GridPane grid() {
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(10);
        grid.setPadding(new Insets(12));
        ColumnConstraints names = new ColumnConstraints();
        names.setPercentWidth(38);
        ColumnConstraints controls = new ColumnConstraints();
        controls.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(names, controls);
        GraphicValidationDecoration decoration = new GraphicValidationDecoration();
        int row = 0;
        for (SettingsViewModel.Row r : vm.rows()) {
            Label name = new Label(SettingsViewModel.title(r.key));
            name.setWrapText(true);
            name.setMinHeight(Region.USE_PREF_SIZE);
            name.setId("settingName-" + r.key.id());
            Tooltip tip = new Tooltip(r.key.id() + " in " + vm.file().getFileName() + ": " + r.key.allowed());
            name.setTooltip(tip);
            Control control = control(r);
            control.setId("setting-" + r.key.id());
            control.setTooltip(tip);
            name.setLabelFor(control);
            Label help = Ui.text(r.key.description() + (r.source().equals("default") ? "" : " (now from " + r.source() + ")"),
                    "hint");
            VBox right = new VBox(3, control);
            if (!r.key.description().startsWith(name.getText())) { // no help that only repeats the name
                right.getChildren().add(help);
            }
            r.problem().addListener((o, a, problem) -> {
                decoration.removeDecorations(control);
                if (!problem.isEmpty()) {
                    decoration.applyValidationDecoration(ValidationMessage.error(control, problem));
                    control.setTooltip(new Tooltip(problem));
                } else {
                    control.setTooltip(tip);
                }
            });
            grid.addRow(row++, name, right);
            GridPane.setValignment(name, javafx.geometry.VPos.TOP);
        }
        return grid;
    }

    /** The message line and the Reload, Save and Close buttons. */
    private HBox bar(Runnable close) {
        Label message = Ui.text("", "hint");
        message.setId("settingsMessage");
        message.textProperty().bind(vm.message());
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);
        Button reload = Ui.button("_Reload", "settingsReload", vm::reload);
        Button save = Ui.button("_Save", "settingsSave", vm::save);
        Button done = Ui.button("_Close", "settingsClose", () -> {
            if (mayLeave()) {
                close.run();
            }
        });
        done.setCancelButton(true);
        for (Button b : new Button[] {reload, save, done}) {
            b.setMinWidth(Region.USE_PREF_SIZE); // the message wraps instead
        }
        HBox bar = new HBox(8, message, reload, save, done);
        bar.setPadding(new Insets(10));
        return bar;
    }

    /** The window's own close button asks as well. */
    private void askWhenTheWindowCloses() {
        sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                scene.windowProperty().addListener((o2, a2, w) -> guard(w));
                guard(scene.getWindow());
            }
        });
    }

    private void guard(Window w) {
        if (w != null) {
            w.setOnCloseRequest(e -> {
                if (!mayLeave()) {
                    e.consume();
                }
            });
        }
    }

    /** True when there is nothing unsaved, or the person chose Save (and it saved) or Discard. */
    boolean mayLeave() {
        if (!vm.unsaved()) {
            return true;
        }
        long n = vm.unsavedCount();
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "", SAVE, DISCARD, STAY);
        ask.setTitle("Unsaved settings");
        ask.setHeaderText(n == 1 ? "1 setting is changed but not saved." : n + " settings are changed but not saved.");
        ask.setContentText("Save them to " + vm.file() + ", discard the changes, or stay on this page?");
        if (getScene() != null) {
            ask.initOwner(getScene().getWindow());
        }
        ask.getDialogPane().setId("unsavedQuestion");
        Optional<ButtonType> answer = ask.showAndWait();
        if (answer.isEmpty() || answer.get() == STAY) {
            return false;
        }
        if (answer.get() == SAVE) {
            return vm.save();
        }
        vm.reload();
        return true;
    }

    /** The control a key's type asks for, bound to the row's text value. */
    private static Control control(SettingsViewModel.Row r) {
        ValueType type = r.key.type();
        if (type == ValueType.BOOLEAN) {
            CheckBox box = new CheckBox("Yes");
            box.setSelected(Boolean.TRUE.equals(parse(r)));
            box.selectedProperty().addListener((o, a, on) -> r.value.set(on ? "true" : "false"));
            r.value.addListener((o, a, text) -> box.setSelected(Boolean.TRUE.equals(parse(r))));
            return box;
        }
        if (type instanceof ValueType.Choice choice) {
            ComboBox<String> box = new ComboBox<>();
            box.getItems().setAll(choice.values());
            box.setConverter(new StringConverter<>() {
                @Override
                public String toString(String v) {
                    return v == null ? "" : SettingsViewModel.choice(v);
                }

                @Override
                public String fromString(String s) {
                    return s;
                }
            });
            box.setValue(String.valueOf(r.value.get()).strip().toLowerCase(Locale.ROOT));
            box.valueProperty().addListener((o, a, v) -> {
                if (v != null) {
                    r.value.set(v);
                }
            });
            r.value.addListener((o, a, text) -> box.setValue(text == null ? null : text.strip().toLowerCase(Locale.ROOT)));
            return box;
        }
        TextField field = new TextField();
        field.textProperty().bindBidirectional(r.value);
        if (type instanceof ValueType.IntRange range) {
            // digits only; the range is checked as for every value (the message says what is allowed)
            field.setTextFormatter(new TextFormatter<>(c -> c.getControlNewText().matches("\\d{0,9}") ? c : null));
            field.setPrefColumnCount(8);
            field.setMaxWidth(Region.USE_PREF_SIZE);
            field.setPromptText(range.min() + " to " + range.max());
        } else {
            field.setPrefColumnCount(28);
        }
        return field;
    }

    private static Object parse(SettingsViewModel.Row r) {
        try {
            return r.key.parse(r.value.get() == null ? "" : r.value.get());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** For the tests: the node of a key's control. */
    Node controlOf(String keyId) {
        return lookup("#setting-" + keyId);
    }
}
