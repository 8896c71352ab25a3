package io.dbrescue.run;

import io.dbrescue.settings.AppPaths;
import io.dbrescue.settings.PrivateFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
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

    /**
     * Checks the modes at start: the state folder, runs/, logs/, locks/, leftovers/ and each run's folder 0700, the files
     * in them (journals, history, logs, safety dumps) 0600 — folders made by older versions had 0755 and
     * 0644. A run's work folders are not gone into: they may hold copies of data directories.
     */
    public static void tighten() {
        tighten(get());
        if (!AppPaths.current().stateDir().equals(get())) {
            tighten(AppPaths.current().stateDir()); // the logs and the history stay there
        }
    }

    private static void tighten(Path state) {
        if (!Files.isDirectory(state)) {
            return;
        }
        PrivateFiles.tightenFolder(state);
        for (String sub : new String[] {"logs", "locks", "leftovers"}) {
            PrivateFiles.tightenFolder(state.resolve(sub));
        }
        Path runs = state.resolve("runs");
        PrivateFiles.tightenFolder(runs);
        if (!Files.isDirectory(runs)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs, Files::isDirectory)) {
            dirs.forEach(PrivateFiles::tightenFolder);
        } catch (IOException e) {
            // listed above already; what cannot be read cannot be tightened either
        }
    }
}
