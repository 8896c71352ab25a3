package io.dbrescue.gui;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.EnumMap;
import java.util.Map;

/** The window's content: the steps on the left, the current step, why Next is blocked, Back / Next / Cancel. */
public final class WizardView extends BorderPane {
    private final Wizard wizard;
    private final Map<WizardStep, Node> views = new EnumMap<>(WizardStep.class);
    private final Map<WizardStep, Label> stepLabels = new EnumMap<>(WizardStep.class);
    private final StackPane content = new StackPane();
    private final Label title = Ui.text("", "step-title");
    private final Label subtitle = Ui.text("", "step-subtitle");

    public WizardView(Wizard wizard) {
        this.wizard = wizard;
        WizardViewModel nav = wizard.navigation;
        getStylesheets().add(WizardView.class.getResource("wizard.css").toExternalForm());
        views.put(WizardStep.SOURCE, new SourceView(wizard.source, nav::resume));
        views.put(WizardStep.SCAN, new ScanView(wizard.scan));
        views.put(WizardStep.TARGET, new TargetView(wizard.target));
        views.put(WizardStep.STRATEGY, new StrategyView(wizard.strategy, wizard.model));
        views.put(WizardStep.PREFLIGHT, new PreflightView(wizard.preflight));
        views.put(WizardStep.PREVIEW, new PreviewView(wizard.preview));
        views.put(WizardStep.RUN, new RunView(wizard.run));
        views.put(WizardStep.SUMMARY, new SummaryView(wizard.summary,
                () -> nav.resume(wizard.model.result.get().runId())));
        views.forEach((s, v) -> v.setId("step-" + s.name().toLowerCase(java.util.Locale.ROOT)));
        // every step is in the scene from the start, only the current one visible: the controls get
        // their skins when the window opens, not on the FX thread in the middle of a scan
        content.getChildren().setAll(views.values());

        VBox list = new VBox();
        list.getStyleClass().add("step-list");
        list.setId("stepList");
        javafx.scene.image.ImageView logo = new javafx.scene.image.ImageView(Icons.app().get(5));
        logo.setFitWidth(28);
        logo.setFitHeight(28);
        list.getChildren().add(new Label("dbrescue", logo));
        list.getChildren().get(0).getStyleClass().add("brand");
        for (WizardStep s : WizardStep.values()) {
            Label l = new Label((s.ordinal() + 1) + "   " + s.title());
            l.getStyleClass().add("step");
            l.setMaxWidth(Double.MAX_VALUE);
            l.setOnMouseClicked(e -> nav.jumpTo(s));
            stepLabels.put(s, l);
            list.getChildren().add(l);
        }

        javafx.scene.layout.Region spacer = new javafx.scene.layout.Region();
        VBox.setVgrow(spacer, Priority.ALWAYS);
        Button settings = Ui.button("Se_ttings…", "openSettings", () -> page("Settings", close ->
                new SettingsView(new SettingsViewModel(wizard.service.settingsFile()), close)));
        Button history = Ui.button("_History…", "openHistory", () -> page("History", close ->
                new HistoryView(new HistoryViewModel(wizard.service.history()), close)));
        for (Button b : new Button[] {settings, history}) {
            b.setMaxWidth(Double.MAX_VALUE);
        }
        list.getChildren().addAll(spacer, settings, history);

        VBox header = new VBox(title, subtitle);
        header.getStyleClass().add("header");
        content.getStyleClass().add("content");
        VBox.setVgrow(content, Priority.ALWAYS);

        Label blocked = Ui.text("", "blocked");
        blocked.setId("blocked");
        blocked.textProperty().bind(nav.nextBlocked());
        blocked.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(blocked, Priority.ALWAYS);
        Button back = Ui.button("_Back", "back", nav::back);
        back.disableProperty().bind(nav.canGoBack().not());
        Button next = Ui.button("_Next", "next", nav::next);
        next.textProperty().bind(nav.nextText());
        next.setDefaultButton(true);
        Button cancel = Ui.button("_Cancel", "cancel", () -> nav.cancel());
        cancel.textProperty().bind(nav.cancelText());
        for (Button b : new Button[] {back, next, cancel}) {
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        HBox bar = new HBox(blocked, back, next, cancel);
        bar.getStyleClass().add("button-bar");
        bar.setAlignment(Pos.CENTER_RIGHT);
        Runnable refreshNext = () -> next.setDisable(!nav.canGoNext());
        nav.nextBlocked().addListener((o, a, b) -> refreshNext.run());
        nav.current().addListener((o, a, b) -> refreshNext.run());
        refreshNext.run();

        setLeft(list);
        setCenter(new VBox(header, content));
        setBottom(bar);
        nav.current().addListener((o, a, s) -> show(s));
        show(nav.current().get());
    }

    /** Opens a page beside the wizard (Settings, History) in its own window. */
    private void page(String name, java.util.function.Function<Runnable, javafx.scene.Parent> make) {
        javafx.stage.Stage stage = new javafx.stage.Stage();
        stage.setTitle("dbrescue — " + name);
        if (getScene() != null) {
            stage.initOwner(getScene().getWindow());
        }
        javafx.scene.Parent root = make.apply(stage::close);
        javafx.scene.Scene scene = new javafx.scene.Scene(root, 980, 640);
        scene.getStylesheets().add(WizardView.class.getResource("wizard.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    private void show(WizardStep s) {
        title.setText((s.ordinal() + 1) + ". " + s.title());
        subtitle.setText(s.subtitle());
        views.forEach((step, v) -> v.setVisible(step == s));
        stepLabels.forEach((step, label) -> {
            label.getStyleClass().removeAll("current", "done");
            if (step == s) {
                label.getStyleClass().add("current");
            } else if (step.ordinal() < s.ordinal()) {
                label.getStyleClass().add("done");
            }
        });
    }

    public Wizard wizard() {
        return wizard;
    }
}
