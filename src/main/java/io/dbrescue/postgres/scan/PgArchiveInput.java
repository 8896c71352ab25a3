package io.dbrescue.postgres.scan;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the primitives of a pg_dump archive (custom, tar and directory formats share them; see
 * PostgreSQL's src/bin/pg_dump/pg_backup_archiver.c, ReadInt / ReadStr / ReadOffset): an int is a
 * sign byte followed by {@code intSize} little-endian magnitude bytes; a string is an int length
 * (negative = NULL) followed by that many bytes; an offset is a flag byte followed by {@code offSize}
 * little-endian bytes. Counts its position so that callers can check offsets against the file size.
 * Running out of bytes throws {@link EOFException} (the file is cut short); nonsense values throw
 * {@link PgArchiveException} (the file is garbled).
 */
final class PgArchiveInput {
    private final InputStream in;
    private long position;
    int intSize = 4;
    int offSize = 8;

    PgArchiveInput(InputStream in, long startPosition) {
        this.in = in;
        this.position = startPosition;
    }

    long position() {
        return position;
    }

    int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("end of file at byte " + position);
        }
        position++;
        return b;
    }

    /** Like {@link #readByte()} but returns -1 at a clean end of the stream. */
    int readByteOrEnd() throws IOException {
        int b = in.read();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    byte[] readBytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        position += b.length;
        if (b.length < n) {
            throw new EOFException("end of file at byte " + position);
        }
        return b;
    }

    void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    position += n - left;
                    throw new EOFException("end of file at byte " + position);
                }
                s = 1;
            }
            left -= s;
        }
        position += n;
    }

    /** ReadInt: sign byte, then intSize bytes, least significant first. */
    long readInt() throws IOException {
        int sign = readByte();
        long value = 0;
        for (int i = 0; i < intSize; i++) {
            long b = readByte();
            if (i < 8) {
                value |= b << (8 * i);
            }
        }
        if (sign > 1) {
            throw new PgArchiveException("an integer has an invalid sign byte (" + sign + ") at byte " + (position - intSize - 1));
        }
        return sign == 0 ? value : -value;
    }

    /**
     * ReadStr: an int length then the bytes; null for a negative length. Strings longer than
     * {@code keep} bytes are skipped and returned as "" (table definitions can be large).
     */
    String readStr(int keep) throws IOException {
        long len = readInt();
        if (len < 0) {
            return null;
        }
        if (len > Integer.MAX_VALUE) {
            throw new PgArchiveException("a text field claims to be " + len + " bytes long at byte " + position);
        }
        if (len > keep) {
            skip(len);
            return "";
        }
        return new String(readBytes((int) len), StandardCharsets.UTF_8);
    }

    /** ReadOffset: flag byte (1 not set, 2 set, 3 no data) then offSize bytes; returns {flag, offset}. */
    long[] readOffset() throws IOException {
        int flag = readByte();
        if (flag < 1 || flag > 3) {
            throw new PgArchiveException("unexpected data offset flag " + flag + " at byte " + (position - 1));
        }
        long off = 0;
        for (int i = 0; i < offSize; i++) {
            long b = readByte();
            if (i < 8) {
                off |= b << (8 * i);
            } else if (b != 0) {
                throw new PgArchiveException("a file offset is too large at byte " + position);
            }
        }
        return new long[] {flag, off};
    }
}
