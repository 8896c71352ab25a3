package io.dbrescue.postgres.scan;

import io.dbrescue.scan.Compression;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ReadOnly;
import io.dbrescue.scan.Sample;
import io.dbrescue.scan.Status;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.Comparator;
import java.util.List;

/**
 * pg_dump -Fc: header, TOC, then one data block per table (pg_backup_custom.c): a block type byte
 * (1 = table data, 3 = large objects), the dump ID as an int, then chunks (int length + bytes) ending
 * with a 0 length; a large-object block repeats (int OID, chunks) and ends with OID 0. When pg_dump
 * wrote to a seekable file it rewrote the TOC with each block's offset, so a cut-short file shows as
 * offsets beyond its end; the last block is walked to the end to catch a cut inside it.
 */
final class PgDumpCustom {
    private static final int BLK_DATA = 1;
    private static final int BLK_BLOBS = 3;

    private PgDumpCustom() {
    }

    /** @param wrapper the compression around the whole file (gzip of a -Fc dump), NONE for a plain -Fc file */
    static Finding detect(Sample s, Compression wrapper) throws IOException {
        String format = wrapper == Compression.NONE ? "custom" : "custom-" + wrapper.id();
        try (InputStream raw = wrapper == Compression.NONE ? s.open() : s.openContent()) {
            PgArchiveInput in = new PgArchiveInput(new BufferedInputStream(raw, 65536), 0);
            PgArchiveHeader h;
            try {
                h = PgArchiveHeader.read(in);
            } catch (IOException e) {
                return PgArchiveFindings.unreadableHeader(format, cutOrGarbled(e, wrapper));
            }
            if (h.format() != PgArchiveHeader.FORMAT_CUSTOM) {
                s.suspicious("Starts like a pg_dump archive (PGDMP) but says it is format " + h.format()
                        + " (the table of contents of a directory or tar dump) without the rest of that dump; "
                        + "not taken as a dump.");
                return null;
            }
            Finding f = PgArchiveFindings.of(h, format);
            PgArchiveFindings.wrapped(f, "custom", wrapper);
            PgArchiveToc toc = PgArchiveFindings.readToc(in, h, f, e -> cutOrGarbled(e, wrapper));
            if (toc == null) {
                return f;
            }
            List<PgArchiveToc.Entry> data = toc.dataEntries();
            boolean allSet = data.stream().allMatch(e -> e.dataState() == PgArchiveToc.OFFSET_SET);
            if (wrapper == Compression.NONE && allSet && !data.isEmpty()) {
                checkByOffsets(s, f, h, data, in.position());
            } else {
                walkAll(f, in, data, wrapper);
            }
            return f;
        }
    }

    private static IOException cutOrGarbled(IOException e, Compression wrapper) {
        // a compressed stream that ends early throws its own IOException: treat it as cut short
        if (wrapper != Compression.NONE && !(e instanceof PgArchiveException)) {
            return new EOFException(e.getMessage());
        }
        return e;
    }

    private static void checkByOffsets(Sample s, Finding f, PgArchiveHeader h, List<PgArchiveToc.Entry> data,
                                       long tocEnd)
            throws IOException {
        long size = s.size();
        List<PgArchiveToc.Entry> beyond = data.stream().filter(e -> e.dataPos() >= size).toList();
        if (!beyond.isEmpty()) {
            f.problem(Status.DAMAGED, "The dump is cut short: the file is " + size + " bytes, but the data of "
                    + beyond.size() + " of its " + data.size() + " tables/large-object sets starts beyond that (first: "
                    + beyond.get(0).label() + "). pg_restore would stop with an error there; look for a complete copy.");
            return;
        }
        if (data.stream().anyMatch(e -> e.dataPos() < tocEnd)) {
            f.problem(Status.DAMAGED, "The dump's table of contents points to data inside itself: the file is "
                    + "garbled and pg_restore will fail on it.");
            return;
        }
        PgArchiveToc.Entry last = data.stream().max(Comparator.comparingLong(PgArchiveToc.Entry::dataPos)).orElseThrow();
        try (SeekableByteChannel ch = ReadOnly.channel(s.path())) {
            ch.position(last.dataPos());
            PgArchiveInput in = new PgArchiveInput(
                    new BufferedInputStream(Channels.newInputStream(ch), 65536), last.dataPos());
            in.intSize = h.intSize();
            in.offSize = h.offSize();
            int type = in.readByte();
            long id = in.readInt();
            if (id != last.dumpId() || (type != BLK_DATA && type != BLK_BLOBS)) {
                f.problem(Status.DAMAGED, "The data block of " + last.label() + " is not where the table of contents "
                        + "says: the file is garbled; pg_restore will fail on it.");
                return;
            }
            walkBlockBody(in, type);
            if (in.position() < size) {
                f.warn((size - in.position()) + " bytes follow the last data block; pg_dump writes none there. "
                        + "The dump itself looks complete.");
            }
        } catch (EOFException e) {
            f.problem(Status.DAMAGED, "The dump is cut short inside the data of " + last.label()
                    + " (the last table in the file): pg_restore would fail there. Look for a complete copy.");
        } catch (PgArchiveException e) {
            f.problem(Status.DAMAGED, "The data of " + last.label() + " is garbled (" + e.getMessage()
                    + "); pg_restore would fail there.");
        }
    }

    /** Walks every data block from the current position to the end of the stream. */
    private static void walkAll(Finding f, PgArchiveInput in, List<PgArchiveToc.Entry> data, Compression wrapper)
            throws IOException {
        int blocks = 0;
        try {
            while (true) {
                int type = in.readByteOrEnd();
                if (type < 0) {
                    break;
                }
                if (type != BLK_DATA && type != BLK_BLOBS) {
                    throw new PgArchiveException("unknown data block type " + type + " at byte " + (in.position() - 1));
                }
                in.readInt();
                walkBlockBody(in, type);
                blocks++;
            }
        } catch (PgArchiveException e) {
            f.problem(Status.DAMAGED, "The dump's data is garbled after " + blocks + " of its " + data.size()
                    + " data blocks (" + e.getMessage() + "); pg_restore would fail there.");
            return;
        } catch (IOException e) {
            f.problem(Status.DAMAGED, (wrapper != Compression.NONE && !(e instanceof EOFException)
                    ? "The compressed file is cut short or corrupt (" + e.getMessage() + ")"
                    : "The dump is cut short") + " inside its data, after " + blocks + " of its " + data.size()
                    + " data blocks: pg_restore would fail there. Look for a complete copy.");
            return;
        }
        if (blocks < data.size()) {
            f.problem(Status.DAMAGED, "The dump is cut short: it holds " + blocks + " of the " + data.size()
                    + " data blocks its table of contents lists. pg_restore would fail on the missing ones.");
        }
    }

    /** After the type byte and the ID: chunks of table data, or (large objects) OID + chunks until OID 0. */
    private static void walkBlockBody(PgArchiveInput in, int type) throws IOException {
        if (type == BLK_DATA) {
            skipChunks(in);
        } else {
            while (in.readInt() != 0) {
                skipChunks(in);
            }
        }
    }

    private static void skipChunks(PgArchiveInput in) throws IOException {
        long len;
        while ((len = in.readInt()) != 0) {
            if (len < 0) {
                throw new PgArchiveException("a data chunk has the negative length " + len + " at byte " + in.position());
            }
            in.skip(len);
        }
    }
}
