package io.dbrescue.history;

/**
 * What history adds up to for one engine. Cancelled runs are counted but left out of the success
 * rate (a person stopped them; the tool did not fail); the average restore time is over successful
 * runs only (a failure's time says nothing about how long a restore takes).
 *
 * @param successRate successes / (success + partial + failed), 0..1; NaN when there is none
 * @param averageMillis mean duration of successful runs; NaN when there is none
 */
public record EngineStats(String engine, int runs, int successes, int partial, int failed, int cancelled,
                          double successRate, double averageMillis) {
}
