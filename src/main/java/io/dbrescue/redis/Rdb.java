package io.dbrescue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the structure of a Redis RDB file (format as in Redis' src/rdb.h and rdb.c): the header
 * "REDIS" + 4-digit version, the aux fields (opcode 0xFA), SELECTDB (0xFE) and RESIZEDB (0xFB), and the
 * end (0xFF + 8-byte CRC-64 from version 5 on).
 *
 * <p>Key counts come only from RESIZEDB. To reach the SELECTDB of a second database the parser has to
 * get past the first one's keys: it skips them by their encoded lengths (it never decodes or counts
 * them), computing the CRC on the way, and gives up after {@code budget} bytes or on a value type it
 * does not know; the caller then falls back to a cheap look at the last bytes.
 */
final class Rdb {
    /** The newest RDB version whose layout this parser knows (Redis 7.4 / 8.x). */
    static final int MAX_KNOWN_VERSION = 12;

    static final int OP_SLOT_INFO = 244;
    static final int OP_FUNCTION2 = 245;
    static final int OP_FUNCTION_PRE_GA = 246;
    static final int OP_MODULE_AUX = 247;
    static final int OP_IDLE = 248;
    static final int OP_FREQ = 249;
    static final int OP_AUX = 250;
    static final int OP_RESIZEDB = 251;
    static final int OP_EXPIRETIME_MS = 252;
    static final int OP_EXPIRETIME = 253;
    static final int OP_SELECTDB = 254;
    static final int OP_EOF = 255;

    /** How the walk through the file ended. */
    enum End {
        /** Reached the EOF opcode (and the checksum after it). */
        COMPLETE,
        /** The file ended in the middle of the data: cut short. */
        CUT_SHORT,
        /** Stopped early on purpose (byte budget) or on something it cannot skip; the rest is unknown. */
        STOPPED
    }

    static final class Info {
        int rdbVersion;
        final Map<String, String> aux = new LinkedHashMap<>();
        final List<Integer> databases = new ArrayList<>();
        /** db number -> number of keys, from RESIZEDB. */
        final Map<Integer, Long> keys = new LinkedHashMap<>();
        final Map<Integer, Long> expires = new LinkedHashMap<>();
        End end;
        String stopReason;
        /** Bytes of the RDB part (through the checksum); valid when COMPLETE. */
        long length;
        /** Checksum stored in the file and the one computed; valid when COMPLETE and version >= 5. */
        long storedCrc;
        long computedCrc;

        boolean checksumPresent() {
            return end == End.COMPLETE && rdbVersion >= 5 && storedCrc != 0;
        }

        boolean checksumMatches() {
            return storedCrc == computedCrc;
        }

        /** True when every SELECTDB seen carried a RESIZEDB and the walk saw them all. */
        boolean keyCountsComplete() {
            return end == End.COMPLETE && keys.keySet().containsAll(databases);
        }
    }

    private Rdb() {
    }

    /** The RDB version when the bytes start with "REDIS" + 4 digits, else -1. */
    static int version(byte[] head) {
        if (head == null || head.length < 9 || head[0] != 'R' || head[1] != 'E' || head[2] != 'D'
                || head[3] != 'I' || head[4] != 'S') {
            return -1;
        }
        int v = 0;
        for (int i = 5; i < 9; i++) {
            if (head[i] < '0' || head[i] > '9') {
                return -1;
            }
            v = v * 10 + (head[i] - '0');
        }
        return v;
    }

    /** The Redis release(s) that write an RDB version, for when redis-ver is absent. */
    static String releasesFor(int rdbVersion) {
        return switch (rdbVersion) {
            case 1, 2, 3, 4, 5 -> "≤2.6";
            case 6 -> "2.8–3.0";
            case 7 -> "3.2";
            case 8 -> "4.0";
            case 9 -> "5.0–6.2";
            case 10 -> "7.0";
            case 11 -> "7.2";
            case 12 -> "≥7.4";
            default -> rdbVersion > 12 ? "newer than 8.0" : null;
        };
    }

    /** Reads an RDB from its first byte; stops after about {@code budget} bytes. Never throws on bad data. */
    static Info read(InputStream in, long budget) throws IOException {
        Info info = new Info();
        Reader r = new Reader(in);
        try {
            byte[] magic = r.bytes(9);
            info.rdbVersion = version(magic);
            if (info.rdbVersion < 0) {
                info.end = End.STOPPED;
                info.stopReason = "no RDB header";
                return info;
            }
            walk(r, info, budget);
        } catch (Truncated e) {
            info.end = End.CUT_SHORT;
            info.length = r.offset();
        } catch (Stop e) {
            info.end = End.STOPPED;
            info.stopReason = e.getMessage();
            info.length = r.offset();
        }
        return info;
    }

