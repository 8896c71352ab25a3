package io.dbrescue.elevate;

import io.dbrescue.run.Journal;

import java.util.Set;

/** What the helper does with a step, and in which journal states of the step it may do it. */
public enum Operation {
    /** Run it: the user's runner marks a step running just before it hands it over. */
    RUN(Set.of(Journal.StepState.RUNNING)),
    /** Undo it: after it ran, or when it was cut off. */
    UNDO(Set.of(Journal.StepState.RUNNING, Journal.StepState.DONE)),
    /** Let go of what it holds for its finding (a container): once it ran. */
    RELEASE(Set.of(Journal.StepState.RUNNING, Journal.StepState.DONE, Journal.StepState.UNDONE));

    private final Set<Journal.StepState> allowed;

    Operation(Set<Journal.StepState> allowed) {
        this.allowed = allowed;
    }

    boolean allows(Journal.StepState state) {
        return allowed.contains(state);
    }

    /** The command-line flag that asks for it ("" for a run). */
    String flag() {
        return this == RUN ? "" : "--" + name().toLowerCase(java.util.Locale.ROOT);
    }

    String verb() {
        return this == RUN ? "run" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
