package io.dbrescue.run;

/**
 * Turns "bytes done in this step" into overall progress, throughput and ETA. Throughput is a moving
 * average over the last seconds so that the ETA follows changes of speed without jumping on each event.
 * Events are rate-limited to about ten a second.
 */
final class ProgressTracker {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;
    private final String runId;
    private final long total;
    private final ProgressListener listener;
    private long doneBeforeStep;
    private String stepId;
    private String stepTitle;
    private long stepTotal;
    private long stepDone;
    private double rate;
    private long lastNanos = System.nanoTime();
    private long lastDone;
    private long lastEventNanos;

    ProgressTracker(String runId, long total, long alreadyDone, ProgressListener listener) {
        this.runId = runId;
        this.total = total;
        this.doneBeforeStep = alreadyDone;
        this.lastDone = alreadyDone;
        this.listener = listener;
    }

    synchronized void startStep(String id, String title, long bytes) {
        stepId = id;
        stepTitle = title;
        stepTotal = bytes;
        stepDone = 0;
        emit("step", "Step " + id + ": " + title, true);
    }

    /** Bytes done so far in the current step (monotonic). */
    synchronized void stepProgress(long bytesDone) {
        stepDone = Math.min(Math.max(bytesDone, stepDone), Math.max(stepTotal, bytesDone));
        emit("step", null, false);
    }

    /** The step is over: its whole weight counts as done (whatever the executor reported). */
    synchronized void finishStep() {
        stepDone = stepTotal;
        emit("step", null, true);
        doneBeforeStep += stepTotal;
        stepDone = 0;
        stepTotal = 0;
    }

    synchronized void message(String phase, String message) {
        emit(phase, message, true);
    }

    private void emit(String phase, String message, boolean force) {
        long now = System.nanoTime();
        long done = Math.min(total, doneBeforeStep + Math.min(stepDone, stepTotal));
        double seconds = (now - lastNanos) / 1e9;
        if (seconds >= 0.5) {
            double recent = (done - lastDone) / seconds;
            rate = rate == 0 ? recent : 0.7 * rate + 0.3 * recent;
            lastNanos = now;
            lastDone = done;
        }
        if (!force && now - lastEventNanos < MIN_INTERVAL_NANOS) {
            return;
        }
        lastEventNanos = now;
        long eta = rate > 0 ? Math.round((total - done) / rate) : -1;
        listener.progress(new ProgressEvent(runId, phase, stepId, stepTitle, Math.min(stepDone, stepTotal),
                stepTotal, done, total, rate, eta, message));
    }
}
