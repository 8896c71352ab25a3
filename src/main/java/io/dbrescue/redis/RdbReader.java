package io.dbrescue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A buffered reader of an RDB stream (encodings as in Redis' src/rdb.c): counts its offset, computes the
 * CRC-64 of what it consumed, reads lengths, strings and — for validation — whole small blobs, LZF
 * compressed or not.
 */
final class RdbReader {
    /** The file ended before the structure did. */
    static final class Truncated extends IOException {
        Truncated() {
            super("unexpected end of file", null);
        }
    }

    /** The walk gave up on purpose (budget, a value it cannot skip): the rest is unknown, not wrong. */
    static final class Stop extends IOException {
        Stop(String why) {
            super(why, null);
        }
    }

    /** The bytes break the format: Redis would refuse them too. The message says what, in words. */
    static final class Corrupt extends IOException {
        Corrupt(String what) {
            super(what, null);
        }
    }

    private final InputStream in;
    private final byte[] buf = new byte[65536];
    private int pos;
    private int limit;
    private long base; // file offset of buf[0]
    private int crcMark;
    private boolean crcOn = true;
    private long crc;

    RdbReader(InputStream in) {
        this.in = in;
    }

    long offset() {
        return base + pos;
    }

    long crc() {
        return crc;
    }

    void stopCrc() {
        crc = Crc64.update(crc, buf, crcMark, pos - crcMark);
        crcOn = false;
    }

    private void fill() throws IOException {
        if (crcOn) {
            crc = Crc64.update(crc, buf, crcMark, limit - crcMark);
        }
        base += limit;
        pos = 0;
        limit = 0;
        crcMark = 0;
        int n = in.readNBytes(buf, 0, buf.length);
        if (n <= 0) {
            throw new Truncated();
        }
        limit = n;
    }

    int u8() throws IOException {
        if (pos == limit) {
            fill();
        }
        return buf[pos++] & 0xff;
    }

    void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit) {
                fill();
            }
            int k = (int) Math.min(n, limit - pos);
            pos += k;
            n -= k;
        }
    }

    byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        readInto(out, n);
        return out;
    }

    /** A length; the special string encodings (first two bits 11) come back as -1 - encoding. */
    long lengthOrEncoding() throws IOException {
        int b = u8();
        switch (b >> 6) {
            case 0:
                return b & 0x3f;
            case 1:
                return ((long) (b & 0x3f) << 8) | u8();
            case 2:
                if (b == 0x80) {
                    return be(4);
                }
                if (b == 0x81) {
                    long v = be(8);
                    if (v < 0) {
                        throw new Corrupt("a length at byte " + (offset() - 9) + " is out of range");
                    }
                    return v;
                }
                throw new Corrupt("byte " + (offset() - 1) + " is not a valid length (" + b + ")");
            default:
                return -1 - (b & 0x3f);
        }
    }

    long length() throws IOException {
        long v = lengthOrEncoding();
        if (v < 0) {
            throw new Corrupt("an encoded value stands where a length belongs (byte " + (offset() - 1) + ")");
        }
        return v;
    }

    private long be(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | u8();
        }
        return v;
    }

    long le(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    void skipString() throws IOException {
        long v = lengthOrEncoding();
        if (v >= 0) {
            skip(v);
            return;
        }
        skipEncoded(v);
    }

    private final byte[] keyBuf = new byte[200];
    private int keyLen = -1;

    /**
     * Reads a key's name, keeping its first bytes in a buffer that is reused for every key (the scan walks
     * millions): the text is made only when a key has to be named ({@link #lastKey}).
     */
    void keyName() throws IOException {
        long v = lengthOrEncoding();
        if (v < 0) {
            int enc = (int) (-1 - v);
            if (enc <= 2) { // a name of digits, stored as an integer
                long n = enc == 0 ? (byte) u8() : enc == 1 ? (short) le(2) : (int) le(4);
                byte[] digits = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(digits, 0, keyBuf, 0, digits.length);
                keyLen = digits.length;
            } else {
                keyLen = -1;
                skipEncoded(v);
            }
            return;
        }
        int keep = (int) Math.min(v, keyBuf.length);
        readInto(keyBuf, keep);
        skip(v - keep);
        keyLen = v > keyBuf.length ? -1 : keep;
    }

    private void readInto(byte[] out, int n) throws IOException {
        int done = 0;
        while (done < n) {
            if (pos == limit) {
                fill();
            }
            int k = Math.min(n - done, limit - pos);
            System.arraycopy(buf, pos, out, done, k);
            pos += k;
            done += k;
        }
    }

    /** The name read by the last {@link #keyName}: null when it was compressed or too long to show. */
    String lastKey() {
        return keyLen < 0 ? null : new String(keyBuf, 0, keyLen, StandardCharsets.UTF_8);
    }

    private void skipEncoded(long v) throws IOException {
        switch ((int) (-1 - v)) {
            case 0 -> skip(1);
            case 1 -> skip(2);
            case 2 -> skip(4);
            case 3 -> {
                long compressed = length();
                length(); // uncompressed length
                skip(compressed);
            }
            default -> throw new Corrupt("unknown string encoding " + (-1 - v) + " at byte " + (offset() - 1));
        }
    }

    /**
     * A string whose bytes are needed (ziplists, listpacks, intsets to validate), decompressed; null when
     * it is longer than {@code max} (then skipped) — big blobs are rare and Redis writes them the same way.
     */
    byte[] blob(int max) throws IOException {
        long v = lengthOrEncoding();
        if (v >= 0) {
            if (v > max) {
                skip(v);
                return null;
            }
            return bytes((int) v);
        }
        switch ((int) (-1 - v)) {
            case 0, 1, 2 -> throw new Corrupt("an integer stands where an encoded structure belongs (byte "
                    + (offset() - 1) + ")");
            case 3 -> {
                long compressed = length();
                long plain = length();
                if (compressed > max || plain > max) {
                    skip(compressed);
                    return null;
                }
                return Lzf.decompress(bytes((int) compressed), (int) plain);
            }
            default -> throw new Corrupt("unknown string encoding " + (-1 - v) + " at byte " + (offset() - 1));
        }
    }

    /** A string as text (integers as decimal); null when longer than max or LZF-compressed (skipped). */
    String string(int max) throws IOException {
        long v = lengthOrEncoding();
        if (v >= 0) {
            if (v > max) {
                skip(v);
                return null;
            }
            return new String(bytes((int) v), StandardCharsets.UTF_8);
        }
        return switch ((int) (-1 - v)) {
            case 0 -> Long.toString((byte) u8());
            case 1 -> Long.toString((short) le(2));
            case 2 -> Long.toString((int) le(4));
            case 3 -> {
                long compressed = length();
                long plain = length();
                if (plain > max || compressed > max) {
                    skip(compressed);
                    yield null;
                }
                yield new String(Lzf.decompress(bytes((int) compressed), (int) plain), StandardCharsets.UTF_8);
            }
            default -> throw new Corrupt("unknown string encoding " + (-1 - v) + " at byte " + (offset() - 1));
        };
    }
}
