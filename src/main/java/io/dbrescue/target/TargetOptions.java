package io.dbrescue.target;

import java.nio.file.Path;

/**
 * What the user says about the target, overriding discovery (the {@code --target-*} options of the
 * design notes). Null fields mean "use what discovery found". Passwords are not here: they come
 * from the engine's own mechanism (PGPASSWORD / ~/.pgpass, option files), never from arguments.
 */
public record TargetOptions(String host, Integer port, String user, Path binDir, Path dataDir, String runAs) {
    public static final TargetOptions NONE = new TargetOptions(null, null, null, null, null, null);

    public String hostOr(String fallback) {
        return host != null ? host : fallback;
    }
}
