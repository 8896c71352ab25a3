package io.dbrescue.scan;

/**
 * One name in a folder listing, from lstat: symbolic links are reported as links, not followed.
 * {@code path} is the entry's absolute path as the folder listing gave it (it keeps names that are
 * not valid text intact, which rebuilding it from {@code name} would not).
 */
public record Entry(String name, Type type, long size, java.nio.file.Path path) {
    public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    public boolean isFile() {
        return type == Type.FILE;
    }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }
}
