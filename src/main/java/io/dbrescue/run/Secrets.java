package io.dbrescue.run;

import io.dbrescue.logging.Redactor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passwords for the target's servers, by the name of the engine's own variable (PGPASSWORD,
 * MYSQL_PWD, REDISCLI_AUTH): what the window's password field holds (in memory only), else
 * dbrescue's environment. Every value is registered with the redactor, so no log shows it; nothing
 * here is ever written to the journal, the plan or the settings.
 */
public final class Secrets {
    private static final Map<String, String> GIVEN = new ConcurrentHashMap<>();

    private Secrets() {
    }

    /** The password for this variable: given in the window, else from the environment; null when neither. */
    public static String get(String name) {
        String v = GIVEN.get(name);
        if (v == null) {
            v = System.getenv(name);
            if (v != null && !v.isEmpty()) {
                Redactor.global().addSecret(v);
            }
        }
        return v == null || v.isEmpty() ? null : v; // an empty variable is no password
    }

    /** Sets (or, with null or empty, forgets) a password for this run of dbrescue. */
    public static void put(String name, String value) {
        if (value == null || value.isEmpty()) {
            GIVEN.remove(name);
        } else {
            Redactor.global().addSecret(value);
            GIVEN.put(name, value);
        }
    }
}
