package io.dbrescue.run;

/**
 * Where a run stands. Overall progress is weighted by bytes, not by step count.
 *
 * @param phase          "preflight", "step", "verify", "rollback", "done", "failed", "cancelled"
 * @param stepId         the current step ("2.3"), or null
 * @param stepTitle      what the current step does
 * @param stepDone       bytes done in the current step
 * @param stepTotal      bytes of the current step (0 for quick steps)
 * @param done           bytes done in the whole run
 * @param total          bytes of the whole run
 * @param bytesPerSecond recent throughput (0 when unknown)
 * @param etaSeconds     estimated seconds left (-1 when unknown)
 * @param message        a line for the log, or null
 */
public record ProgressEvent(String runId, String phase, String stepId, String stepTitle, long stepDone,
                            long stepTotal, long done, long total, double bytesPerSecond, long etaSeconds,
                            String message) {
    public double fraction() {
        return total <= 0 ? 0 : Math.min(1.0, (double) done / total);
    }
}
