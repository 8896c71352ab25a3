package io.dbrescue.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Copies a folder (or a file) like {@code cp -a}: modes, modification times and symbolic links kept
 * (links copied as links, never followed), with a byte count for progress, checking for cancel
 * between chunks. The kernel does the copying (FileChannel.transferTo → copy_file_range), which is
 * as fast as cp. Optionally gives everything to an owner (when root).
 */
public final class CopyTree {

    private CopyTree() {
    }

    /**
     * @param owner     the user to own the copy (null: keep the current user)
     * @param progress  receives the bytes copied so far
     * @param cancelled checked between chunks; copying stops with a CancellationException
     */
    public static void copy(Path source, Path target, UserPrincipal owner, LongConsumer progress,
                            Runnable cancelled) throws IOException {
        copy(source, target, owner, progress, cancelled, 64L << 20);
    }

    /** As above, reporting progress and checking for cancel every {@code chunk} bytes. */
    public static void copy(Path source, Path target, UserPrincipal owner, LongConsumer progress,
                            Runnable cancelled, long chunk) throws IOException {
        long[] done = {0};
        List<Path[]> dirTimes = new ArrayList<>();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(source.relativize(dir).toString());
                Files.createDirectories(to);
                dirTimes.add(new Path[] {dir, to});
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(source.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(to, Files.readSymbolicLink(file));
                    if (owner != null) {
                        Files.getFileAttributeView(to, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                                .setOwner(owner);
                    }
                    return FileVisitResult.CONTINUE;
                }
                if (!attrs.isRegularFile()) {
                    return FileVisitResult.CONTINUE; // sockets, FIFOs: not data
                }
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                     FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long size = in.size();
                    for (long pos = 0; pos < size; ) {
                        cancelled.run();
                        long n = in.transferTo(pos, Math.min(chunk, size - pos), out);
                        if (n <= 0) {
                            break;
                        }
                        pos += n;
                        done[0] += n;
                        progress.accept(done[0]);
                    }
                }
                copyAttributes(file, to, owner);
                return FileVisitResult.CONTINUE;
            }
        });
        // folders last, so their modification times are not changed again by the files created in them
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            copyAttributes(dirTimes.get(i)[0], dirTimes.get(i)[1], owner);
        }
    }

    private static void copyAttributes(Path from, Path to, UserPrincipal owner) throws IOException {
        PosixFileAttributes a = Files.readAttributes(from, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (owner != null) {
            view.setOwner(owner);
        }
        view.setPermissions(a.permissions());
        view.setTimes(a.lastModifiedTime(), a.lastAccessTime(), null);
    }

    /** Removes a folder tree (links removed, not followed). */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Moves a path aside (same filesystem: a rename). */
    public static void move(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
}
