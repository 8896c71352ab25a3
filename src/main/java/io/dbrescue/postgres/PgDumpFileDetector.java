package io.dbrescue.postgres;

import io.dbrescue.scan.Compression;
import io.dbrescue.scan.FileDetector;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Sample;

import java.io.IOException;

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
        if (PgArchiveHeader.hasMagic(content)) {
            return archive(s, content, s.compression());
        }
        if (PgDumpTar.looksLikeTar(content)) {
            return PgDumpTar.detect(s, s.compression());
        }
        int kind = PgPlainDump.kindOf(content);
        return kind == 0 ? null : PgPlainDump.detect(s, kind);
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
