package io.dbrescue.redis;

import io.dbrescue.scan.ReadOnly;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The command log of an AOF: RESP arrays of bulk strings ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"),
 * and in Redis 7 optional annotation lines starting with '#'. Like redis-check-aof, an AOF is complete
 * when its last command is whole and no MULTI is left without its EXEC; anything after the last
 * complete command is what redis-check-aof --fix (and Redis with aof-load-truncated) cut away.
 */
final class Aof {
    /** How much of the end of a file the tail check reads. */
    static final int TAIL_WINDOW = 1 << 20;

    enum End {
        /** Ends after a whole command (or is empty). */
        COMPLETE,
        /** Ends in the middle of a command. */
        TRUNCATED,
        /** Ends inside a MULTI ... EXEC transaction whose EXEC is missing. */
        OPEN_MULTI,
        /** Not RESP where a command should start. */
        FORMAT_ERROR,
        /** No command boundary could be found in the part that was read. */
        UNKNOWN
    }

    /** The result of a tail check; {@code okUpTo} is the file offset after the last complete command. */
    record Tail(End end, long okUpTo) {
    }

    private Aof() {
    }

    /** True when the bytes start like an AOF: "*N\r\n$L\r\n" + a command name, or a "#" annotation line. */
    static boolean looksLikeResp(byte[] h) {
        int i = 0;
        if (h.length > 4 && h[0] == '#' && h[1] == 'T' && h[2] == 'S' && h[3] == ':') { // Redis 7 timestamp annotation
            while (i < h.length && h[i] != '\n') {
                i++;
            }
            i++;
        }
        if (i >= h.length || h[i] != '*') {
            return false;
        }
        int[] at = {i + 1};
        long argc = number(h, at);
        if (argc < 1 || argc > 1_000_000 || at[0] >= h.length || h[at[0]] != '$') {
            return false;
        }
        at[0]++;
        long len = number(h, at);
        if (len < 1 || len > 64) {
            return false;
        }
        for (int k = at[0]; k < Math.min(h.length, at[0] + len); k++) {
            byte c = h[k];
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '.' || c == '_' || c == '|')) {
                return false;
            }
        }
        return true;
    }

    /** Digits then CRLF starting at at[0]; returns -1 if not so; moves at[0] past the CRLF. */
    private static long number(byte[] b, int[] at) {
        int i = at[0];
        long v = 0;
        int digits = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && digits < 18) {
            v = v * 10 + (b[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || i + 1 >= b.length || b[i] != '\r' || b[i + 1] != '\n') {
            return -1;
        }
        at[0] = i + 2;
        return v;
    }

    /** Checks how the command log from {@code start} to the end of the file ends, reading at most the last MB. */
    static Tail checkEnd(Path file, long start, long size) throws IOException {
        if (size <= start) {
            return new Tail(End.COMPLETE, size);
        }
        int window = (int) Math.min(size - start, TAIL_WINDOW);
        long windowStart = size - window;
        byte[] b = ReadOnly.range(file, windowStart, window);
        if (b.length < window) {
            return new Tail(End.UNKNOWN, start);
        }
        return checkEnd(b, windowStart, windowStart == start);
    }

    /**
     * @param exact true when b starts at a command boundary; otherwise the first "\r\n*" from which the
     *              rest parses as RESP is taken as one
     */
    static Tail checkEnd(byte[] b, long baseOffset, boolean exact) {
        if (exact) {
            Tail t = parse(b, 0, baseOffset);
            return t;
        }
        for (int p = 2; p < b.length; p++) {
            if ((b[p] == '*' || b[p] == '#') && b[p - 1] == '\n' && b[p - 2] == '\r') {
                Tail t = parse(b, p, baseOffset);
                if (t.end() != End.FORMAT_ERROR) {
                    return t;
                }
            }
        }
        return new Tail(End.UNKNOWN, baseOffset);
    }

    private static Tail parse(byte[] b, int from, long baseOffset) {
        return new TailWalk(b, from, baseOffset).run();
    }

    /**
     * Walks RESP commands ("*argc" then "$len" arguments; '#' annotation lines) from one offset to the end of the
     * bytes, counting open MULTI blocks, and says how the bytes end and up to where they are whole commands outside
     * a MULTI.
     */
    private static final class TailWalk {
        private final byte[] b;
        private final long baseOffset;
        private int i;
        private int multi;
        private long okUpTo;

        TailWalk(byte[] b, int from, long baseOffset) {
            this.b = b;
            this.baseOffset = baseOffset;
            this.i = from;
            this.okUpTo = baseOffset + from;
        }

        Tail run() {
            while (true) {
                if (multi == 0) {
                    okUpTo = baseOffset + i;
                }
                if (i == b.length) {
                    return new Tail(multi == 0 ? End.COMPLETE : End.OPEN_MULTI, okUpTo);
                }
                End stop = b[i] == '#' ? annotation() : command();
                if (stop != null) {
                    return new Tail(stop, okUpTo);
                }
            }
        }

        /** Steps over a '#' line; TRUNCATED when it has no line end, else null. */
        private End annotation() {
            int nl = i;
            while (nl < b.length && b[nl] != '\n') {
                nl++;
            }
            if (nl == b.length) {
                return End.TRUNCATED;
            }
            i = nl + 1;
            return null;
        }

        /** Steps over one command; how the bytes end when it is cut short or malformed, else null. */
        private End command() {
            if (b[i] != '*') {
                return End.FORMAT_ERROR;
            }
            int[] at = {i + 1};
            long argc = numberOrEnd(b, at);
            if (argc == -2) {
                return End.TRUNCATED;
            }
            if (argc < 1) {
                return End.FORMAT_ERROR;
            }
            for (long k = 0; k < argc; k++) {
                End stop = argument(at, k == 0);
                if (stop != null) {
                    return stop;
                }
            }
            i = at[0];
            return null;
        }

        /** Steps {@code at} over one "$len" argument (a first one MULTI or EXEC opens or closes a block). */
        private End argument(int[] at, boolean first) {
            if (at[0] >= b.length) {
                return End.TRUNCATED;
            }
            if (b[at[0]] != '$') {
                return End.FORMAT_ERROR;
            }
            at[0]++;
            long len = numberOrEnd(b, at);
            if (len == -2) {
                return End.TRUNCATED;
            }
            if (len < 0) {
                return End.FORMAT_ERROR;
            }
            long endOfArg = at[0] + len + 2;
            if (endOfArg > b.length) {
                return End.TRUNCATED;
            }
            int e = (int) endOfArg;
            if (b[e - 2] != '\r' || b[e - 1] != '\n') {
                return End.FORMAT_ERROR;
            }
            if (first && len == 5 && equalsIgnoreCase(b, at[0], "MULTI")) {
                multi++;
            } else if (first && len == 4 && equalsIgnoreCase(b, at[0], "EXEC") && multi > 0) {
                multi--;
            }
            at[0] = e;
            return null;
        }
    }

    /** Like number(), but -2 when the buffer ends before the CRLF, -1 when it is not a number. */
    private static long numberOrEnd(byte[] b, int[] at) {
        int i = at[0];
        long v = 0;
        int digits = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            if (++digits > 18) {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
            i++;
        }
        if (i >= b.length || (b[i] == '\r' && i + 1 >= b.length)) {
            return -2;
        }
        if (digits == 0 || b[i] != '\r' || b[i + 1] != '\n') {
            return -1;
        }
        at[0] = i + 2;
        return v;
    }

    private static boolean equalsIgnoreCase(byte[] b, int at, String word) {
        for (int k = 0; k < word.length(); k++) {
            if (Character.toUpperCase((char) b[at + k]) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
