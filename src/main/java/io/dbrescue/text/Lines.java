package io.dbrescue.text;

import java.util.List;

/** The last lines of a program's output or log, as error messages quote them. */
public final class Lines {
    private Lines() {
    }

    /** The last n lines that are not blank (trailing spaces removed); none for null or blank text. */
    public static List<String> last(String text, int n) {
        if (text == null) {
            return List.of();
        }
        List<String> lines = text.lines().filter(s -> !s.isBlank()).map(String::stripTrailing).toList();
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    /** {@link #last} as one text, a line each. */
    public static String lastText(String text, int n) {
        return String.join("\n", last(text, n));
    }
}
