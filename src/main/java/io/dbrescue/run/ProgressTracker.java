package io.dbrescue.run;

/**
 * Turns "bytes done in this step" into overall progress, throughput and ETA.
 * <ul>
 * <li>Progress is weighted by bytes.</li>
 * <li>The throughput shown is a moving average of the last seconds (it follows changes of speed).</li>
 * <li>The ETA uses the average rate of all byte-moving work so far (steady, not thrown by a burst of
 *     small files or a cold cache) plus the time the remaining quick steps (stop, start, verify: no
 *     bytes) will take, estimated from the quick steps done so far (one second each until one is done).</li>
 * </ul>
 * Events are rate-limited to about ten a second.
 */
final class ProgressTracker {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;
    private static final double DEFAULT_QUICK_STEP_SECONDS = 1.0;
    private final String runId;
    private final long total;
    private final ProgressListener listener;
    private long doneBeforeStep;
    private String stepId;
    private String stepTitle;
    private long stepTotal;
    private long stepDone;
    private long stepStartNanos;
    // throughput shown: moving average
    private double recentRate;
    private long lastNanos = System.nanoTime();
    private long lastDone;
    private long lastEventNanos;
    // ETA: average over byte-moving steps, and the time of quick steps
    private long bytesMoved;
    private long byteStepNanos;
    private int quickStepsLeft;
    private int quickStepsDone;
    private long quickStepNanos;

    ProgressTracker(String runId, long total, long alreadyDone, ProgressListener listener) {
        this(runId, total, alreadyDone, 0, listener);
    }

    /** @param quickSteps how many steps of the run move no bytes (their time is added to the ETA) */
    ProgressTracker(String runId, long total, long alreadyDone, int quickSteps, ProgressListener listener) {
        this.runId = runId;
        this.total = total;
        this.doneBeforeStep = alreadyDone;
        this.lastDone = alreadyDone;
        this.quickStepsLeft = quickSteps;
        this.listener = listener;
    }

    synchronized void startStep(String id, String title, long bytes) {
        stepId = id;
        stepTitle = title;
        stepTotal = bytes;
        stepDone = 0;
        stepStartNanos = System.nanoTime();
        emit("step", "Step " + id + ": " + title, true);
    }

    /** Bytes done so far in the current step (monotonic). */
    synchronized void stepProgress(long bytesDone) {
        stepDone = Math.min(Math.max(bytesDone, stepDone), Math.max(stepTotal, bytesDone));
        emit("step", null, false);
    }

    /** The step is over: its whole weight counts as done (whatever the executor reported). */
    synchronized void finishStep() {
        long took = System.nanoTime() - stepStartNanos;
        if (stepTotal > 0) {
            bytesMoved += stepTotal;
            byteStepNanos += took;
        } else {
            quickStepsDone++;
            quickStepNanos += took;
            quickStepsLeft = Math.max(0, quickStepsLeft - 1);
        }
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
            recentRate = recentRate == 0 ? recent : 0.7 * recentRate + 0.3 * recent;
            lastNanos = now;
            lastDone = done;
        }
        if (!force && now - lastEventNanos < MIN_INTERVAL_NANOS) {
            return;
        }
        lastEventNanos = now;
        listener.progress(new ProgressEvent(runId, phase, stepId, stepTitle, Math.min(stepDone, stepTotal),
                stepTotal, done, total, recentRate, eta(now, done), message));
    }

    /** Seconds left: bytes left at the average rate so far, plus the quick steps still to come; -1 when unknown. */
    private long eta(long now, long done) {
        long moved = bytesMoved + (stepTotal > 0 ? Math.min(stepDone, stepTotal) : 0);
        long nanos = byteStepNanos + (stepTotal > 0 ? now - stepStartNanos : 0);
        long bytesLeft = total - done;
        if (bytesLeft > 0 && (moved == 0 || nanos < 200_000_000L)) {
            return -1; // no rate yet
        }
        double bytesSeconds = bytesLeft <= 0 ? 0 : bytesLeft / (moved / (nanos / 1e9));
        double perQuickStep = quickStepsDone == 0 ? DEFAULT_QUICK_STEP_SECONDS : quickStepNanos / 1e9 / quickStepsDone;
        int quickLeft = quickStepsLeft - (stepTotal == 0 && stepId != null ? 1 : 0);
        double quickSeconds = Math.max(0, quickLeft) * perQuickStep;
        return Math.round(bytesSeconds + quickSeconds);
    }
}
