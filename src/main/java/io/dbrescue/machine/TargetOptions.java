package io.dbrescue.machine;

import java.nio.file.Path;

/**
 * What the user says about the target, overriding discovery (the {@code --target-*} options of
 * {@code plan} and {@code recover}, cli/RecoveryOptions.java). Null fields mean "use what discovery found". Passwords are not here: they come
 * from the engine's own mechanism (PGPASSWORD / ~/.pgpass, option files), never from arguments.
 * {@code dataIsFolder}: the user wrote {@code --target-data} with a trailing '/', so a single-file
 * database (SQLite, Redis) goes into that folder even when it does not exist yet ({@link Path} drops the '/').
 */
public record TargetOptions(String host, Integer port, String user, Path binDir, Path dataDir, String runAs,
                            boolean dataIsFolder) {
    public static final TargetOptions NONE = new TargetOptions(null, null, null, null, null, null);

    public TargetOptions(String host, Integer port, String user, Path binDir, Path dataDir, String runAs) {
        this(host, port, user, binDir, dataDir, runAs, false);
    }

    /**
     * Where a single-file database goes: into {@code dataDir} when it is a folder (an existing one, or one
     * written with a trailing '/'), else {@code dataDir} is the file itself. Null without --target-data.
     */
    public Path fileIn(String fileName) {
        if (dataDir == null) {
            return null;
        }
        return dataIsFolder || java.nio.file.Files.isDirectory(dataDir) ? dataDir.resolve(fileName) : dataDir;
    }

    /**
     * These options with {@code over}'s given fields winning: what the user said about one engine's server (the
     * window's card for it) over what holds for every engine (the settings' run-as user, a --target-bin).
     */
    public TargetOptions merge(TargetOptions over) {
        if (over == null) {
            return this;
        }
        return new TargetOptions(over.host != null ? over.host : host, over.port != null ? over.port : port,
                over.user != null ? over.user : user, over.binDir != null ? over.binDir : binDir,
                over.dataDir != null ? over.dataDir : dataDir, over.runAs != null ? over.runAs : runAs,
                over.dataDir != null ? over.dataIsFolder : dataIsFolder);
    }

    public String hostOr(String fallback) {
        return host != null ? host : fallback;
    }
}
