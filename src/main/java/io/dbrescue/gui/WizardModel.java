package io.dbrescue.gui;

import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.RunResult;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.machine.Target;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

import io.dbrescue.scan.Engine;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the steps share: the folder, what the scan found and which findings were chosen, the
 * target and the user's overrides, the plan, the run's result. Properties only, no controls.
 * The password lives here (in memory) and nowhere else.
 */
public final class WizardModel {
    public final StringProperty folder = new SimpleStringProperty("");
    public final ObjectProperty<ScanResult> scan = new SimpleObjectProperty<>();
    public final ObservableList<Finding> chosen = FXCollections.observableArrayList();
    public final ObjectProperty<Target> target = new SimpleObjectProperty<>();
    /** One form per server (and one for files): each reaches the findings of its own engines only. */
    private final Map<ServerCard, ServerForm> forms = new EnumMap<>(ServerCard.class);
    public final ObservableMap<String, Strategy> strategies = FXCollections.observableHashMap();
    /** How older PostgreSQL data is moved by the container strategy (the window's --upgrade-method). */
    /** What happens to a database that already exists in the target under the same name (the Target step). */
    public final ObjectProperty<io.dbrescue.plan.RecoveryRequest.Conflict> onConflict =
            new SimpleObjectProperty<>(io.dbrescue.plan.RecoveryRequest.Conflict.ASK);
    public final ObjectProperty<io.dbrescue.plan.Containers.UpgradeMethod> upgradeMethod =
            new SimpleObjectProperty<>(io.dbrescue.plan.Containers.UpgradeMethod.AUTO);
    public final ObjectProperty<Plan> plan = new SimpleObjectProperty<>();
    public final BooleanProperty planning = new SimpleBooleanProperty();
    public final StringProperty planError = new SimpleStringProperty();
    public final BooleanProperty dryRunOnly = new SimpleBooleanProperty();
    /** Set when the run starts: from then on there is no way back. */
    public final BooleanProperty runStarted = new SimpleBooleanProperty();
    public final BooleanProperty running = new SimpleBooleanProperty();
    public final ObjectProperty<RunResult> result = new SimpleObjectProperty<>();
    /** The journal to resume instead of running the plan (the "resume an interrupted run" road). */
    public final StringProperty resumeRunId = new SimpleStringProperty();

    public WizardModel() {
        for (ServerCard c : ServerCard.values()) {
            forms.put(c, new ServerForm(c));
        }
    }

    public ServerForm form(ServerCard card) {
        return forms.get(card);
    }

    public ServerForm form(Engine engine) {
        return forms.get(ServerCard.of(engine));
    }

    /** The cards of the engines of the chosen findings, in the cards' order. */
    public List<ServerCard> cards() {
        return chosen.stream().map(f -> ServerCard.of(f.getEngine())).distinct().sorted().toList();
    }

    /**
     * Each card's password goes to the tools of its own engines only, as the engine's own variable, in memory
     * only: the PostgreSQL card's as PGPASSWORD, never to MariaDB or Redis.
     */
    public Map<String, String> secrets() {
        Map<String, String> env = new HashMap<>();
        for (Engine engine : chosen.stream().map(Finding::getEngine).distinct().toList()) {
            String pw = form(engine).password.get();
            String variable = passwordVariable(engine);
            if (variable != null && pw != null && !pw.isEmpty()) {
                env.put(variable, pw);
            }
        }
        return env;
    }

    /** The variable an engine's tools read their password from; null for files, which have none. */
    static String passwordVariable(Engine engine) {
        return io.dbrescue.Engines.of(engine).passwordVariable().orElse(null);
    }
}
