package io.dbrescue.settings;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a text value from the file or the command line becomes a typed value; errors say what is allowed. */
@FunctionalInterface
public interface ValueType {
    Object parse(String raw, String allowed);

    static IllegalArgumentException wrong(String raw, String allowed) {
        return new IllegalArgumentException("'" + raw + "' is not allowed; expected " + allowed + ".");
    }

    ValueType BOOLEAN = (raw, allowed) -> switch (raw.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on", "1" -> Boolean.TRUE;
        case "false", "no", "off", "0" -> Boolean.FALSE;
        default -> throw wrong(raw, allowed);
    };

    static ValueType integer(int min, int max) {
        return new IntRange(min, max);
    }

    static ValueType choice(List<String> values) {
        return new Choice(List.copyOf(values));
    }

    /** A whole number from {@code min} to {@code max} (a record, so the Settings page can offer a number field). */
    record IntRange(int min, int max) implements ValueType {
        @Override
        public Object parse(String raw, String allowed) {
            long v;
            try {
                v = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw wrong(raw, allowed);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(raw + " is out of range; expected " + allowed + ".");
            }
            return (int) v;
        }
    }

    /** One of a fixed list (a record, so the Settings page can offer a choice list). */
    record Choice(List<String> values) implements ValueType {
        @Override
        public Object parse(String raw, String allowed) {
            String v = raw.toLowerCase(Locale.ROOT);
            if (values.contains(v)) {
                return v;
            }
            throw new IllegalArgumentException("'" + raw + "' is not allowed; expected " + allowed + "."
                    + Suggest.hint(raw, values));
        }
    }

    /** An absolute path, {@code ~/...} expanded; empty means "not set". */
    ValueType OPTIONAL_PATH = (raw, allowed) -> {
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(absolutePath(raw, allowed));
    };

    ValueType PATH = (raw, allowed) -> absolutePath(raw, allowed);

    private static Path absolutePath(String raw, String allowed) {
        String s = raw;
        if (s.equals("~") || s.startsWith("~/")) {
            s = System.getProperty("user.home") + s.substring(1);
        }
        Path p = Path.of(s);
        if (!p.isAbsolute()) {
            throw wrong(raw, allowed);
        }
        return p.normalize();
    }

    Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    /** A Unix user name; empty means "the engine's usual user". */
    ValueType OPTIONAL_USER = (raw, allowed) -> {
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        if (!USER.matcher(raw).matches()) {
            throw wrong(raw, allowed);
        }
        return Optional.of(raw);
    };

    Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    /** Empty, or an image reference with optional {old} / {new} placeholders (the pg_upgrade image). */
    ValueType UPGRADE_IMAGE = (raw, allowed) -> {
        if (raw.isEmpty()) {
            return "";
        }
        if (raw.chars().anyMatch(Character::isWhitespace)) {
            throw wrong(raw, allowed);
        }
        Matcher m = PLACEHOLDER.matcher(raw);
        while (m.find()) {
            if (!m.group(1).equals("old") && !m.group(1).equals("new")) {
                throw new IllegalArgumentException("unknown placeholder {" + m.group(1) + "}; expected " + allowed + ".");
            }
        }
        return raw;
    };

    /**
     * Empty, or images per extension set: {@code postgis=registry/postgis:{major}-3.5, timescaledb+postgis=...}
     * (each image a reference as for {@link #IMAGE}).
     */
    ValueType EXTENSION_IMAGES = (raw, allowed) -> {
        if (raw.isBlank()) {
            return "";
        }
        for (String entry : raw.split(",")) {
            int eq = entry.indexOf('=');
            String names = eq < 0 ? "" : entry.substring(0, eq).strip();
            if (eq < 0 || !names.matches("[A-Za-z0-9_-]+(\\+[A-Za-z0-9_-]+)*")) {
                throw wrong(raw, allowed);
            }
            ValueType.IMAGE.parse(entry.substring(eq + 1).strip(), allowed);
        }
        return raw.strip();
    };

    /** A container image reference with optional {major} / {version} placeholders. */
    ValueType IMAGE = (raw, allowed) -> {
        if (raw.isEmpty() || raw.chars().anyMatch(Character::isWhitespace)) {
            throw wrong(raw, allowed);
        }
        Matcher m = PLACEHOLDER.matcher(raw);
        while (m.find()) {
            if (!m.group(1).equals("major") && !m.group(1).equals("version")) {
                throw new IllegalArgumentException("unknown placeholder {" + m.group(1) + "}; expected "
                        + allowed + ".");
            }
        }
        return raw;
    };
}
