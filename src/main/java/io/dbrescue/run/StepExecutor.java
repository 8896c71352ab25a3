package io.dbrescue.run;

import io.dbrescue.plan.Step;

/**
 * Carries out one kind of {@link Step}. Executors must be safe to run again after an interruption
 * once {@link #undo} has run: the runner undoes a step that was cut off before it retries it.
 */
public interface StepExecutor {
    void run(Step step, StepContext ctx) throws Exception;

    /** Reverses what {@link #run} did (also after it was cut off half way); no-op when there is nothing to undo. */
    default void undo(Step step, StepContext ctx) throws Exception {
    }
}
