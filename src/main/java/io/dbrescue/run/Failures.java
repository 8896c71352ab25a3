package io.dbrescue.run;

import java.util.List;
import java.util.Locale;

/**
 * Turns a failed program's exit code and last lines of output into a {@link StepFailure} that names
 * the cause in plain words and the fix: the errors people actually meet (login refused, server not
 * reachable, disk full, permission denied, a port in use, a dump too new for the client...).
 */
public final class Failures {
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
                    "Start it (e.g. sudo systemctl start postgresql) or point dbrescue at it with --target-host "
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
                    "invalid data", "corrupt", "did not find magic string", "input file appears to be a text format dump"),
                    "The dump could not be read.",
                    "It is probably damaged or cut short: run dbrescue scan on it and look for another copy."));

    /** A failure for a program that exited with a non-zero code. */
    public static StepFailure of(String what, Exec.Result r) {
        String text = (r.stderrTail() + "\n" + r.stdoutTail()).toLowerCase(Locale.ROOT);
        String tail = lastLines(r.stderrTail().isBlank() ? r.stdoutTail() : r.stderrTail(), 6);
        for (Pattern p : PATTERNS) {
            for (String n : p.needles()) {
                if (text.contains(n)) {
                    return new StepFailure(p.kind(), what + " failed: " + p.message() + " The program said:\n" + tail,
                            p.fix());
                }
            }
        }
        return new StepFailure("tool-failed", what + " failed (" + r.argv().get(0) + " exit code " + r.exitCode()
                + "). The program said:\n" + tail, "Read the lines above; the full command is in the log.");
    }

    /** A failure for a program that could not be started at all. */
    public static StepFailure missingProgram(String program, String packageHint) {
        return new StepFailure("missing-binary", program + " is not installed (or not where dbrescue looked).",
                packageHint == null ? "Install it, or give its folder with --target-bin." : packageHint);
    }

    static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - n);
        StringBuilder b = new StringBuilder();
        for (int i = from; i < lines.length; i++) {
            b.append("  ").append(lines[i]).append(i < lines.length - 1 ? "\n" : "");
        }
        return b.toString();
    }
}
