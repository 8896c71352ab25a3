package io.dbrescue.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a run ended, per finding; {@link #exitCode()} is the documented exit code of {@code recover}.
 *
 * @param rolledBack when cancelled: whether the finding in progress was undone entirely (the target as it
 *                   was before it), or only its step in progress (stopped here, to be resumed)
 */
public record RunResult(String runId, List<GroupResult> groups, boolean cancelled, Path journal, boolean rolledBack) {

    public RunResult(String runId, List<GroupResult> groups, boolean cancelled, Path journal) {
        this(runId, groups, cancelled, journal, false);
    }

    /** Exit codes of {@code recover}, documented in the README. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int PARTIAL = 3;
    public static final int PREFLIGHT_FAILED = 4;
    /** Everything selected is in place, but a verification could not run (its login was refused): check by hand. */
    public static final int NOT_VERIFIED = 5;
    /** A step reports this key (with the reason) when its verification could not run. */
    public static final String NOT_VERIFIED_KEY = "notVerified";
    public static final int CANCELLED = 130;

    /** One finding's outcome, with the reason and fix when it failed and what verification found. */
    public record GroupResult(String group, Journal.Outcome outcome, String message, String fix, String errorKind,
                              Map<String, Object> report) {
        /** Restored, but its verification did not run. */
        public boolean notVerified() {
            return outcome == Journal.Outcome.RESTORED && report != null && report.containsKey(NOT_VERIFIED_KEY);
        }
    }

    public long count(Journal.Outcome outcome) {
        return groups.stream().filter(g -> g.outcome() == outcome).count();
    }

    public int exitCode() {
        if (cancelled) {
            return CANCELLED;
        }
        long restored = count(Journal.Outcome.RESTORED);
        long failed = count(Journal.Outcome.FAILED);
        if (failed == 0) {
            return groups.stream().anyMatch(GroupResult::notVerified) ? NOT_VERIFIED : OK;
        }
        return restored > 0 ? PARTIAL : FAILED;
    }
}
