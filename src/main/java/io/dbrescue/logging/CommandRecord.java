package io.dbrescue.logging;

import java.util.List;
import java.util.Map;

/**
 * One external command as it may be logged (already redacted): its arguments, the environment
 * entries dbrescue set for it, exit code (-1 when it could not start or was killed), how long it
 * ran and the last lines of its stderr.
 */
public record CommandRecord(List<String> argv, Map<String, String> environment, int exitCode, long durationMillis,
                            String stderrTail) {
    public CommandRecord {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }
}
