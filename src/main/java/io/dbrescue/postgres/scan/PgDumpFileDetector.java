package io.dbrescue.postgres.scan;

import io.dbrescue.scan.Compression;
import io.dbrescue.scan.FileDetector;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Sample;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Recognises pg_dump output files by content: custom format (PGDMP, format byte 1), tar format
 * (a tar whose first member is toc.dat with a PGDMP header), plain SQL of pg_dump and pg_dumpall,
 * and all of these inside gzip/zstd/xz/bzip2. A file that starts with "PGDMP" followed by a
 * version byte other than 1 is not a pg_dump archive (every archive version is 1.x): it is reported
 * as suspicious, not as a finding; "PGDMP" with version 1 and a garbled rest is a damaged dump.
 */
public final class PgDumpFileDetector implements FileDetector {
    @Override
    public Finding detect(Sample s) throws IOException {
        byte[] head = s.head();
        if (PgArchiveHeader.hasMagic(head)) {
            return archive(s, head, Compression.NONE);
        }
        if (PgDumpTar.looksLikeTar(head)) {
            return PgDumpTar.detect(s, Compression.NONE);
        }
        if (head.length > 0 && (head[0] == '-' || head[0] == (byte) 0xEF)) {
            int kind = PgPlainDump.kindOf(head);
            return kind == 0 ? null : PgPlainDump.detect(s, kind);
        }
        if (s.compression() == Compression.NONE) {
            return null;
        }
        byte[] content = s.contentHead();
        if (content.length == 0) {
            content = partialContentHead(s);
        }
        if (PgArchiveHeader.hasMagic(content)) {
            return archive(s, content, s.compression());
        }
        if (PgDumpTar.looksLikeTar(content)) {
            return PgDumpTar.detect(s, s.compression());
        }
        int kind = PgPlainDump.kindOf(content);
        return kind == 0 ? null : PgPlainDump.detect(s, kind);
    }

    /**
     * Sample.contentHead() gives nothing when the compressed stream breaks within its first bytes'
     * read-ahead (a cut-short .gz); what was decompressed before the break is enough to recognise a dump.
     */
    private static byte[] partialContentHead(Sample s) {
        byte[] buf = new byte[Sample.HEAD_BYTES];
        int n = 0;
        try (InputStream in = s.openContent()) {
            int r;
            while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
                n += r;
            }
        } catch (IOException | RuntimeException e) {
            // keep what was read
        }
        return Arrays.copyOf(buf, n);
    }

    private static Finding archive(Sample s, byte[] content, Compression wrapper) throws IOException {
        if (content.length < 6 || content[5] != 1) {
            s.suspicious("Starts with \"PGDMP\" like a pg_dump archive, but the next byte is not an archive version "
                    + "pg_dump writes (1.x); not taken as a dump.");
            return null;
        }
        return PgDumpCustom.detect(s, wrapper);
    }
}
