package io.dbrescue.text;

import java.util.List;
import java.util.stream.Collectors;

/** Shows a command so that it can be copied into a terminal (display only: dbrescue never runs a shell). */
public final class Shell {
    private Shell() {
    }

    public static String quote(List<String> argv) {
        return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }

    public static String quote(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
