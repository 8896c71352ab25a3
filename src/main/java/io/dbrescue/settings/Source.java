package io.dbrescue.settings;

import java.nio.file.Path;

/** Where a setting's value came from: the built-in default, a line of a file, or the command line. */
public record Source(Kind kind, Path file, int line) {
    public enum Kind { DEFAULT, FILE, COMMAND_LINE }

    public static final Source DEFAULT = new Source(Kind.DEFAULT, null, 0);
    public static final Source COMMAND_LINE = new Source(Kind.COMMAND_LINE, null, 0);

    public static Source file(Path file, int line) {
        return new Source(Kind.FILE, file, line);
    }

    /** "default", "/home/me/.config/dbrescue/recovery.conf:12" or "command line". */
    @Override
    public String toString() {
        return switch (kind) {
            case DEFAULT -> "default";
            case COMMAND_LINE -> "command line";
            case FILE -> file + ":" + line;
        };
    }
}
