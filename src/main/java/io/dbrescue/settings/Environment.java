package io.dbrescue.settings;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The process environment, read in one place so that tests can point XDG folders at a temporary
 * folder: a system property {@code dbrescue.env.NAME} wins over the variable NAME (environment
 * variables cannot be set inside a running JVM).
 */
public final class Environment {
    private static final String PROPERTY_PREFIX = "dbrescue.env.";
    private final UnaryOperator<String> lookup;

    private Environment(UnaryOperator<String> lookup) {
        this.lookup = lookup;
    }

    /** The real environment, with {@code -Ddbrescue.env.NAME=value} overrides. */
    public static Environment system() {
        return new Environment(name -> {
            String p = System.getProperty(PROPERTY_PREFIX + name);
            return p != null ? p : System.getenv(name);
        });
    }

    /** A fixed environment (tests). */
    public static Environment of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new Environment(copy::get);
    }

    /** The value, or null when unset or empty (XDG treats an empty variable as unset). */
    public String get(String name) {
        String v = lookup.apply(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
