package io.dbrescue.postgres.scan;

import io.dbrescue.scan.Compression;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Sample;
import io.dbrescue.scan.Status;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * pg_dump -Ft (pg_backup_tar.c): a tar whose first member is toc.dat (archive header, format byte 3,
 * and the TOC, where each data entry names its member, "NNNN.dat"), then one member per table, the
 * large objects, and restore.sql last. The tar is streamed member by member: a member cut short or
 * a data member missing means the dump is damaged.
 */
final class PgDumpTar {
    private static final byte[] TOC_NAME = "toc.dat\0".getBytes(StandardCharsets.US_ASCII);

    private PgDumpTar() {
    }

    /** A tar header naming toc.dat, followed (at 512) by the PGDMP magic. */
    static boolean looksLikeTar(byte[] content) {
        return content.length >= 517 && Arrays.equals(content, 0, TOC_NAME.length, TOC_NAME, 0, TOC_NAME.length)
                && PgArchiveHeader.hasMagic(Arrays.copyOfRange(content, 512, 517));
    }

    /**
     * A table's member is its TOC file name; large objects (desc BLOBS) are stored as blobs.toc
     * (blobs_ID.toc from pg_dump 17) plus blob_OID.dat members, whatever name the TOC holds.
     */
    private static boolean present(Set<String> members, PgArchiveToc.Entry e) {
        if (members.contains(e.filename())) {
            return true;
        }
        return "BLOBS".equals(e.desc())
                && (members.contains("blobs.toc") || members.contains("blobs_" + e.dumpId() + ".toc"));
    }

    static Finding detect(Sample s, Compression wrapper) throws IOException {
        String format = wrapper == Compression.NONE ? "tar" : "tar-" + wrapper.id();
        try (InputStream raw = wrapper == Compression.NONE ? s.open() : s.openContent();
             TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry first;
            try {
                first = tar.getNextEntry();
            } catch (IOException e) {
                return PgArchiveFindings.unreadableHeader(format, new EOFException(e.getMessage()));
            }
            if (first == null || !"toc.dat".equals(first.getName())) {
                return null;
            }
            PgArchiveInput in = new PgArchiveInput(tar, 0);
            PgArchiveHeader h;
            try {
                h = PgArchiveHeader.read(in);
            } catch (IOException e) {
                return PgArchiveFindings.unreadableHeader(format, e);
            }
            Finding f = PgArchiveFindings.of(h, format);
            PgArchiveFindings.wrapped(f, "tar", wrapper);
            PgArchiveToc toc = PgArchiveFindings.readToc(in, h, f, e -> e);
            if (toc == null) {
                return f;
            }
            Set<String> members = new HashSet<>();
            try {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    long read = tar.transferTo(OutputStream.nullOutputStream());
                    if (read < e.getSize()) {
                        throw new EOFException(e.getName() + " is cut short");
                    }
                    members.add(e.getName());
                }
            } catch (IOException e) {
                f.problem(Status.DAMAGED, "The tar-format dump is cut short (" + e.getMessage() + "): "
                        + "the tar file ends in the middle of a member, so pg_restore would fail. Look for a complete copy.");
                return f;
            }
            List<PgArchiveToc.Entry> missing = toc.dataEntries().stream()
                    .filter(en -> !present(members, en)).toList();
            if (!missing.isEmpty()) {
                f.problem(Status.DAMAGED, "The tar-format dump is cut short: " + missing.size() + " of the "
                        + toc.dataEntries().size() + " data files its table of contents lists are not in the tar (first: "
                        + missing.get(0).filename() + ", " + missing.get(0).label() + ").");
            } else if (!members.contains("restore.sql")) {
                f.problem(Status.DAMAGED, "The tar-format dump is cut short: its last member (restore.sql) is missing. "
                        + "All table data is present, so pg_restore will probably still work.");
            }
            return f;
        }
    }
}
