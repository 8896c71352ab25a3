package io.dbrescue.run;

import io.dbrescue.settings.AppPaths;

import java.nio.file.Path;

/**
 * dbrescue's state folder ({@code $XDG_STATE_HOME/dbrescue}, see {@link AppPaths}). The system property
 * {@code dbrescue.state.dir} overrides it (tests, portable use).
 */
public final class StateDir {
    private StateDir() {
    }

    public static Path get() {
        String override = System.getProperty("dbrescue.state.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return AppPaths.current().stateDir();
    }
}
