package io.dbrescue.gui;

import io.dbrescue.plan.Decision;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Step 4: per finding the strategy the planner chose and why, and the others; a new choice re-plans. */
public final class StrategyViewModel implements StepViewModel {
    private final WizardModel model;
    private final RecoveryService service;
    private final Jobs jobs;
    private final ObservableList<Decision> decisions = FXCollections.observableArrayList();
    private final StringBinding blocked;
    private int generation;

    /** One choice shown for a finding. */
    public record Option(Strategy strategy, boolean possible, boolean chosen, String why) {
        public String label() {
            return strategy.id() + (chosen ? " (chosen)" : possible ? "" : " (not possible)") + " — " + why;
        }
    }

    public StrategyViewModel(WizardModel model, RecoveryService service, Jobs jobs) {
        this.model = model;
        this.service = service;
        this.jobs = jobs;
        blocked = Bindings.createStringBinding(() -> model.planning.get() ? "Planning…"
                        : model.planError.get() != null ? model.planError.get()
                        : model.plan.get() == null ? "No plan yet." : "",
                model.planning, model.planError, model.plan);
        model.plan.addListener((o, a, p) -> decisions.setAll(p == null ? List.of() : p.decisions()));
    }

    public ObservableList<Decision> decisions() {
        return decisions;
    }

    @Override
    public ObservableStringValue blocked() {
        return blocked;
    }

    @Override
    public void entered() {
        if (model.plan.get() == null && !model.planning.get()) {
            replan();
        }
    }

    /** The user picks another strategy for one finding: plan again with it. */
    public void choose(String path, Strategy strategy) {
        model.strategies.put(path, strategy);
        replan();
    }

    /** The user picks how older PostgreSQL data is moved (auto, dump, pg-upgrade): plan again with it. */
    public void chooseUpgradeMethod(io.dbrescue.plan.Containers.UpgradeMethod method) {
        if (method != model.upgradeMethod.get()) {
            model.upgradeMethod.set(method);
            replan();
        }
    }

    /**
     * Whether a decision is the container strategy for PostgreSQL, MariaDB or MySQL data, where the upgrade method
     * can be chosen.
     */
    public static boolean upgradeMethodApplies(Decision d) {
        return d.strategy() == Strategy.CONTAINER && io.dbrescue.Engines.of(d.engine()).inPlaceUpgrade().isPresent();
    }

    /** Plans (again) in the background; an older answer that arrives late is dropped. */
    public void replan() {
        int mine = ++generation;
        model.planning.set(true);
        model.planError.set(null);
        RecoveryRequest request = request();
        Target target = model.target.get() != null ? model.target.get() : new Target(List.of(), null, false);
        Map<String, Strategy> chosen = new HashMap<>(model.strategies);
        chosen.keySet().retainAll(request.selections());
        Map<String, String> secrets = model.secrets();
        jobs.start("plan", u -> service.plan(request, model.scan.get(), target, chosen, secrets), p -> {
            if (mine == generation) {
                model.planning.set(false);
                model.plan.set(p);
            }
        }, e -> {
            if (mine == generation) {
                model.planning.set(false);
                model.planError.set("Planning failed: " + io.dbrescue.text.Wording.forWindow(e.getMessage()));
            }
        });
    }

    /** The window's fields; the service's settings fill in the rest (as they do for the command line). */
    RecoveryRequest request() {
        io.dbrescue.app.RequestBuilder b = service.request().backup(Path.of(model.folder.get().trim()))
                .select(model.chosen.stream().map(Finding::getPath).toList())
                .onConflict(model.onConflict.get())
                .upgradeMethod(model.upgradeMethod.get());
        // each card reaches its own engines only: the PostgreSQL port never reaches MariaDB or Redis
        for (ServerCard card : model.cards()) {
            TargetOptions own = model.form(card).options();
            card.engines().forEach(e -> b.server(e, own));
        }
        return b.build();
    }

    /** The chosen strategy first (with the reason), then the others with why (not). */
    public static List<Option> options(Decision d) {
        List<Option> out = new ArrayList<>();
        if (!d.refused()) {
            out.add(new Option(d.strategy(), true, true, d.reason()));
        }
        for (Decision.Alternative a : d.alternatives()) {
            if (a.strategy() != d.strategy()) {
                out.add(new Option(a.strategy(), a.possible(), false, a.why()));
            }
        }
        return out;
    }
}
