package io.dbrescue.scan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * A folder of the backup as a {@link DirectoryDetector} sees it: its listing (names, types, sizes,
 * already read by the scanner) and read-only access to small files inside it.
 */
public final class Folder {
    private final Path root;
    private final Path path;
    private final String relativePath;
    private final Map<String, Entry> entries;
    private final Scanner.Sink sink;

    Folder(Path root, Path path, String relativePath, Map<String, Entry> entries, Scanner.Sink sink) {
        this.root = root;
        this.path = path;
        this.relativePath = relativePath;
        this.entries = entries;
        this.sink = sink;
    }

    /** The backup root (absolute). */
    public Path root() {
        return root;
    }

    /** This folder (absolute). */
    public Path path() {
        return path;
    }

    /** This folder relative to the root, '/' separated; "" for the root itself. */
    public String relativePath() {
        return relativePath;
    }

    public String name() {
        Path n = path.getFileName();
        return n == null ? "" : n.toString();
    }

    public Collection<Entry> entries() {
        return entries.values();
    }

    /** The entry with this name, or null. */
    public Entry entry(String name) {
        return entries.get(name);
    }

    public boolean hasFile(String name) {
        Entry e = entries.get(name);
        return e != null && e.isFile();
    }

    public boolean hasDirectory(String name) {
        Entry e = entries.get(name);
        return e != null && e.isDirectory();
    }

    /** Up to {@code max} bytes from the start of a file below this folder, or null if it is absent. */
    public byte[] head(String relative, int max) throws IOException {
        return ReadOnly.head(path.resolve(relative), max);
    }

    /** Reports a near miss (looks like a database but is not one) as a top-level scan warning. */
    public void suspicious(String message) {
        sink.warn(relativePath, message);
    }
}
