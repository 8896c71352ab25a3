package io.dbrescue.settings;

import java.nio.file.Path;

/**
 * Where dbrescue keeps its files, after the XDG base directory specification:
 * settings in {@code $XDG_CONFIG_HOME/dbrescue/recovery.conf} (default {@code ~/.config}),
 * logs and run history in {@code $XDG_STATE_HOME/dbrescue/} (default {@code ~/.local/state}).
 */
public record AppPaths(Path configDir, Path stateDir) {
    public static final String APP = "dbrescue";

    public static AppPaths from(Environment env) {
        Path home = Path.of(env.get("HOME") != null ? env.get("HOME") : System.getProperty("user.home"));
        return new AppPaths(base(env.get("XDG_CONFIG_HOME"), home.resolve(".config")).resolve(APP),
                base(env.get("XDG_STATE_HOME"), home.resolve(".local/state")).resolve(APP));
    }

    public static AppPaths current() {
        return from(Environment.system());
    }

    /** Relative XDG values are invalid per the specification and are ignored. */
    private static Path base(String value, Path fallback) {
        if (value == null) {
            return fallback;
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? p : fallback;
    }

    public Path configFile() {
        return configDir.resolve("recovery.conf");
    }

    public Path logDir() {
        return stateDir.resolve("logs");
    }

    public Path historyFile() {
        return stateDir.resolve("history.jsonl");
    }
}
