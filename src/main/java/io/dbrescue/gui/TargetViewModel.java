package io.dbrescue.gui;

import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.text.Sizes;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Step 3: what this machine has, and what the user says discovery cannot know (port, user, password). */
public final class TargetViewModel implements StepViewModel {
    private final WizardModel model;
    private final RecoveryService service;
    private final Jobs jobs;
    private final ObservableList<String> facts = FXCollections.observableArrayList();
    private final BooleanProperty discovering = new SimpleBooleanProperty();
    private final StringBinding portProblem;
    private final StringBinding blocked;

    public TargetViewModel(WizardModel model, RecoveryService service, Jobs jobs) {
        this.model = model;
        this.service = service;
        this.jobs = jobs;
        portProblem = Bindings.createStringBinding(() -> portProblem(model.port.get()), model.port);
        blocked = Bindings.createStringBinding(() -> discovering.get() ? "Looking at this machine…"
                : portProblem.get(), discovering, portProblem);
        // what the plan was made for is gone as soon as the user edits the target
        model.host.addListener((o, a, b) -> model.plan.set(null));
        model.port.addListener((o, a, b) -> model.plan.set(null));
        model.user.addListener((o, a, b) -> model.plan.set(null));
        model.dataDir.addListener((o, a, b) -> model.plan.set(null));
        model.target.addListener((o, a, t) -> facts.setAll(t == null ? List.of() : describe(t)));
    }

    public WizardModel model() {
        return model;
    }

    /** One line per server, data directory, Podman, user and free space. */
    public ObservableList<String> facts() {
        return facts;
    }

    public ObservableStringValue portProblem() {
        return portProblem;
    }

    @Override
    public ObservableStringValue blocked() {
        return blocked;
    }

    @Override
    public void entered() {
        if (model.target.get() == null && !discovering.get()) {
            discovering.set(true);
            jobs.start("discover", u -> service.discover(), t -> {
                discovering.set(false);
                model.target.set(t);
            }, e -> {
                discovering.set(false);
                facts.setAll("Could not look at this machine: " + e.getMessage()
                        + " Fill in the port and user of the target server below.");
            });
        }
    }

    /** Whether the run will need root steps typed by hand (we are not root). */
    public boolean root() {
        Target t = model.target.get();
        return t != null && t.root();
    }

    static String portProblem(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return "";
        }
        try {
            int p = Integer.parseInt(t);
            if (p >= 1 && p <= 65535) {
                return "";
            }
        } catch (NumberFormatException ignored) {
            // explained below
        }
        return "The port must be a number from 1 to 65535 (PostgreSQL usually listens on 5432, "
                + "MariaDB on 3306, Redis on 6379), or empty for what dbrescue finds.";
    }

    static List<String> describe(Target t) {
        List<String> lines = new ArrayList<>();
        if (t.servers().isEmpty()) {
            lines.add("No database server was found on this machine. Install the server you need "
                    + "(e.g. apt install postgresql) or give its port and user below.");
        }
        for (InstalledServer s : t.servers()) {
            lines.add(s.engine().displayName() + " " + (s.version() == null ? "(version unknown)" : s.version())
                    + " — programs in " + s.binDir());
            for (InstalledServer.Cluster c : s.clusters()) {
                lines.add("    data in " + c.dataDir() + (c.port() == null ? "" : ", port " + c.port())
                        + (c.running() ? ", running" : ", stopped") + (c.owner() == null ? "" : ", owned by " + c.owner()));
            }
        }
        lines.add(t.podmanVersion() == null ? "Podman: not installed (needed only to run an older server version)"
                : "Podman " + t.podmanVersion());
        lines.add(t.root() ? "dbrescue runs as root." : "dbrescue runs as " + System.getProperty("user.name")
                + " (not root): steps that need root are shown as commands to run by hand.");
        File home = new File(System.getProperty("user.home"));
        File varLib = new File("/var/lib");
        lines.add("Free space: " + Sizes.human(varLib.getUsableSpace()) + " in /var/lib, "
                + Sizes.human(home.getUsableSpace()) + " in " + home);
        return lines;
    }
}
