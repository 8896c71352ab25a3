package io.dbrescue.postgres.restore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A file in postgresql.conf's format (postgresql.conf, a conf.d file, postgresql.auto.conf) as its lines, so
 * that a setting can be changed or turned off while every other line — the user's comments, the order —
 * stays as it was: the dry run shows the change as a small diff, and the file still reads like theirs.
 * The syntax is PostgreSQL's (guc-file.l): {@code name [=] value}, the value a 'quoted string' ('' or a
 * backslash escapes) or a bare word, '#' starts a comment; {@code include}, {@code include_if_exists} and
 * {@code include_dir} are directives with a path.
 */
final class PgConf {
    static final List<String> INCLUDES = List.of("include", "include_if_exists", "include_dir");

    /** One line: a setting (name lower case, value unquoted), an include directive, or anything else (name null). */
    static final class Line {
        private String raw;
        private final String name;
        private final String value;

        Line(String raw, String name, String value) {
            this.raw = raw;
            this.name = name;
            this.value = value;
        }

        String raw() {
            return raw;
        }

        String name() {
            return name;
        }

        String value() {
            return value;
        }

        boolean include() {
            return name != null && INCLUDES.contains(name);
        }
    }

    private final List<Line> lines = new ArrayList<>();
    private final boolean endsWithNewline;

    private PgConf(boolean endsWithNewline) {
        this.endsWithNewline = endsWithNewline;
    }

    static PgConf parse(String text) {
        PgConf c = new PgConf(text.isEmpty() || text.endsWith("\n"));
        for (String raw : text.split("\n", -1)) {
            c.lines.add(parseLine(raw));
        }
        if (c.endsWithNewline && !c.lines.isEmpty()) {
            c.lines.remove(c.lines.size() - 1); // the empty piece after the last newline
        }
        return c;
    }

    String text() {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            b.append(l.raw).append('\n');
        }
        if (!endsWithNewline && b.length() > 0) {
            b.setLength(b.length() - 1);
        }
        return b.toString();
    }

    List<Line> lines() {
        return lines;
    }

    /** The value in effect in this file (the last line wins), or null when it does not set it. */
    String get(String name) {
        String v = null;
        for (Line l : lines) {
            if (name.equals(l.name)) {
                v = l.value;
            }
        }
        return v;
    }

    /** Every setting this file makes, the last value of each, in the order they first appear (no includes). */
    Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Line l : lines) {
            if (l.name != null && !l.include()) {
                m.put(l.name, l.value);
            }
        }
        return m;
    }

    /** Changes the value on every line that sets the name, each keeping a note why; false when none does. */
    boolean replace(String name, String value, String why) {
        boolean any = false;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (name.equals(l.name)) {
                lines.set(i, new Line(assignment(name, value) + "\t# dbrescue: " + why, name, value));
                any = true;
            }
        }
        return any;
    }

    /** Sets the value: on the lines that set it, else in a new line at the end. */
    void set(String name, String value, String why) {
        if (!replace(name, value, why)) {
            lines.add(new Line(assignment(name, value) + "\t# dbrescue: " + why, name, value));
        }
    }

    /** Turns every line that sets the name into a comment, with the reason; false when none does. */
    boolean disable(String name, String why) {
        boolean any = false;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (name.equals(l.name)) {
                lines.set(i, new Line("#" + l.raw.strip() + "\t# dbrescue: " + why, null, null));
                any = true;
            }
        }
        return any;
    }

    /** Renames a setting on every line that sets it (force_parallel_mode became debug_parallel_query). */
    boolean rename(String from, String to, String why) {
        boolean any = false;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (from.equals(l.name)) {
                lines.set(i, new Line(assignment(to, l.value) + "\t# dbrescue: " + why, to, l.value));
                any = true;
            }
        }
        return any;
    }

    /** Puts a directive's new path on its line (or, with null, turns the line into a comment). */
    void repoint(Line l, String path, String why) {
        int i = lines.indexOf(l);
        if (i < 0) {
            return;
        }
        lines.set(i, path == null ? new Line("#" + l.raw.strip() + "\t# dbrescue: " + why, null, null)
                : new Line(l.name + " " + quote(path) + "\t# dbrescue: " + why, l.name, path));
    }

    /** {@code name = value}: numbers and plain words (on, md5) bare, anything else in single quotes. */
    static String assignment(String name, String value) {
        return name + " = " + (value.matches("-?[0-9]+(\\.[0-9]+)?|[A-Za-z_][A-Za-z0-9_]*") ? value : quote(value));
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static Line parseLine(String raw) {
        int i = skipSpace(raw, 0);
        if (i >= raw.length() || raw.charAt(i) == '#') {
            return new Line(raw, null, null);
        }
        int start = i;
        while (i < raw.length() && isNameChar(raw.charAt(i))) {
            i++;
        }
        if (i == start) {
            return new Line(raw, null, null); // not a setting PostgreSQL would read either
        }
        String name = raw.substring(start, i).toLowerCase(Locale.ROOT);
        i = skipSpace(raw, i);
        if (i < raw.length() && raw.charAt(i) == '=') {
            i = skipSpace(raw, i + 1);
        }
        return new Line(raw, name, value(raw, i));
    }

    /** The value starting at i: a quoted string with its escapes undone, or the bare word up to a space or '#'. */
    private static String value(String raw, int i) {
        if (i < raw.length() && raw.charAt(i) == '\'') {
            StringBuilder b = new StringBuilder();
            for (int j = i + 1; j < raw.length(); j++) {
                char c = raw.charAt(j);
                if (c == '\'' && j + 1 < raw.length() && raw.charAt(j + 1) == '\'') {
                    b.append('\'');
                    j++;
                } else if (c == '\'') {
                    return b.toString();
                } else if (c == '\\' && j + 1 < raw.length()) {
                    char n = raw.charAt(++j);
                    b.append(switch (n) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> n;
                    });
                } else {
                    b.append(c);
                }
            }
            return b.toString(); // unterminated: PostgreSQL would refuse the file; keep what is there
        }
        int end = i;
        while (end < raw.length() && !Character.isWhitespace(raw.charAt(end)) && raw.charAt(end) != '#') {
            end++;
        }
        return raw.substring(i, end);
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$' || c == '-';
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
