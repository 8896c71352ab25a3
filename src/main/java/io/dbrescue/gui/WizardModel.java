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
    public final StringProperty host = new SimpleStringProperty("");
    public final StringProperty port = new SimpleStringProperty("");
    public final StringProperty user = new SimpleStringProperty("");
    /** Where data directories and SQLite files go, when discovery cannot say (--target-data). */
    public final StringProperty dataDir = new SimpleStringProperty("");
    /** Never written anywhere: handed to the run in memory only. */
    public final StringProperty password = new SimpleStringProperty("");
    public final ObservableMap<String, Strategy> strategies = FXCollections.observableHashMap();
    /** How older PostgreSQL data is moved by the container strategy (the window's --upgrade-method). */
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

    /** The password goes to the tools as the engine's own variable, in memory only. */
    public Map<String, String> secrets() {
        String pw = password.get();
        if (pw == null || pw.isEmpty()) {
            return Map.of();
        }
        Map<String, String> env = new HashMap<>();
        List<String> engines = chosen.stream().map(f -> f.getEngine().id()).distinct().toList();
        for (String engine : engines) {
            switch (engine) {
                case "postgresql" -> env.put("PGPASSWORD", pw);
                case "mysql", "mariadb" -> env.put("MYSQL_PWD", pw);
                case "redis" -> env.put("REDISCLI_AUTH", pw);
                default -> { }
            }
        }
        return env;
    }
}
