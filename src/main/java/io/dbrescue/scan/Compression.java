package io.dbrescue.scan;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Compressed wrappers a dump may come in, told apart by their magic bytes, decompressed as a stream. */
public enum Compression {
    NONE(""), GZIP("gzip"), ZSTD("zstd"), XZ("xz"), BZIP2("bzip2");

    private final String id;

    Compression(String id) {
        this.id = id;
    }

    /** The suffix used in dump format names, e.g. "plain-gzip"; empty for NONE. */
    public String id() {
        return id;
    }

    public static Compression of(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return GZIP;
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) return ZSTD;
        if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z'
                && head[3] == 'X' && head[4] == 'Z' && head[5] == 0) return XZ;
        if (head.length >= 4 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h'
                && head[3] >= '1' && head[3] <= '9') return BZIP2;
        return NONE;
    }

    /** Wraps a raw stream so that reading it yields the decompressed bytes. */
    public InputStream decompress(InputStream raw) throws IOException {
        InputStream in = raw instanceof BufferedInputStream ? raw : new BufferedInputStream(raw, 65536);
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GzipCompressorInputStream(in, true);
            case ZSTD -> new ZstdCompressorInputStream(in);
            case XZ -> new XZCompressorInputStream(in, true);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
        };
    }
}
