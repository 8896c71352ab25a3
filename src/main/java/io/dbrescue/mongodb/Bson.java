package io.dbrescue.mongodb;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough BSON (bsonspec.org) for the scanner: documents are an int32 little-endian total length,
 * elements (type byte, NUL-terminated name, value) and a trailing 0x00. {@link #parse} reads strings,
 * numbers, booleans and nested documents into a map; other values are skipped.
 */
final class Bson {
    /** Largest document MongoDB allows (16 MiB) plus room for the dump tools' overhead. */
    static final int MAX_DOCUMENT = 16 * 1024 * 1024 + 16 * 1024;

    private Bson() {
    }

    static int int32(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    static long int64(byte[] b, int o) {
        return (int32(b, o) & 0xffffffffL) | ((long) int32(b, o + 4)) << 32;
    }

    /** Reads an int32 length prefix; -1 at a clean end of stream; EOFException when cut inside it. */
    static long readLength(InputStream in, byte[] four) throws IOException {
        int got = in.readNBytes(four, 0, 4);
        if (got == 0) return -1;
        if (got < 4) throw new EOFException("stream ends inside a document length");
        return int32(four, 0) & 0xffffffffL;
    }

    /** Reads the rest of a document whose length prefix was just read; throws EOFException when cut. */
    static byte[] readRest(InputStream in, byte[] four, long length) throws IOException {
        if (length < 5 || length > MAX_DOCUMENT) {
            throw new IOException("not a BSON document (length " + length + ")");
        }
        byte[] doc = new byte[(int) length];
        System.arraycopy(four, 0, doc, 0, 4);
        int got = in.readNBytes(doc, 4, doc.length - 4);
        if (got < doc.length - 4) {
            throw new EOFException("stream ends inside a document");
        }
        if (doc[doc.length - 1] != 0) {
            throw new IOException("document does not end with a 0 byte");
        }
        return doc;
    }

    /** Skips the rest of a document (for large data documents we do not need to look into). */
    static void skipRest(InputStream in, long length) throws IOException {
        if (length < 5 || length > MAX_DOCUMENT) {
            throw new IOException("not a BSON document (length " + length + ")");
        }
        in.skipNBytes(length - 5);
        int last = in.read();
        if (last < 0) throw new EOFException("stream ends inside a document");
        if (last != 0) throw new IOException("document does not end with a 0 byte");
    }

    static Map<String, Object> parse(byte[] b) throws IOException {
        return parse(b, 0);
    }

    static Map<String, Object> parse(byte[] b, int start) throws IOException {
        try {
            int len = int32(b, start);
            if (len < 5 || start + len > b.length || b[start + len - 1] != 0) {
                throw new IOException("not a BSON document");
            }
            int end = start + len - 1;
            int p = start + 4;
            Map<String, Object> out = new LinkedHashMap<>();
            while (p < end) {
                int type = b[p++] & 0xff;
                int nameEnd = p;
                while (b[nameEnd] != 0) nameEnd++;
                String name = new String(b, p, nameEnd - p, StandardCharsets.UTF_8);
                p = nameEnd + 1;
                switch (type) {
                    case 0x01, 0x09, 0x11 -> p += 8;
                    case 0x12 -> { out.put(name, int64(b, p)); p += 8; }
                    case 0x02, 0x0D, 0x0E -> {
                        int sl = int32(b, p);
                        if (sl < 1 || p + 4 + sl > end) throw new IOException("bad string");
                        out.put(name, new String(b, p + 4, sl - 1, StandardCharsets.UTF_8));
                        p += 4 + sl;
                    }
                    case 0x03, 0x04 -> { out.put(name, parse(b, p)); p += int32(b, p); }
                    case 0x05 -> p += 4 + 1 + int32(b, p);
                    case 0x06, 0x0A, 0xFF, 0x7F -> { }
                    case 0x07 -> p += 12;
                    case 0x08 -> out.put(name, b[p++] != 0);
                    case 0x0B -> { while (b[p] != 0) p++; p++; while (b[p] != 0) p++; p++; }
                    case 0x0C -> p += 4 + int32(b, p) + 12;
                    case 0x0F -> p += int32(b, p);
                    case 0x10 -> { out.put(name, int32(b, p)); p += 4; }
                    case 0x13 -> p += 16;
                    default -> throw new IOException("unknown BSON type " + type);
                }
            }
            if (p != end) throw new IOException("BSON elements overrun the document");
            return out;
        } catch (IndexOutOfBoundsException e) {
            throw new IOException("truncated BSON document", e);
        }
    }
}
