package io.dbrescue.gui;

import java.util.function.Consumer;

/**
 * The one road for background work. View-models hand it a piece of work and what to do with the
 * answer; the answer, the failure and every {@link Updates#post posted} update arrive on the UI
 * thread. {@link FxJobs} runs the work in a {@code javafx.concurrent.Service}; tests run it in place.
 */
public interface Jobs {

    <T> Job start(String name, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /** Work done off the UI thread. */
    @FunctionalInterface
    interface Work<T> {
        T call(Updates updates) throws Exception;
    }

    /** What running work can use. */
    interface Updates {
        /**
         * Runs {@code update} on the UI thread. Updates under the same key are coalesced: only the
         * latest waiting one runs, so a chatty engine cannot flood the UI thread.
         */
        void post(String key, Runnable update);

        /** Runs every update (log lines: none may be dropped), in order. */
        void append(Runnable update);

        /** Whether {@link Job#cancel()} was called. */
        boolean cancelled();
    }

    /** A started piece of work. */
    interface Job {
        /** Asks the work to stop; it sees {@link Updates#cancelled()} and ends as it can. */
        void cancel();
    }
}
