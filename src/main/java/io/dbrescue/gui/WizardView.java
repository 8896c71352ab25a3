package io.dbrescue.gui;

import javafx.application.Platform;
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
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The window's content: the steps on the left, the current step, why Next is blocked, Back / Next / Cancel. */
public final class WizardView extends BorderPane {
    private final Wizard wizard;
    private final Map<WizardStep, Supplier<Node>> makers = new EnumMap<>(WizardStep.class);
    private final Map<WizardStep, Node> views = new EnumMap<>(WizardStep.class);
    private final Map<WizardStep, Label> stepLabels = new EnumMap<>(WizardStep.class);
    private final StackPane content = new StackPane();
    private final Label title = Ui.text("", "step-title");
    private final Label subtitle = Ui.text("", "step-subtitle");

    public WizardView(Wizard wizard) {
        this.wizard = wizard;
        WizardViewModel nav = wizard.navigation;
        getStylesheets().add(WizardView.class.getResource("wizard.css").toExternalForm());
        makers.put(WizardStep.SOURCE, () -> new SourceView(wizard.source, nav::resume));
        makers.put(WizardStep.SCAN, () -> new ScanView(wizard.scan));
        makers.put(WizardStep.TARGET, () -> new TargetView(wizard.target));
        makers.put(WizardStep.STRATEGY, () -> new StrategyView(wizard.strategy, wizard.model));
        makers.put(WizardStep.PREFLIGHT, () -> new PreflightView(wizard.preflight));
        makers.put(WizardStep.PREVIEW, () -> new PreviewView(wizard.preview));
        makers.put(WizardStep.RUN, () -> new RunView(wizard.run));
        makers.put(WizardStep.SUMMARY, () -> new SummaryView(wizard.summary,
                () -> nav.resume(wizard.model.result.get().runId())));
        // The first page is built before the window opens, the other steps right after its first frame: a
        // shorter start, and still every control has its skin before a scan keeps the FX thread busy.
        sceneProperty().addListener((o, was, scene) -> {
            if (scene != null && was == null) {
                afterNextPulse(scene, this::makeAllViews);
            }
        });

        VBox header = new VBox(title, subtitle);
        header.getStyleClass().add("header");
        content.getStyleClass().add("content");
        // A step taller than the window (a small screen, GDK_SCALE=2, a machine with many servers) scrolls: it
        // never pushes Back / Next / Cancel off the window. Fitted both ways, so tables and lists still fill it.
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        scroll.getStyleClass().addAll("edge-to-edge", "step-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        setLeft(stepList(nav));
        setCenter(new VBox(header, scroll));
        setBottom(buttonBar(nav));
        nav.current().addListener((o, a, s) -> show(s));
        show(nav.current().get());
        // Target builds its forms when the machine is known, Strategy its choices when the plan is made, both
        // after the step is shown: the keyboard follows them
        wizard.model.planning.addListener((o, was, now) -> {
            if (!now) {
                Platform.runLater(this::focusFirstFieldUnlessInside);
            }
        });
        wizard.model.target.addListener((o, was, now) -> Platform.runLater(this::focusFirstFieldUnlessInside));
        // the keyboard goes to the step's first field when the window opens and on every step
        sceneProperty().flatMap(javafx.scene.Scene::windowProperty).flatMap(javafx.stage.Window::showingProperty)
                .addListener((o, was, showing) -> {
                    if (Boolean.TRUE.equals(showing)) {
                        focusFirstField();
                    }
                });
    }

    /** The steps on the left, Settings and History under them. */
    private VBox stepList(WizardViewModel nav) {
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
        return list;
    }

    /**
     * Why Next is blocked, Back / Next / Cancel. Next is the default button (Enter) and Cancel the cancel button
     * (Escape): both go through the navigation, which asks before anything is lost.
     */
    private HBox buttonBar(WizardViewModel nav) {
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
        cancel.setCancelButton(true);
        for (Button b : new Button[] {back, next, cancel}) {
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        WizardKeys.install(this, next, cancel);
        HBox bar = new HBox(blocked, back, next, cancel);
        bar.getStyleClass().add("button-bar");
        bar.setAlignment(Pos.CENTER_RIGHT);
        Runnable refreshNext = () -> next.setDisable(!nav.canGoNext());
        nav.nextBlocked().addListener((o, a, b) -> refreshNext.run());
        nav.current().addListener((o, a, b) -> refreshNext.run());
        refreshNext.run();
        return bar;
    }

    /** Opens a page beside the wizard (Settings, History) in its own window. */
    private void page(String name, java.util.function.Function<Runnable, javafx.scene.Parent> make) {
        javafx.stage.Stage stage = new javafx.stage.Stage();
        stage.setTitle("dbrescue — " + name);
        if (getScene() != null) {
            stage.initOwner(getScene().getWindow());
        }
        javafx.scene.Parent root = make.apply(stage::close);
        // never larger than the wizard's own window: at 800×600 a 980×640 page would put its buttons off the screen
        double w = getScene() == null ? 980 : Math.min(980, getScene().getWidth());
        double h = getScene() == null ? 640 : Math.min(640, getScene().getHeight());
        javafx.scene.Scene scene = new javafx.scene.Scene(root, w, h);
        scene.getStylesheets().add(WizardView.class.getResource("wizard.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    /** The view of a step, made the first time it is asked for. */
    Node view(WizardStep s) {
        return views.computeIfAbsent(s, step -> {
            Node v = makers.get(step).get();
            v.setId("step-" + step.name().toLowerCase(Locale.ROOT));
            v.setVisible(step == wizard.navigation.current().get());
            content.getChildren().add(v);
            return v;
        });
    }

    private void makeAllViews() {
        for (WizardStep s : WizardStep.values()) {
            view(s);
        }
    }

    /**
     * Runs {@code then} on the FX thread once the scene's next layout pass is over (the frame is then on its way
     * to the screen). The listener is removed outside the pass: the scene is iterating over its listeners.
     */
    private static void afterNextPulse(javafx.scene.Scene scene, Runnable then) {
        Runnable listener = new Runnable() {
            private boolean fired;

            @Override
            public void run() {
                if (!fired) {
                    fired = true;
                    Platform.runLater(() -> {
                        scene.removePostLayoutPulseListener(this);
                        then.run();
                    });
                }
            }
        };
        scene.addPostLayoutPulseListener(listener);
    }

    private void show(WizardStep s) {
        title.setText((s.ordinal() + 1) + ". " + s.title());
        subtitle.setText(s.subtitle());
        view(s);
        views.forEach((step, v) -> v.setVisible(step == s));
        stepLabels.forEach((step, label) -> {
            label.getStyleClass().removeAll("current", "done");
            if (step == s) {
                label.getStyleClass().add("current");
            } else if (step.ordinal() < s.ordinal()) {
                label.getStyleClass().add("done");
            }
        });
        Platform.runLater(this::focusFirstField); // after the step's own entered() has set what is enabled
    }

    private void focusFirstFieldUnlessInside() {
        Node v = views.get(wizard.navigation.current().get());
        Node focus = getScene() == null ? null : getScene().getFocusOwner();
        for (Node n = focus; n != null; n = n.getParent()) {
            if (n == v) {
                return; // the user is already working in the step
            }
        }
        focusFirstField();
    }

    /** Gives the keyboard to the current step's first field: the one marked "first-field", else its first control. */
    private void focusFirstField() {
        Node v = views.get(wizard.navigation.current().get());
        Node first = v.lookup(".first-field");
        if (first == null || !Ui.canTakeFocus(first)) {
            first = Ui.firstFocusable(v);
        }
        if (first != null) {
            first.requestFocus();
        }
    }

    public Wizard wizard() {
        return wizard;
    }
}
