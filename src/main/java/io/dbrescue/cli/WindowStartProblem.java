package io.dbrescue.cli;

import java.util.Locale;

/**
 * The one line a person reads when the window cannot open, from what JavaFX said. JavaFX's own words ("Unable to
 * load glass GTK library.") name neither the cause nor the fix: a missing GTK 3 is a package to install, a display
 * that cannot be opened is a session problem, and the command line works in both cases.
 */
final class WindowStartProblem {
    /** Debian's and Ubuntu's package with libgtk-3.so.0, which JavaFX's window system needs. */
    static final String GTK_PACKAGE = "libgtk-3-0";
    private static final String OR_COMMAND_LINE = "or use the command line: dbrescue scan BACKUP_DIR (see dbrescue --help).";

    private WindowStartProblem() {
    }

    /** What to print (without the "dbrescue: " prefix) for JavaFX's refusal to start, on {@code display}. */
    static String message(String javafxMessage, String display) {
        String m = javafxMessage == null ? "" : javafxMessage.toLowerCase(Locale.ROOT);
        if (m.contains("gtk")) {
            return "the window needs the GTK 3 library (libgtk-3.so.0), which could not be loaded. Install it "
                    + "(Debian, Ubuntu: sudo apt-get install " + GTK_PACKAGE + "; Fedora: sudo dnf install gtk3), "
                    + OR_COMMAND_LINE;
        }
        if (m.contains("display")) {
            return "the display " + display + " cannot be opened, so the window cannot open. Check DISPLAY (or run it "
                    + "in a desktop session), " + OR_COMMAND_LINE;
        }
        return "the window cannot open (" + javafxMessage + "). " + OR_COMMAND_LINE.substring(0, 1).toUpperCase(Locale.ROOT)
                + OR_COMMAND_LINE.substring(1);
    }
}
