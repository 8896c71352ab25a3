package io.dbrescue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * PostgreSQL (and good practice) refuse to run servers as root, and CI runs as root: fixtures' servers
 * run as this unprivileged user, created on first use. Its folders live under {@link #BASE}.
 */
public final class TestUser {
    public static final String NAME = "dbrescue-test";
    /** Parent of every fixture folder; readable by the test user (JUnit's @TempDir is 0700 root-only). */
    public static final Path BASE = Path.of(System.getProperty("java.io.tmpdir"), "dbrescue-tests");
    private static boolean ensured;

    private TestUser() {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static synchronized void ensure() {
        if (ensured || !isRoot()) {
            return;
        }
        try {
            Cmd.run(List.of("id", "-u", NAME));
        } catch (AssertionError missing) {
            Cmd.run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", NAME));
        }
        ensured = true;
    }

    /** A new empty folder owned by the test user (mode 0755), under {@link #BASE}. */
    public static Path newDir(String prefix) {
        try {
            Files.createDirectories(BASE);
            Files.setPosixFilePermissions(BASE, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path dir = Files.createTempDirectory(BASE, prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            chown(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives a tree to the test user (no-op when not root). */
    public static void chown(Path path) {
        if (isRoot()) {
            ensure();
            Cmd.run(List.of("chown", "-R", NAME + ":", path.toString()));
        }
    }

    /** Deletes a fixture tree (best effort). */
    public static void delete(Path dir) {
        if (dir != null && dir.startsWith(BASE)) {
            try {
                Cmd.run(List.of("rm", "-rf", "--one-file-system", dir.toString()));
            } catch (AssertionError ignored) {
                // leftovers under /tmp are harmless
            }
        }
    }
}
