package io.dbrescue.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Who dbrescue runs as (the one root check every package uses) and the numeric ids of OS users (for a
 * container's --user), read with getent so that NSS users count too.
 */
public final class OsUsers {
    private OsUsers() {
    }

    /** Whether this process runs as uid 0 (root's name may differ; the uid does not). */
    public static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return "root".equals(me());
        }
    }

    /** The name of the OS user dbrescue runs as. */
    public static String me() {
        return System.getProperty("user.name");
    }

    public record Ids(int uid, int gid) {
    }

    /** The uid and primary gid of a user, or null when there is no such user. */
    public static Ids lookup(String user) {
        try {
            Exec.Result r = Exec.of(List.of("getent", "passwd", user)).timeout(Duration.ofSeconds(10)).run(null);
            if (!r.ok()) {
                return null;
            }
            String[] f = r.stdoutTail().strip().split(":");
            return f.length >= 4 ? new Ids(Integer.parseInt(f[2]), Integer.parseInt(f[3])) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