    private static void walk(Reader r, Info info, long budget) throws IOException {
        int db = -1;
        while (true) {
            int type = r.u8();
            switch (type) {
                case OP_AUX -> {
                    String key = r.string(256);
                    String value = r.string(256);
                    if (key != null && value != null && info.aux.size() < 64) {
                        info.aux.put(key, value);
                    }
                }
                case OP_SELECTDB -> {
                    db = (int) r.length();
                    info.databases.add(db);
                }
                case OP_RESIZEDB -> {
                    long size = r.length();
                    long expires = r.length();
                    if (db >= 0) {
                        info.keys.put(db, size);
                        info.expires.put(db, expires);
                    }
                }
                case OP_EXPIRETIME_MS -> r.skip(8);
                case OP_EXPIRETIME -> r.skip(4);
                case OP_IDLE -> r.length();
                case OP_FREQ -> r.skip(1);
                case OP_SLOT_INFO -> {
                    r.length();
                    r.length();
                    r.length();
                }
                case OP_FUNCTION2 -> r.skipString();
                case OP_MODULE_AUX -> {
                    r.length(); // module id
                    skipModuleValue(r);
                }
                case OP_EOF -> {
                    r.stopCrc();
                    info.computedCrc = r.crc();
                    if (info.rdbVersion >= 5) {
                        byte[] c = r.bytes(8);
                        long v = 0;
                        for (int i = 7; i >= 0; i--) {
                            v = (v << 8) | (c[i] & 0xff);
                        }
                        info.storedCrc = v;
                    }
                    info.end = End.COMPLETE;
                    info.length = r.offset();
                    return;
                }
                case OP_FUNCTION_PRE_GA -> throw new Stop("function data of a Redis 7.0 release candidate");
                default -> {
                    if (r.offset() > budget) {
                        throw new Stop("stopped after " + budget + " bytes");
                    }
                    r.skipString(); // the key
                    skipValue(r, type, info.rdbVersion);
                }
            }
        }
    }

    /** Skips one value of an object type, by its encoded lengths. */
    private static void skipValue(Reader r, int type, int rdbVersion) throws IOException {
        switch (type) {
            case 0, 9, 10, 11, 12, 13, 16, 17, 20 -> r.skipString(); // string and single-blob encodings
            case 1, 2, 14 -> { // list, set, quicklist
                for (long n = r.length(); n > 0; n--) {
                    r.skipString();
                }
            }
            case 3 -> { // zset with doubles as strings
                for (long n = r.length(); n > 0; n--) {
                    r.skipString();
                    int len = r.u8();
                    if (len < 253) {
                        r.skip(len);
                    }
                }
            }
            case 4 -> { // hash
                for (long n = r.length(); n > 0; n--) {
                    r.skipString();
                    r.skipString();
                }
            }
            case 5 -> { // zset with binary doubles
                for (long n = r.length(); n > 0; n--) {
                    r.skipString();
                    r.skip(8);
                }
            }
            case 7 -> { // module value with annotations
                r.length();
                skipModuleValue(r);
            }
            case 18 -> { // quicklist 2: container kind + blob
                for (long n = r.length(); n > 0; n--) {
                    r.length();
                    r.skipString();
                }
            }
            case 15, 19, 21 -> skipStream(r, type);
            default -> throw new Stop("value type " + type + " (RDB version " + rdbVersion + ")");
        }
    }

    private static void skipStream(Reader r, int type) throws IOException {
        for (long n = r.length(); n > 0; n--) { // listpacks: node key + listpack
            r.skipString();
            r.skipString();
        }
        r.length(); // number of entries
        r.length(); // last id
        r.length();
        if (type >= 19) {
            r.length(); // first id
            r.length();
            r.length(); // max deleted id
            r.length();
            r.length(); // entries added
        }
        for (long groups = r.length(); groups > 0; groups--) {
            r.skipString(); // group name
            r.length(); // last delivered id
            r.length();
            if (type >= 19) {
                r.length(); // entries read
            }
            for (long pel = r.length(); pel > 0; pel--) {
                r.skip(16 + 8); // stream id + delivery time
                r.length(); // delivery count
            }
            for (long consumers = r.length(); consumers > 0; consumers--) {
                r.skipString(); // name
                r.skip(8); // seen time
                if (type >= 21) {
                    r.skip(8); // active time
                }
                for (long pel = r.length(); pel > 0; pel--) {
                    r.skip(16);
                }
            }
        }
    }

    /** A module value: typed items (sint/uint 1/2, float 3, double 4, string 5) up to opcode 0. */
    private static void skipModuleValue(Reader r) throws IOException {
        while (true) {
            long op = r.length();
            switch ((int) op) {
                case 0 -> {
                    return;
                }
                case 1, 2 -> r.length();
                case 3 -> r.skip(4);
                case 4 -> r.skip(8);
                case 5 -> r.skipString();
                default -> throw new Stop("module data with item type " + op);
            }
        }
    }

    /** The file ended before the structure did. */
    private static final class Truncated extends IOException {
        Truncated() {
            super("unexpected end of file", null);
        }
    }

    /** The walk gave up (budget, unknown encoding). */
    private static final class Stop extends IOException {
        Stop(String why) {
            super(why, null);
        }
    }

    /** A buffered reader that counts its offset and computes the CRC of what it consumed. */
    private static final class Reader {
        private final InputStream in;
        private final byte[] buf = new byte[65536];
        private int pos;
        private int limit;
        private long base; // file offset of buf[0]
        private int crcMark;
        private boolean crcOn = true;
        private long crc;

        Reader(InputStream in) {
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
                            throw new Stop("length out of range");
                        }
                        return v;
                    }
                    throw new Stop("bad length byte " + b);
                default:
                    return -1 - (b & 0x3f);
            }
        }

        long length() throws IOException {
            long v = lengthOrEncoding();
            if (v < 0) {
                throw new Stop("encoded value where a length belongs");
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

        private long le(int n) throws IOException {
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
            switch ((int) (-1 - v)) {
                case 0 -> skip(1);
                case 1 -> skip(2);
                case 2 -> skip(4);
                case 3 -> {
                    long compressed = length();
                    length(); // uncompressed length
                    skip(compressed);
                }
                default -> throw new Stop("unknown string encoding " + (-1 - v));
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
                    length();
                    skip(compressed);
                    yield null;
                }
                default -> throw new Stop("unknown string encoding " + (-1 - v));
            };
        }
    }
}
