package io.dbrescue.scan;

/** One name in a folder listing, from lstat: symbolic links are reported as links, not followed. */
public record Entry(String name, Type type, long size) {
    public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    public boolean isFile() {
        return type == Type.FILE;
    }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }
}
