package io.dbrescue.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Logs every external command dbrescue runs ({@code Exec} reports each one here, whoever started it: a step,
 * a planner, discovery): argv, the environment entries it set, exit code, duration and the tail of stderr —
 * redacted first, so a password never reaches the log or the debug bundle. Successful commands are logged at
 * info (their stderr at debug), failed ones at warn. Each event carries the redacted {@link CommandRecord}
 * under {@link #RECORD}: that is how {@code --save-debug-log} collects them ({@link LogSetup#collectCommands}),
 * so this class holds no state and nothing has to be handed a command log.
 */
public final class CommandLog {
    private static final Logger LOG = LoggerFactory.getLogger(CommandLog.class);
    public static final int TAIL_LINES = 20;
    public static final int TAIL_CHARS = 4000;
    /** The key of the {@link CommandRecord} on each command's log event. */
    public static final String RECORD = "dbrescue.command";

    private CommandLog() {
    }

    /** The redacted record of a command that ran; logs it (and so adds it to a debug bundle being collected). */
    public static CommandRecord finished(List<String> argv, Map<String, String> environment, int exitCode,
                                         Duration duration, String stderr) {
        return finished(argv, environment, exitCode, duration, stderr, false);
    }

    /**
     * As {@link #finished(List, Map, int, Duration, String)}; a probe (a question answered by the exit code,
     * such as podman image exists) is logged at info whatever its exit code.
     */
    public static CommandRecord finished(List<String> argv, Map<String, String> environment, int exitCode,
                                         Duration duration, String stderr, boolean probe) {
        Redactor redactor = Redactor.global();
        CommandRecord r = new CommandRecord(redactor.redactArgv(argv), redactor.redactEnv(environment), exitCode,
                duration.toMillis(), redactor.redact(tail(stderr)));
        String env = r.environment().isEmpty() ? "" : " with " + r.environment();
        if (exitCode == 0 || probe) {
            LOG.atInfo().addKeyValue(RECORD, r).log("ran {}{}: exit {} in {} ms", r.argv(), env, exitCode,
                    r.durationMillis());
            if (!r.stderrTail().isEmpty()) {
                LOG.debug("stderr of {}:\n{}", r.argv().get(0), r.stderrTail());
            }
        } else {
            LOG.atWarn().addKeyValue(RECORD, r).log("ran {}{}: exit {} in {} ms; end of its stderr:\n{}", r.argv(), env,
                    exitCode, r.durationMillis(), r.stderrTail());
        }
        return r;
    }

    /** A command that could not be started (program missing, not executable). */
    public static CommandRecord failedToStart(List<String> argv, Map<String, String> environment, Exception error) {
        Redactor redactor = Redactor.global();
        CommandRecord r = new CommandRecord(redactor.redactArgv(argv), redactor.redactEnv(environment), -1, 0,
                redactor.redact(String.valueOf(error.getMessage())));
        LOG.atWarn().addKeyValue(RECORD, r).log("could not start {}: {}", r.argv(), r.stderrTail());
        return r;
    }

    /** The last {@value #TAIL_LINES} lines (at most {@value #TAIL_CHARS} characters) of a program's output. */
    public static String tail(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String t = io.dbrescue.text.Lines.lastText(text, TAIL_LINES);
        return t.length() > TAIL_CHARS ? "…" + t.substring(t.length() - TAIL_CHARS) : t;
    }
}
