package io.dbrescue.gui;

import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

/** Step 3: what discovery found, and the fields discovery cannot know. */
final class TargetView extends VBox {
    TargetView(TargetViewModel vm) {
        setSpacing(10);
        VBox facts = new VBox(4);
        facts.setId("facts");
        vm.facts().addListener((ListChangeListener<String>) c -> {
            facts.getChildren().clear();
            vm.facts().forEach(line -> facts.getChildren().add(Ui.text(line)));
        });
        vm.facts().forEach(line -> facts.getChildren().add(Ui.text(line)));

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        TextField host = field(grid, 0, "_Host:", new TextField(), "host", "this machine (127.0.0.1)");
        host.textProperty().bindBidirectional(vm.model().host);
        TextField port = field(grid, 1, "_Port:", new TextField(), "port", "what dbrescue finds (e.g. 5432)");
        port.textProperty().bindBidirectional(vm.model().port);
        TextField user = field(grid, 2, "_User:", new TextField(), "user", "the server's administrator (e.g. postgres)");
        user.textProperty().bindBidirectional(vm.model().user);
        PasswordField password = field(grid, 3, "Pass_word:", new PasswordField(), "password", "only if the server asks for one");
        password.textProperty().bindBidirectional(vm.model().password);
        TextField data = field(grid, 4, "Restore _into:", new TextField(), "dataDir",
                "folder for data directories and SQLite files (empty: the server's own place)");
        data.textProperty().bindBidirectional(vm.model().dataDir);
        ValidationSupport validation = new ValidationSupport();
        validation.registerValidator(port, false, (c, v) ->
                ValidationResult.fromErrorIf(c, vm.portProblem().get(), !vm.portProblem().get().isEmpty()));
        Label portProblem = Ui.text("", "problem");
        portProblem.textProperty().bind(vm.portProblem());
        Label note = Ui.text("Leave a field empty to use what dbrescue found. The password stays in this window's "
                + "memory only: it is never saved, logged or put on a command line.", "hint");
        getChildren().addAll(Ui.text("This machine", "decision-title"), facts,
                Ui.text("The target server", "decision-title"), grid, portProblem, note);
    }

    private static <T extends TextField> T field(GridPane grid, int row, String label, T field, String id,
                                                        String prompt) {
        Label l = new Label(label);
        l.setMnemonicParsing(true);
        l.setLabelFor(field);
        field.setId(id);
        field.setPromptText(prompt);
        field.setPrefColumnCount(28);
        grid.addRow(row, l, field);
        return field;
    }
}
