package io.dbrescue.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A regular file as a {@link FileDetector} sees it: name, size, its first bytes (read once by the
 * scanner and shared by all detectors) and, for gzip/zstd/xz/bzip2 files, the first bytes of the
 * decompressed content. Larger reads go through {@link #open()} / {@link #openContent()}, which
 * stream: nothing is unpacked to disk and no file is read into memory whole.
 */
public final class Sample {
    /** How many bytes of each file the scanner reads up front. */
    public static final int HEAD_BYTES = 4096;

    private final Path path;
    private final String relativePath;
    private final long size;
    private final byte[] head;
    private final Compression compression;
    private final Scanner.Sink sink;
    private byte[] contentHead;

    Sample(Path path, String relativePath, long size, byte[] head, Scanner.Sink sink) {
        this.path = path;
        this.relativePath = relativePath;
        this.size = size;
        this.head = head;
        this.compression = Compression.of(head);
        this.sink = sink;
    }

    /** Builds a sample of any file, for detectors that look at files inside a claimed folder and for tests. */
    public static Sample of(Path file) throws IOException {
        byte[] head = ReadOnly.head(file, HEAD_BYTES);
        return new Sample(file, file.getFileName().toString(), java.nio.file.Files.size(file),
                head == null ? new byte[0] : head, Scanner.Sink.NONE);
    }

    public Path path() {
        return path;
    }

    public String relativePath() {
        return relativePath;
    }

    public String name() {
        return path.getFileName().toString();
    }

    public long size() {
        return size;
    }

    /** The raw first bytes of the file (at most {@link #HEAD_BYTES}). */
    public byte[] head() {
        return head;
    }

    public Compression compression() {
        return compression;
    }

    /**
     * The first bytes of the content: the decompressed head for a compressed file (at most
     * {@link #HEAD_BYTES}; fewer when the stream is damaged early), the raw head otherwise.
     */
    public byte[] contentHead() {
        if (contentHead == null) {
            if (compression == Compression.NONE) {
                contentHead = head;
            } else {
                contentHead = readContentHead();
            }
        }
        return contentHead;
    }

    /**
     * Decompresses up to {@link #HEAD_BYTES}, keeping whatever came out before a damaged or cut-short
     * stream failed: small reads, because a decompressor may drop the bytes of the read that fails.
     */
    private byte[] readContentHead() {
        byte[] buf = new byte[HEAD_BYTES];
        int n = 0;
        try (InputStream in = openContent()) {
            int r;
            while (n < buf.length && (r = in.read(buf, n, Math.min(512, buf.length - n))) > 0) {
                n += r;
            }
        } catch (IOException | RuntimeException e) {
            // damaged stream: what was read so far is still the head; the detectors judge the damage
        }
        return Arrays.copyOf(buf, n);
    }

    /** True when the content (decompressed if need be) starts with these ASCII bytes. */
    public boolean contentStartsWith(String ascii) {
        byte[] c = contentHead();
        byte[] prefix = ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return c.length >= prefix.length && Arrays.equals(c, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The raw file, read-only. */
    public InputStream open() throws IOException {
        return ReadOnly.open(path);
    }

    /** The content, decompressed on the fly when the file is compressed. */
    public InputStream openContent() throws IOException {
        return compression.decompress(open());
    }

    /** Reports a near miss (looks like a database but is not one) as a top-level scan warning. */
    public void suspicious(String message) {
        sink.warn(relativePath, message);
    }
}
