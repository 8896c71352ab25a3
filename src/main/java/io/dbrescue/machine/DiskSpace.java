package io.dbrescue.machine;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Free space and file-system identity for paths that may not exist yet (a data directory to be made). */
public final class DiskSpace {
    private DiskSpace() {
    }

    /**
     * Bytes this user can still write where {@code path} is or will be: the usable space of the file
     * system of its nearest existing ancestor.
     *
     * @throws IOException when not even "/" can be asked (should not happen)
     */
    public static long usableBytes(Path path) throws IOException {
        return Files.getFileStore(existingAncestor(path)).getUsableSpace();
    }

    /** Whether two paths (existing or not) are on the same file system: a rename or hard link works between them. */
    public static boolean sameFileSystem(Path a, Path b) throws IOException {
        Path x = existingAncestor(a);
        Path y = existingAncestor(b);
        try {
            Object dx = Files.getAttribute(x, "unix:dev");
            Object dy = Files.getAttribute(y, "unix:dev");
            return Objects.equals(dx, dy);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            FileStore fx = Files.getFileStore(x);
            FileStore fy = Files.getFileStore(y);
            return fx.equals(fy);
        }
    }

    /** The path itself when it exists, else its nearest existing ancestor (relative paths from the working folder). */
    public static Path existingAncestor(Path path) {
        Path p = path.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null ? p : path.toAbsolutePath().getRoot();
    }
}
