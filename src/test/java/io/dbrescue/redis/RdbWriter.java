package io.dbrescue.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes small RDB files of the versions no server here writes (1, 2, 5, 6 from before Redis 3.2;
 * 11 and 12 of Redis 7.2 / 7.4), byte by byte after Redis' src/rdb.c: SELECTDB, plain strings and
 * lists, the encodings new in 11 (a set as a listpack) and 12 (a hash with field expiry as a listpack),
 * the EOF opcode and, from version 5, the CRC-64. Files of versions 1 to 10 are loaded by the real
 * Redis 7.0 in the tests, so they are proven well-formed by Redis itself.
 */
final class RdbWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int version;

    RdbWriter(int version) {
        this.version = version;
        bytes(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
    }

    RdbWriter select(int db) {
        out.write(0xfe);
        length(db);
        return this;
    }

    RdbWriter string(String key, String value) {
        out.write(0);
        str(key);
        str(value);
        return this;
    }

    RdbWriter list(String key, String... values) {
        out.write(1);
        str(key);
        length(values.length);
        for (String v : values) {
            str(v);
        }
        return this;
    }

    /** RDB 11's set as a listpack of small integers (type 20). */
    RdbWriter setListpack(String key, int... members) {
        out.write(20);
        str(key);
        blob(listpack(members));
        return this;
    }

    /** RDB 12's hash with field expiry as a listpack (type 25): min expiry, then field, value, ttl triplets. */
    RdbWriter hashListpackEx(String key, long minExpireMs, int field, int value) {
        out.write(25);
        str(key);
        le(minExpireMs, 8);
        blob(listpack(field, value, 0));
        return this;
    }

    /** A value of an encoded type given as its raw blob (to write damaged encodings). */
    RdbWriter encoded(int type, String key, byte[] blob) {
        out.write(type);
        str(key);
        blob(blob);
        return this;
    }

    /**
     * A listpack whose header is right but whose second entry has the encoding byte 0xF5, which does not
     * exist: only a check of every entry (redis-check-rdb's) sees it.
     */
    static byte[] listpackWithBadEntry() {
        return new byte[] {11, 0, 0, 0, 2, 0, 0x01, 0x01, (byte) 0xf5, 0x01, (byte) 0xff};
    }

    byte[] end() {
        out.write(0xff);
        byte[] body = out.toByteArray();
        if (version < 5) {
            return body;
        }
        long crc = Crc64.update(0, body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    /** A listpack of 7-bit unsigned integers: header (total bytes, count), entries (encoding + backlen), 0xFF. */
    private static byte[] listpack(int... values) {
        int total = 6 + values.length * 2 + 1;
        byte[] lp = new byte[total];
        lp[0] = (byte) total;
        lp[4] = (byte) values.length;
        int p = 6;
        for (int v : values) {
            lp[p++] = (byte) (v & 0x7f);
            lp[p++] = 1;
        }
        lp[p] = (byte) 0xff;
        return lp;
    }

    private void blob(byte[] b) {
        length(b.length);
        bytes(b);
    }

    private void str(String s) {
        blob(s.getBytes(StandardCharsets.UTF_8));
    }

    private void length(int n) {
        if (n < 64) {
            out.write(n);
        } else {
            out.write(0x40 | (n >> 8));
            out.write(n & 0xff);
        }
    }

    private void le(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    private void bytes(byte[] b) {
        out.write(b, 0, b.length);
    }
}
