package io.dbrescue.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The only way the scanner and detectors open files in a backup: read-only, never following a
 * symbolic link (so nothing outside the backup is read through one), never creating anything.
 */
public final class ReadOnly {
    private ReadOnly() {
    }

    public static SeekableByteChannel channel(Path file) throws IOException {
        return Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    public static InputStream open(Path file) throws IOException {
        return Channels.newInputStream(channel(file));
    }

    /** Up to {@code max} bytes from the start of the file; null when it does not exist. */
    public static byte[] head(Path file, int max) throws IOException {
        try (SeekableByteChannel ch = channel(file)) {
            return readFully(ch, max);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Up to {@code max} bytes from the end of the file. */
    public static byte[] tail(Path file, int max) throws IOException {
        try (SeekableByteChannel ch = channel(file)) {
            long size = ch.size();
            ch.position(Math.max(0, size - max));
            return readFully(ch, max);
        }
    }

    /** Exactly {@code length} bytes at {@code offset}, or fewer when the file ends first. */
    public static byte[] range(Path file, long offset, int length) throws IOException {
        try (SeekableByteChannel ch = channel(file)) {
            ch.position(offset);
            return readFully(ch, length);
        }
    }

    private static byte[] readFully(SeekableByteChannel ch, int max) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(max);
        while (buf.hasRemaining() && ch.read(buf) > 0) {
            // keep reading: a channel may return fewer bytes than asked
        }
        return buf.position() == max ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }
}
