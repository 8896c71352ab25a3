package io.dbrescue.gui;

import io.dbrescue.Engines;
import io.dbrescue.app.RescueService;
import io.dbrescue.history.History;
import io.dbrescue.plan.Planner;
import io.dbrescue.settings.Settings;
import io.dbrescue.machine.Target;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The window's real service for tests, made as {@code dbrescue gui} makes it (one {@link RescueService}), with the
 * default settings and the run history in a folder of the test's.
 */
final class EngineServices {
    private EngineServices() {
    }

    /** The engine as Engines wires it. */
    static EngineRecoveryService real(Path state) {
        return new EngineRecoveryService(new RescueService(settings(state), history(state), notice -> { }));
    }

    /** The real runner with this planner and this machine (discovery). */
    static EngineRecoveryService with(Path state, Planner planner, Supplier<Target> discovery) {
        return new EngineRecoveryService(new RescueService(settings(state), history(state), notice -> { }, planner,
                Engines::runner, discovery));
    }

    static Settings settings(Path state) {
        return Settings.defaults(state.resolve("recovery.conf"));
    }

    static History history(Path state) {
        return new History(state.resolve("history.jsonl"));
    }
}
