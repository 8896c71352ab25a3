package io.dbrescue.gui;

import io.dbrescue.machine.Target;
import io.dbrescue.plan.RecoveryRequest;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.util.StringConverter;

import java.io.File;
import java.util.List;

/** Step 3: what this machine has, then one card per server the chosen findings go into, filled from discovery. */
final class TargetView extends VBox {
    private final TargetViewModel vm;
    private final VBox cards = new VBox(12);

    TargetView(TargetViewModel vm) {
        this.vm = vm;
        setSpacing(10);
        VBox facts = new VBox(4);
        facts.setId("facts");
        vm.facts().addListener((ListChangeListener<String>) c -> fill(facts, vm.facts()));
        fill(facts, vm.facts());
        cards.setId("cards");
        vm.cards().addListener((ListChangeListener<ServerCard>) c -> rebuild());
        vm.model().target.addListener((o, a, b) -> rebuild());
        rebuild();

        Label portProblem = Ui.text("", "problem");
        portProblem.setId("portProblem");
        portProblem.textProperty().bind(vm.portProblem());
        portProblem.managedProperty().bind(portProblem.textProperty().isNotEmpty());
        Label note = Ui.text("Leave a field empty to use what dbrescue found. Passwords stay in this window's "
                + "memory only: they are never saved, logged or put on a command line, and each goes to its own "
                + "server only.", "hint");
        VBox content = new VBox(10, Ui.text("This machine", "decision-title"), facts, cards, conflict(), portProblem,
                note);
        content.setFillWidth(true);
        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.setId("targetScroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        getChildren().add(scroll);
    }

    private static void fill(VBox box, List<String> lines) {
        box.getChildren().setAll(lines.stream().map(l -> (javafx.scene.Node) Ui.text(l)).toList());
    }

    private void rebuild() {
        cards.getChildren().setAll(vm.cards().stream().map(this::card).toList());
    }

    /** One card: its title, what discovery found, and the fields that override it. */
    private VBox card(ServerCard card) {
        ServerForm form = vm.model().form(card);
        VBox found = new VBox(2);
        found.setId("card-" + card.id() + "-facts");
        List<String> lines = vm.cardFacts(card);
        fill(found, lines.isEmpty() ? List.of("Looking at this machine…") : lines);
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(6);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setMinWidth(120);
        ColumnConstraints fields2 = new ColumnConstraints();
        fields2.setHgrow(Priority.ALWAYS);
        fields2.setMinWidth(120);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(100); // the same label column on every card, so the cards' fields line up
        grid.getColumnConstraints().addAll(labels, fields, new ColumnConstraints(), fields2);
        String id = card.id();
        Target t = vm.model().target.get();
        switch (card) {
            case FILES -> folderRow(grid, form);
            case REDIS -> {
                field(grid, 0, 0, "Port:", new TextField(), id + "-port", TargetCards.prompt(card, "port", t), form.port);
                field(grid, 0, 2, "Password:", new PasswordField(), id + "-password",
                        TargetCards.prompt(card, "password", t), form.password);
            }
            case POSTGRESQL, MYSQL, MONGODB -> {
                field(grid, 0, 0, "Host:", new TextField(), id + "-host", TargetCards.prompt(card, "host", t), form.host);
                field(grid, 0, 2, "Port:", new TextField(), id + "-port", TargetCards.prompt(card, "port", t), form.port);
                field(grid, 1, 0, "User:", new TextField(), id + "-user", TargetCards.prompt(card, "user", t), form.user);
                field(grid, 1, 2, "Password:", new PasswordField(), id + "-password",
                        TargetCards.prompt(card, "password", t), form.password);
                TextField data = field(grid, 2, 0, "Data directory:", new TextField(), id + "-folder",
                        TargetCards.prompt(card, "folder", t), form.folder);
                GridPane.setColumnSpan(data, 3);
            }
        }
        VBox box = new VBox(6, Ui.text(card.title(), "decision-title"), found, grid);
        box.setId("card-" + id);
        box.getStyleClass().add("server-card");
        box.setStyle("-fx-border-color: -fx-box-border; -fx-border-radius: 4; -fx-padding: 8;");
        return box;
    }

    private static TextField field(GridPane grid, int row, int column, String label, TextField field, String id,
                                   String prompt, javafx.beans.property.StringProperty value) {
        Label l = new Label(label);
        l.setLabelFor(field);
        l.setMinWidth(Label.USE_PREF_SIZE);
        field.setId(id);
        field.setPromptText(prompt);
        field.setPrefColumnCount(14);
        field.textProperty().bindBidirectional(value);
        grid.add(l, column, row);
        grid.add(field, column + 1, row);
        return field;
    }

    private void folderRow(GridPane grid, ServerForm form) {
        TextField folder = new TextField();
        Button choose = Ui.button("Choose…", "files-choose", () -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Restore database files into");
            File current = form.folder.get().isBlank() ? null : new File(form.folder.get().trim());
            if (current != null && current.isDirectory()) {
                chooser.setInitialDirectory(current);
            }
            File picked = chooser.showDialog(getScene().getWindow());
            if (picked != null) {
                form.folder.set(picked.getAbsolutePath());
            }
        });
        Label l = new Label("Restore into:");
        l.setLabelFor(folder);
        folder.setId("files-folder");
        folder.setPromptText("a folder (created if it does not exist)");
        folder.textProperty().bindBidirectional(form.folder);
        HBox.setHgrow(folder, Priority.ALWAYS);
        l.setMinWidth(Label.USE_PREF_SIZE);
        HBox row = new HBox(8, folder, choose);
        grid.add(l, 0, 0);
        grid.add(row, 1, 0, 3, 1);
        Label free = Ui.text("");
        free.setId("files-free");
        free.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> form.folder.get().isBlank()
                ? "" : TargetCards.free(java.nio.file.Path.of(form.folder.get().trim())).orElse(""), form.folder));
        grid.add(free, 1, 1, 3, 1);
    }

    /** What happens to a database that already exists under the same name. */
    private HBox conflict() {
        ChoiceBox<RecoveryRequest.Conflict> choice = new ChoiceBox<>();
        choice.getItems().setAll(RecoveryRequest.Conflict.values());
        choice.setId("onConflict");
        choice.setConverter(new StringConverter<>() {
            @Override
            public String toString(RecoveryRequest.Conflict c) {
                return c == null ? "" : TargetViewModel.conflictLabel(c);
            }

            @Override
            public RecoveryRequest.Conflict fromString(String s) {
                return null;
            }
        });
        choice.valueProperty().bindBidirectional(vm.model().onConflict);
        Label l = new Label("When a database of that name already exists:");
        l.setLabelFor(choice);
        l.setWrapText(true);
        HBox row = new HBox(10, l, choice);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return row;
    }
}
