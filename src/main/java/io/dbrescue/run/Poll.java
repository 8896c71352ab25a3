package io.dbrescue.run;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one way a step waits for something outside it to happen: a server to stop, a login to work, a
 * container to answer. Asks every {@code every} until the answer is yes or the time is up; a cancel of the run
 * ends the wait at once. (Starting a server and waiting for it is {@link ServerProcess}.)
 */
public final class Poll {
    private Poll() {
    }

    /** What is waited for; it may throw to end the wait with its own failure. */
    @FunctionalInterface
    public interface Condition {
        boolean met() throws Exception;
    }

    /**
     * Waits until the condition is met.
     *
     * @param ctx the step's context (its cancel is honoured); null outside a run
     * @return true when met, false when the time was up first
     */
    public static boolean until(StepContext ctx, Duration limit, Duration every, Condition c) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!c.met()) {
            if (ctx != null) {
                ctx.checkCancelled();
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(every.toMillis());
        }
        return true;
    }
}
