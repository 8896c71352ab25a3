package io.dbrescue.settings;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link Settings#requireValid()}: the settings have problems, so no recovery may start. */
public class InvalidSettingsException extends RuntimeException {
    private final transient List<Problem> problems;

    public InvalidSettingsException(Settings settings) {
        super(message(settings));
        this.problems = settings.problems();
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(Settings s) {
        return "the settings have " + s.problems().size() + " problem(s), so no recovery was started:\n"
                + s.problems().stream().map(p -> "  " + p).collect(Collectors.joining("\n"))
                + "\nFix each line in " + s.file() + " (or the command-line option): `dbrescue config set KEY VALUE` "
                + "changes a value, `dbrescue config validate` checks the file again.";
    }
}
