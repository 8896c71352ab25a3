package io.dbrescue.plan;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One pre-flight check: what was checked, the verdict, what was found and, for warn and fail, how
 * to fix it.
 *
 * @param group the finding it belongs to (its path), or null for the whole run
 */
public record Check(String group, String name, Level level, String message, String fix) {
    public enum Level {
        PASS, WARN, FAIL;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Check pass(String group, String name, String message) {
        return new Check(group, name, Level.PASS, message, null);
    }

    public static Check warn(String group, String name, String message, String fix) {
        return new Check(group, name, Level.WARN, message, fix);
    }

    public static Check fail(String group, String name, String message, String fix) {
        return new Check(group, name, Level.FAIL, message, fix);
    }
}
