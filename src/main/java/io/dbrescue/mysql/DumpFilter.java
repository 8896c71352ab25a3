package io.dbrescue.mysql;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Leaves whole databases out of a mysqldump / mariadb-dump stream as it flows to the client: the
 * system databases (mysql, sys...: restoring them would replace the target's users and grants) and
 * databases the user chose to skip. A database's part of a {@code --databases} / {@code --all-databases}
 * dump starts at its "-- Current Database: `x`" comment (or, without comments, at its
 * "CREATE DATABASE ... `x`" or "USE `x`;" line) and runs to the next database's start. Lines are
 * looked at by their first bytes only, so megabyte-long INSERT lines stream through without buffering.
 */
final class DumpFilter extends FilterInputStream {
    private static final int PREFIX = 1024;
    private static final Pattern START = Pattern.compile(
            "^(?:-- Current Database: |CREATE DATABASE (?:/\\*!32312 IF NOT EXISTS\\*/ )?(?:IF NOT EXISTS )?|USE )`((?:[^`]|``)+)`");

    private final Set<String> drop;
    private final byte[] prefix = new byte[PREFIX];
    private int prefixLen;
    /** Bytes ready to hand out (a decided line prefix). */
    private byte[] pending = new byte[0];
    private int pendingPos;
    private boolean atLineStart = true;
    /** The current line was decided: true = pass it, false = drop it. */
    private boolean passLine;
    private boolean lineDecided;
    private String section;
    private boolean eof;

    DumpFilter(InputStream in, Set<String> drop) {
        super(in);
        this.drop = drop;
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        int n = read(b, 0, 1);
        return n < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] out, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int written = 0;
        byte[] buf = new byte[Math.min(len, 1 << 16)];
        while (written == 0) {
            if (pendingPos < pending.length) {
                int n = Math.min(len, pending.length - pendingPos);
                System.arraycopy(pending, pendingPos, out, off, n);
                pendingPos += n;
                return n;
            }
            if (eof) {
                return -1;
            }
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                if (!lineDecided && prefixLen > 0) {
                    decide();
                    if (passLine) {
                        pending = java.util.Arrays.copyOf(prefix, prefixLen);
                        pendingPos = 0;
                    }
                    prefixLen = 0;
                }
                continue;
            }
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream(n + PREFIX);
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (atLineStart) {
                    atLineStart = false;
                    lineDecided = false;
                    prefixLen = 0;
                }
                if (!lineDecided) {
                    prefix[prefixLen++] = b;
                    if (b == '\n' || prefixLen == PREFIX) {
                        decide();
                        if (passLine) {
                            o.write(prefix, 0, prefixLen);
                        }
                    }
                } else if (passLine) {
                    o.write(b);
                }
                if (b == '\n') {
                    atLineStart = true;
                }
            }
            pending = o.toByteArray();
            pendingPos = 0;
        }
        return written;
    }

    private void decide() {
        lineDecided = true;
        String s = new String(prefix, 0, Math.min(prefixLen, 300), StandardCharsets.UTF_8);
        Matcher m = START.matcher(s);
        if (m.find()) {
            String name = m.group(1).replace("``", "`");
            if (!name.equals(section)) {
                section = name;
            }
        }
        passLine = section == null || !drop.contains(section);
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("not supported");
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
