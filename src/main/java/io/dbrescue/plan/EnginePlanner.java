package io.dbrescue.plan;

import io.dbrescue.scan.Finding;
import io.dbrescue.machine.Target;

/**
 * Plans the recovery of the findings of one engine: picks the strategy (with the reason a user can
 * read) and adds the pre-flight checks and the steps. Implemented in each engine package.
 */
public interface EnginePlanner {
    /** Whether this planner knows this kind of finding. */
    boolean handles(Finding finding);

    /**
     * Chooses a strategy for the finding. With {@code requested} AUTO the planner picks; otherwise it
     * honours the request or refuses it with the reason. Never changes anything.
     */
    Decision decide(Finding finding, Strategy requested, Target target, RecoveryRequest request);

    /**
     * Adds the checks and steps that carry out the decision. Reads the target (connects, lists) but
     * never changes it. Adds a FAIL check instead of throwing when something makes the plan impossible.
     */
    void plan(Finding finding, Decision decision, Target target, PlanContext ctx);
}
