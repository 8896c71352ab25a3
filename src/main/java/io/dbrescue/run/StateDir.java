package io.dbrescue.run;

import java.nio.file.Path;

/**
 * dbrescue's state folder: {@code $XDG_STATE_HOME/dbrescue} (default {@code ~/.local/state/dbrescue}).
 * The system property {@code dbrescue.state.dir} overrides it (tests, portable use).
 */
public final class StateDir {
    private StateDir() {
    }

    public static Path get() {
        String override = System.getProperty("dbrescue.state.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("dbrescue");
    }
}
