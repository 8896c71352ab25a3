package io.dbrescue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Facts about fixture trees that tests compare the scan with. */
public final class Trees {
    private Trees() {
    }

    /**
     * Every path under the root with its type, size, mtime and (for files) SHA-256: equal snapshots
     * before and after an operation prove it changed nothing there (the backup is read-only).
     */
    public static Map<String, String> snapshot(Path root) {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String value = (a.isDirectory() ? "d" : a.isRegularFile() ? "f" : "o") + " " + a.size() + " "
                        + a.lastModifiedTime().toMillis();
                if (a.isRegularFile()) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    try (InputStream in = Files.newInputStream(p)) {
                        byte[] buf = new byte[65536];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            sha.update(buf, 0, n);
                        }
                    }
                    value += " " + HexFormat.of().formatHex(sha.digest());
                }
                state.put(root.relativize(p).toString(), value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return state;
    }

    /** Apparent size as the contract counts it (du -sb without folders): the sum of regular file sizes, links not followed. */
    public static long du(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.mapToLong(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    return a.isRegularFile() ? a.size() : 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
