package io.dbrescue.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Logs every external command the engine runs: argv, the environment entries it set, exit code,
 * duration and the tail of stderr — redacted first, so a password never reaches the log or the
 * debug bundle. Successful commands are logged at info (their stderr at debug), failed ones at warn.
 */
public final class CommandLog {
    private static final Logger LOG = LoggerFactory.getLogger(CommandLog.class);
    public static final int TAIL_LINES = 20;
    public static final int TAIL_CHARS = 4000;

    private final Redactor redactor;
    private final DebugBundle bundle;

    /** @param bundle where commands are also collected for --save-debug-log; null when not saving one */
    public CommandLog(Redactor redactor, DebugBundle bundle) {
        this.redactor = redactor;
        this.bundle = bundle;
    }

    /** The redacted record of a command that ran; logs it and adds it to the debug bundle. */
    public CommandRecord finished(List<String> argv, Map<String, String> environment, int exitCode, Duration duration,
                                  String stderr) {
        return finished(argv, environment, exitCode, duration, stderr, false);
    }

    /**
     * As {@link #finished(List, Map, int, Duration, String)}; a probe (a question answered by the exit code,
     * such as podman image exists) is logged at info whatever its exit code.
     */
    public CommandRecord finished(List<String> argv, Map<String, String> environment, int exitCode, Duration duration,
                                  String stderr, boolean probe) {
        CommandRecord r = new CommandRecord(redactor.redactArgv(argv), redactor.redactEnv(environment), exitCode,
                duration.toMillis(), redactor.redact(tail(stderr)));
        String env = r.environment().isEmpty() ? "" : " with " + r.environment();
        if (exitCode == 0 || probe) {
            LOG.info("ran {}{}: exit {} in {} ms", r.argv(), env, exitCode, r.durationMillis());
            if (!r.stderrTail().isEmpty()) {
                LOG.debug("stderr of {}:\n{}", r.argv().get(0), r.stderrTail());
            }
        } else {
            LOG.warn("ran {}{}: exit {} in {} ms; end of its stderr:\n{}", r.argv(), env, exitCode,
                    r.durationMillis(), r.stderrTail());
        }
        if (bundle != null) {
            bundle.recordCommand(r);
        }
        return r;
    }

    /** A command that could not be started (program missing, not executable). */
    public CommandRecord failedToStart(List<String> argv, Map<String, String> environment, Exception error) {
        CommandRecord r = new CommandRecord(redactor.redactArgv(argv), redactor.redactEnv(environment), -1, 0,
                redactor.redact(String.valueOf(error.getMessage())));
        LOG.warn("could not start {}: {}", r.argv(), r.stderrTail());
        if (bundle != null) {
            bundle.recordCommand(r);
        }
        return r;
    }

    /** The last {@value #TAIL_LINES} lines (at most {@value #TAIL_CHARS} characters) of a program's output. */
    public static String tail(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        List<String> lines = Arrays.asList(text.strip().split("\r?\n"));
        String t = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        return t.length() > TAIL_CHARS ? "…" + t.substring(t.length() - TAIL_CHARS) : t;
    }
}
