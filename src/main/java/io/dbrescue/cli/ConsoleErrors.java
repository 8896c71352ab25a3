package io.dbrescue.cli;

import io.dbrescue.logging.LogSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;

/**
 * What the console shows when a command cannot run: one line in words, never a stack trace (the trace
 * goes to the log file; {@code --debug} shows it on stderr too). Covers the three ways an error can reach
 * the console: a bad argument (picocli's parameter exception), an exception out of a command, and an
 * exception in another thread.
 */
public final class ConsoleErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleErrors.class);
    /** Exit code of a command stopped by an error dbrescue did not expect (a bug). */
    public static final int UNEXPECTED = 1;

    private ConsoleErrors() {
    }

    /** A bad option or argument: what is wrong and where the options are listed; exit 2. */
    public static int badArguments(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String hint = "";
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            hint = " Did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        err.println("dbrescue: " + sentence(ex.getMessage()) + hint + " (`" + cmd.getCommandSpec().qualifiedName()
                + " --help` lists the options.)");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** An exception out of a command: one line on stderr, the trace in the log file; exit 1. */
    public static int unexpected(Exception e, CommandLine cmd, RunContext context) {
        LOG.error(LogSetup.FILE_ONLY, "{} stopped by an unexpected error", cmd.getCommandSpec().qualifiedName(), e);
        PrintWriter err = cmd.getErr();
        String details = context != null && context.logFile().isPresent()
                ? "The details are in " + context.logFile().get() : "Run it again with --debug to see the details";
        String command = cmd.getCommandSpec().qualifiedName().replaceFirst("^dbrescue ?", "");
        err.println("dbrescue: " + (command.isEmpty() ? "" : command + " ") + "stopped by an unexpected error: "
                + describe(e) + ". " + details + "; please report it (--save-debug-log FILE makes a file to attach).");
        err.flush();
        return UNEXPECTED;
    }

    /** An exception no one caught in another thread: one line on stderr, the trace in the log file. */
    public static void uncaught(Thread thread, Throwable e) {
        LOG.error(LogSetup.FILE_ONLY, "uncaught in thread {}", thread.getName(), e);
        System.err.println("dbrescue: unexpected error in " + thread.getName() + ": " + describe(e)
                + ". The log file has the details (--debug shows them here).");
        System.err.flush();
    }

    /**
     * The message of a bad-input exception. A path that Java cannot write in this locale's character
     * set (a name with bytes that are not text, under LANG=C) is said in words, with the way out.
     */
    public static String badInput(IllegalArgumentException e) {
        if (e instanceof java.nio.file.InvalidPathException p) {
            return "the name " + p.getInput() + " cannot be written in this system's character set ("
                    + System.getProperty("sun.jnu.encoding") + "). Run dbrescue with a UTF-8 locale (e.g. "
                    + "LANG=C.UTF-8), or give the file a name in plain letters.";
        }
        return e.getMessage();
    }

    /** An exception in a few words: "/x/y: No such file or directory", the message, or its kind. */
    static String describe(Throwable e) {
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()
                    .replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
            return f.getFile() + ": " + reason;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : firstLine(m);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }

    private static String sentence(String text) {
        String t = firstLine(String.valueOf(text));
        return t.endsWith(".") || t.endsWith("?") ? t : t + ".";
    }
}
