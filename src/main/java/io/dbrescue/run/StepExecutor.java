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

    /**
     * Lets go of what the step holds only while its finding is being restored (a container running the
     * old server): called for every step that ran once the finding is finished, failed or cancelled.
     * A step planned with the parameter {@code holds=X} runs again when a run is resumed before the
     * step with {@code releases=X} is done.
     */
    default void release(Step step, StepContext ctx) throws Exception {
    }
}
