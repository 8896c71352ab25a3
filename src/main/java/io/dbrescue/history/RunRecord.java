package io.dbrescue.history;

import java.time.Instant;
import java.util.Objects;

/**
 * One recovery as history keeps it: one JSON line in history.jsonl.
 *
 * @param runId          the run's id (the journal's id, so the two can be matched)
 * @param startedAt      when it started
 * @param engine         the engine id (postgresql, mariadb, …)
 * @param strategy       direct, container_based or dump_restore
 * @param sourcePath     what was restored (path of the finding in the backup)
 * @param bytes          bytes copied or restored
 * @param durationMillis wall-clock time of the run
 * @param outcome        success, partial, failed or cancelled
 * @param errorKind      for failures, a short stable kind (disk-full, tool-missing, …); null on success
 */
public record RunRecord(String runId, Instant startedAt, String engine, String strategy, String sourcePath,
                        long bytes, long durationMillis, Outcome outcome, String errorKind) {
    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(outcome, "outcome");
    }
}
