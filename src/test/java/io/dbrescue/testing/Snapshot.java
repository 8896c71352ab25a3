package io.dbrescue.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The state of a tree for "nothing changed" checks: per entry its type, size, modification time and,
 * for files, SHA-256. Compare two snapshots with equals (the backup before and after a run).
 */
public final class Snapshot {
    private Snapshot() {
    }

    public static Map<String, String> of(Path root) {
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
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return state;
    }
}
