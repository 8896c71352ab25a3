package io.dbrescue.run;

/** Receives progress from a running recovery (called from the runner's thread; adapt it for a UI). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = e -> { };

    void progress(ProgressEvent event);
}
