package io.dbrescue.plan;

import io.dbrescue.machine.DiskSpace;
import io.dbrescue.machine.Ports;
import io.dbrescue.run.OsUsers;
import io.dbrescue.text.Sizes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pre-flight checks every engine makes the same way: free disk space, the OS user a server runs as,
 * whether dbrescue may give files to that user or write a folder, and whether a port is free. Each adds its
 * check (pass, warn or fail, with the fix) to the plan; the engines' planners call these instead of their own.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * {@code need} bytes (plus 5 % headroom) must fit on the file system of {@code where} (or of its nearest
     * existing parent folder).
     */
    public static void diskSpace(PlanContext ctx, Path where, long need) {
        Path p = DiskSpace.existingAncestor(where);
        String needed = Sizes.human(need);
        try {
            long free = DiskSpace.usableBytes(p);
            if (free < need + need / 20) {
                ctx.fail("disk-space", "The disk of " + where + " has " + Sizes.human(free) + " free; the copy needs "
                        + needed + ".", "Free space there, or choose another place with --target-data.");
            } else {
                ctx.pass("disk-space", Sizes.human(free) + " free at " + p + "; " + needed + " needed.");
            }
        } catch (IOException | RuntimeException e) {
            ctx.warn("disk-space", "Could not tell the free space at " + where + ": " + e.getMessage(),
                    "Check with df -h that there is room for " + needed + ".");
        }
    }

    /**
     * The OS user a server runs as (and its files belong to): never root, and a user that exists here. Adds a
     * failing run-as check and returns false when it is not.
     *
     * @param product     the server, as the message names it ("MariaDB/MySQL")
     * @param missingFix  what to do when the user does not exist (the package that creates it...)
     */
    public static boolean serverUser(PlanContext ctx, String runAs, boolean root, String product, String missingFix) {
        if (root && runAs.equals("root")) {
            ctx.fail("run-as", product + " must not run as root.", "Give the server's OS user with --run-as.");
            return false;
        }
        if (root && OsUsers.lookup(runAs) == null) {
            ctx.fail("run-as", "The OS user " + runAs + " does not exist here.", missingFix);
            return false;
        }
        return true;
    }

    /**
     * Files go to another OS user only when dbrescue is root: a user may keep files for themselves only. Adds a
     * failing permission check and returns false when dbrescue cannot give them.
     *
     * @param what what is given, as the message names it ("the files", "the file")
     */
    public static boolean mayGive(PlanContext ctx, String owner, boolean root, String what) {
        if (owner == null || root || owner.equals(OsUsers.me())) {
            return true;
        }
        ctx.fail("permission", "Giving " + what + " to " + owner + " needs root.",
                "Run dbrescue with sudo, or run it as " + owner + ".");
        return false;
    }

    /** dbrescue must be able to write in this folder. Adds a failing permission check when it cannot. */
    public static boolean writable(PlanContext ctx, Path dir) {
        if (Files.isWritable(dir)) {
            return true;
        }
        ctx.fail("permission", "dbrescue cannot write in " + dir + ".", "Run it as the owner of that folder, or with sudo.");
        return false;
    }

    /** A server dbrescue starts needs its port free on 127.0.0.1. Adds a failing port check when it is held. */
    public static boolean portFree(PlanContext ctx, int port) {
        if (!Ports.busy(port)) {
            return true;
        }
        ctx.fail("port", "Port " + port + " is in use by another program.", "Stop it or choose --target-port.");
        return false;
    }

    /**
     * The OS user that owns a copy of the data and runs the old server on it in a container: a user that exists,
     * not root, and dbrescue's own user unless dbrescue is root. Adds the run-as check (pass or fail).
     *
     * @param product the old server, as the messages name it ("MariaDB 10.6")
     * @param usual   the user its packages run it as, suggested in the fix
     * @return its uid and gid (for the container's --user); null after a failing check
     */
    public static OsUsers.Ids copyOwner(PlanContext ctx, String runAs, boolean root, String product, String usual) {
        OsUsers.Ids ids = OsUsers.lookup(runAs);
        if (ids == null) {
            ctx.fail("run-as", "There is no OS user called " + runAs + " to own the copy and run the old server.",
                    "Install the server package (it creates the " + usual + " user) or name another with --run-as.");
            return null;
        }
        if (ids.uid() == 0) {
            ctx.fail("run-as", product + " must not run as root, and the copy would belong to root.",
                    "Give the OS user that owns and runs the old server with --run-as (usually " + usual + ").");
            return null;
        }
        if (!root && !runAs.equals(OsUsers.me())) {
            ctx.fail("permissions", "The copy must belong to " + runAs + "; dbrescue runs as " + OsUsers.me() + ".",
                    "Run dbrescue as root (sudo), or --run-as " + OsUsers.me() + ".");
            return null;
        }
        ctx.pass("run-as", "The copy belongs to " + runAs + " (uid " + ids.uid() + "), which runs " + product
                + " in the container.");
        return ids;
    }
}
