package io.dbrescue.run;

import io.dbrescue.logging.Redactor;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Passwords for the target's servers, by the name of the engine's own variable (PGPASSWORD, MYSQL_PWD,
 * REDISCLI_AUTH, MONGODB_PASSWORD): what the window's password field holds, else dbrescue's environment.
 * One value per plan or run, made where it starts (the application service, {@code io.dbrescue.app}) and handed
 * down: to the planners with the {@code Target}, to the steps with their {@link StepContext}. Memory only:
 * every value is registered with the redactor, so no log shows it, and nothing here is ever written to the
 * journal, the plan or the settings ({@link #toString} names the variables, never a value).
 */
public final class Secrets {
    /** No passwords at all, not even the environment's. */
    public static final Secrets NONE = new Secrets(Map.of(), name -> null);

    private final Map<String, String> given;
    private final UnaryOperator<String> environment;

    private Secrets(Map<String, String> given, UnaryOperator<String> environment) {
        this.given = Map.copyOf(given);
        this.environment = environment;
    }

    /** dbrescue's environment only: how the command line takes passwords (PGPASSWORD=… dbrescue recover …). */
    public static Secrets environment() {
        return new Secrets(Map.of(), System::getenv);
    }

    /**
     * These passwords (a value that is null or empty is no password), before the environment's. Each is
     * registered with the redactor now, before anything could log it.
     */
    public Secrets with(Map<String, String> passwords) {
        Map<String, String> all = new TreeMap<>(given);
        passwords.forEach((name, value) -> {
            if (value == null || value.isEmpty()) {
                all.remove(name);
            } else {
                Redactor.global().addSecret(value);
                all.put(name, value);
            }
        });
        return new Secrets(all, environment);
    }

    /** The password for this variable: given, else from the environment; null when neither. */
    public String get(String name) {
        String v = given.get(name);
        if (v == null) {
            v = environment.apply(name);
            if (v != null && !v.isEmpty()) {
                Redactor.global().addSecret(v);
            }
        }
        return v == null || v.isEmpty() ? null : v; // an empty variable is no password
    }

    /** The names of the passwords given (never their values). */
    @Override
    public String toString() {
        return "Secrets" + new TreeMap<>(given).keySet();
    }
}
