package io.dbrescue.settings;

/**
 * One setting: its section and name in recovery.conf, its default (as written in the file), what
 * values are allowed, and how a text value becomes a typed one.
 *
 * @param allowed shown in messages and docs, e.g. "a whole number from 1 to 8"
 */
public record Key(String section, String name, String defaultValue, String allowed, String description,
                  ValueType type) {

    /** The name used on the command line and in messages: {@code name} in [recovery], else {@code section.name}. */
    public String id() {
        return Keys.RECOVERY.equals(section) ? name : section + "." + name;
    }

    /** The typed value of {@code raw}, or an IllegalArgumentException whose message says what is allowed. */
    public Object parse(String raw) {
        if (raw.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
            throw new IllegalArgumentException("a value must be one line of text; expected " + allowed + ".");
        }
        return type.parse(raw.strip(), allowed);
    }
}
