package io.dbrescue.plan;

import io.dbrescue.scan.Engine;

import java.util.List;

/**
 * What will happen to one finding: the chosen strategy and why, and the other strategies with why
 * not. {@code strategy} is null when the finding cannot be restored (the reason says why).
 */
public record Decision(String path, Engine engine, String kind, String version, Strategy strategy, String reason,
                       List<Alternative> alternatives) {
    /** Another strategy: whether it could be chosen, and why (not). */
    public record Alternative(Strategy strategy, boolean possible, String why) {
    }

    public boolean refused() {
        return strategy == null;
    }
}
