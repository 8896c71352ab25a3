package io.dbrescue.gui;

import io.dbrescue.machine.Target;
import io.dbrescue.scan.Finding;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Step 3: what this machine has, and one form per server the chosen findings go into (and one for files), filled
 * from discovery; what the user types into a form reaches the findings of that form's engines only.
 */
public final class TargetViewModel implements StepViewModel {
    private final WizardModel model;
    private final RecoveryService service;
    private final Jobs jobs;
    private final ObservableList<String> facts = FXCollections.observableArrayList();
    private final ObservableList<ServerCard> cards = FXCollections.observableArrayList();
    private final BooleanProperty discovering = new SimpleBooleanProperty();
    private final StringBinding portProblem;
    private final StringBinding blocked;
    private Described described;

    public TargetViewModel(WizardModel model, RecoveryService service, Jobs jobs) {
        this.model = model;
        this.service = service;
        this.jobs = jobs;
        List<Observable> inputs = new ArrayList<>(List.of(model.chosen));
        for (ServerCard c : ServerCard.values()) {
            inputs.add(model.form(c).port);
            // what the plan was made for is gone as soon as the user edits a form
            model.form(c).planInputs().forEach(p -> p.addListener(o -> model.plan.set(null)));
        }
        model.onConflict.addListener((o, a, b) -> model.plan.set(null));
        portProblem = Bindings.createStringBinding(this::firstPortProblem, inputs.toArray(Observable[]::new));
        blocked = Bindings.createStringBinding(() -> discovering.get() ? "Looking at this machine…"
                : portProblem.get(), discovering, portProblem);
        model.target.addListener((o, a, t) -> facts.setAll(t == null ? List.of() : describe(t)));
        model.chosen.addListener((ListChangeListener<Finding>) c -> cards.setAll(model.cards()));
        cards.setAll(model.cards());
    }

    /** The cards shown: one per server the chosen findings go into, in a fixed order. */
    public ObservableList<ServerCard> cards() {
        return cards;
    }

    /** What discovery found for one card (empty until discovery is done). */
    public List<String> cardFacts(ServerCard card) {
        Target t = model.target.get();
        if (t == null) {
            return List.of();
        }
        return described != null && described.target() == t ? described.cards().get(card) : TargetCards.describe(card, t);
    }

    /** A target with every card's facts, said when it was found. */
    private record Described(Target target, Map<ServerCard, List<String>> cards) {
    }

    private static Described described(Target t) {
        Map<ServerCard, List<String>> cards = new EnumMap<>(ServerCard.class);
        for (ServerCard c : ServerCard.values()) {
            cards.put(c, t == null ? List.of() : TargetCards.describe(c, t));
        }
        return new Described(t, cards);
    }

    private String firstPortProblem() {
        for (ServerCard c : model.cards()) {
            String p = portProblem(model.form(c).port.get());
            if (!p.isEmpty()) {
                return c.title() + ": " + p;
            }
        }
        return "";
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

    /** "What if the database already exists" choices, in words (the command line's --on-conflict). */
    public static String conflictLabel(io.dbrescue.plan.RecoveryRequest.Conflict c) {
        return switch (c) {
            case ASK -> "Stop before the run and say which names clash";
            case SKIP -> "Leave the existing database alone (skip this one)";
            case RENAME -> "Restore under a new name (NAME_restored)";
            case REPLACE -> "Replace it (after a safety dump of it)";
        };
    }

    @Override
    public ObservableStringValue blocked() {
        return blocked;
    }

    @Override
    public void entered() {
        if (model.target.get() == null && !discovering.get()) {
            discovering.set(true);
            // the cards' facts ask the servers (a greeting, a lock file): off the UI thread, with discovery
            jobs.start("discover", u -> described(service.discover()), d -> {
                discovering.set(false);
                described = d;
                model.target.set(d.target());
            }, e -> {
                discovering.set(false);
                facts.setAll("Could not look at this machine: " + e.getMessage()
                        + " Fill in the port and user of each server below.");
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

    /** The machine-wide lines: Podman and who dbrescue runs as (the servers are said on their cards). */
    static List<String> describe(Target t) {
        List<String> lines = new ArrayList<>();
        lines.add(t.podmanVersion() == null ? "Podman: not installed (needed only to run an older server version)."
                : "Podman " + t.podmanVersion() + " (runs an older server version when one is needed).");
        lines.add(t.root() ? "dbrescue runs as root." : "dbrescue runs as " + io.dbrescue.run.OsUsers.me()
                + " (not root): steps that need root are shown as commands to run by hand.");
        return lines;
    }
}
