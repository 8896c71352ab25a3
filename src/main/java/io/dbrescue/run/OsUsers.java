package io.dbrescue.run;

import java.time.Duration;
import java.util.List;

/** Numeric ids of OS users (for a container's --user), read with getent so that NSS users count too. */
public final class OsUsers {
    private OsUsers() {
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
