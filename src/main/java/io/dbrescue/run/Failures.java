package io.dbrescue.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Turns a failed program's exit code and last lines of output into a {@link StepFailure} that names
 * the cause in plain words and the fix: the errors people actually meet (login refused, server not
 * reachable, disk full, permission denied, a port in use, a dump too new for the client...).
 */
public final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    private record Pattern(String kind, List<String> needles, String message, String fix) {
    }

    private static final List<Pattern> PATTERNS = List.of(
            new Pattern("auth", List.of("password authentication failed", "access denied for user",
                    "no password supplied", "wrongpass", "noauth authentication required",
                    "peer authentication failed", "authentication failed"),
                    "The target server refused the login.",
                    "Give the right user with --target-user and the password through the server's own mechanism "
                            + "(PGPASSWORD or ~/.pgpass for PostgreSQL, ~/.my.cnf for MariaDB/MySQL, REDISCLI_AUTH for "
                            + "Redis) — never on the command line."),
            new Pattern("unreachable", List.of("could not connect to server", "connection refused",
                    "can't connect to", "no such file or directory\n\tis the server running",
                    "is the server running", "could not connect"),
                    "The target server is not reachable.",
                    "Start it (e.g. sudo systemctl start postgresql, mariadb or redis-server) or point dbrescue at it with --target-host "
                            + "and --target-port."),
            new Pattern("disk-full", List.of("no space left on device", "disk full", "could not extend file"),
                    "The disk filled up.",
                    "Free space on the target disk (or choose another with --target-data), then run again: "
                            + "the failed step was rolled back."),
            new Pattern("port-in-use", List.of("address already in use", "could not bind", "could not create listen socket"),
                    "The port is already in use by another program.",
                    "Stop the program that uses it (ss -ltnp shows which) or choose another port with --target-port."),
            new Pattern("permission", List.of("permission denied", "operation not permitted", "must be owner",
                    "must be superuser", "insufficient privilege"),
                    "Permission denied.",
                    "Run dbrescue as root (sudo), or as the user that owns the target data (--run-as USER)."),
            new Pattern("version-mismatch", List.of("unsupported version", "server version mismatch",
                    "aborting because of server version mismatch", "database files are incompatible with server"),
                    "The versions do not match.",
                    "Install the client or server version the message names (see the pre-flight checks) and run "
                            + "again, or pick another strategy."),
            new Pattern("damaged", List.of("unexpected end of file", "could not read from input file",
                    "invalid data", "corrupt", "did not find magic string", "input file appears to be a text format dump",
                    "integrity check failed", "rdb error detected", "short read or oom loading db",
                    "wrong signature trying to load db", "bad file format reading the append only file"),
                    "The file could not be read.",
                    "It is probably damaged or cut short: run dbrescue scan on it and look for another copy."));

    /**
     * A failure for a program that exited with a non-zero code: what failed, the kind of cause in words,
     * and the one line of the program's output that states the cause ({@link #cause}); the output's last
     * lines go to the log file.
     */
    public static StepFailure of(String what, Exec.Result r) {
        String output = r.stderrTail() + "\n" + r.stdoutTail();
        String text = output.toLowerCase(Locale.ROOT);
        String program = program(r.argv());
        String said = cause(output);
        LOG.info("{} failed ({} exit code {}); its last lines:\n{}", what, program, r.exitCode(),
                lastLines(r.stderrTail().isBlank() ? r.stdoutTail() : r.stderrTail(), 20));
        for (Pattern p : PATTERNS) {
            for (String n : p.needles()) {
                if (text.contains(n)) {
                    return new StepFailure(p.kind(), what + " failed: " + p.message()
                            + (said.isEmpty() ? "" : " " + program + " said: " + said), p.fix());
                }
            }
        }
        return new StepFailure("tool-failed", what + " failed (" + program + " exit code " + r.exitCode() + ")"
                + (said.isEmpty() ? "." : ": " + said), "The log file has the program's last lines and the full command.");
    }

    /**
     * Lines that state why a program failed, best first; group 1 is the cause. The first line that matches
     * the first pattern that matches wins: later lines are mostly consequences ("Terminating server...").
     */
    private static final List<java.util.regex.Pattern> CAUSES = List.of(
            // Redis: "# Internal error in RDB reading offset 0, function at rdb.c:2275 -> Hash ziplist integrity check failed."
            java.util.regex.Pattern.compile("Internal error in RDB reading.*?->\\s*(.+)"),
            // PostgreSQL and its tools: "FATAL:  password authentication failed", "pg_restore: error: ..."
            java.util.regex.Pattern.compile("\\b(?:FATAL|PANIC|ERROR):\\s+(.+)"),
            java.util.regex.Pattern.compile("^[\\w./-]+: (?:error|fatal): (.+)"),
            // MariaDB / MySQL: "ERROR 1045 (28000): Access denied ...", server log "[ERROR] ..."
            java.util.regex.Pattern.compile("^ERROR \\d+ \\([\\w]+\\)(?: at line \\d+)?: (.+)"),
            java.util.regex.Pattern.compile("\\[ERROR\\]\\s+(?:\\[[^]]*\\]\\s*)*(.+)"),
            // Redis log lines of level warning ('#') that say what went wrong
            java.util.regex.Pattern.compile("(?i)^\\d+:[A-Z] .*? # (.*(?:error|fail|can't|cannot|bad|wrong|short read"
                    + "|unrecoverable|corrupt).*)"),
            java.util.regex.Pattern.compile("(?i)^(.*\\berror\\b.*)"));

    /** The one line of a program's output that says why it failed; the last line when none looks like a cause. */
    public static String cause(String output) {
        String[] lines = output == null ? new String[0] : output.strip().split("\n");
        for (java.util.regex.Pattern p : CAUSES) {
            for (String line : lines) {
                java.util.regex.Matcher m = p.matcher(line.strip());
                if (m.find() && !m.group(1).isBlank()) {
                    return m.group(1).strip();
                }
            }
        }
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "";
    }

    /** The program a command line runs, past setsid / runuser -u USER -- / sudo -u USER. */
    static String program(List<String> argv) {
        int i = 0;
        while (i < argv.size()) {
            String a = argv.get(i);
            if (a.equals("setsid") || a.endsWith("/setsid") || a.equals("--")) {
                i++;
            } else if ((a.equals("runuser") || a.equals("sudo")) && i + 2 < argv.size() && argv.get(i + 1).equals("-u")) {
                i += 3;
            } else {
                break;
            }
        }
        String program = i < argv.size() ? argv.get(i) : argv.isEmpty() ? "the program" : argv.get(0);
        return Path.of(program).getFileName().toString();
    }

    /** A failure for a program that could not be started at all. */
    public static StepFailure missingProgram(String program, String packageHint) {
        return new StepFailure("missing-binary", program + " is not installed (or not where dbrescue looked).",
                packageHint == null ? "Install it, or give its folder with --target-bin." : packageHint);
    }

    /** The last lines, indented under the sentence that quotes them. */
    static String lastLines(String text, int n) {
        return io.dbrescue.text.Lines.last(text, n).stream().map(l -> "  " + l)
                .collect(java.util.stream.Collectors.joining("\n"));
    }
}
