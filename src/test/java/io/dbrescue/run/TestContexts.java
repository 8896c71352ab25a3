package io.dbrescue.run;

import java.nio.file.Path;

/** A step context for unit tests of executors in other packages (the constructor is the runner's). */
public final class TestContexts {
    private TestContexts() {
    }

    /** A context whose run folder is {@code runDir}, without a plan, progress going nowhere. */
    public static StepContext inFolder(Path runDir) {
        return new StepContext(null, runDir, new ProgressTracker("t", 0, 0, e -> { }), () -> false,
                Secrets.environment());
    }
}
