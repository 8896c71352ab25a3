package io.dbrescue.cli;

import java.util.List;
import java.util.stream.Collectors;

/** Shows a command so that it can be copied into a terminal (display only: dbrescue never runs a shell). */
final class Shell {
    private Shell() {
    }

    static String quote(List<String> argv) {
        return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }

    static String quote(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
