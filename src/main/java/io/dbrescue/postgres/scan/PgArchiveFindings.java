package io.dbrescue.postgres.scan;

import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.Status;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;

/** Turns a parsed archive header and TOC into the finding's facts, the same for custom, tar and directory dumps. */
final class PgArchiveFindings {
    private PgArchiveFindings() {
    }

    static Finding of(PgArchiveHeader h, String format) {
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DUMP).format(format)
                .version(PgArchiveHeader.shortVersion(h.serverVersion()))
                .databases(h.database() == null || h.database().isEmpty() ? List.of() : List.of(h.database()))
                .detail("archiveVersion", h.archiveVersion())
                .detail("serverVersion", h.serverVersion())
                .detail("pgDumpVersion", h.pgDumpVersion())
                .detail("compression", h.compression())
                .detail("createdAt", h.createdAt())
                .detail("pgRestoreNeeded", h.pgRestoreNeeded());
        if (h.newerThanKnown()) {
            f.warn("This dump uses archive format " + h.archiveVersion() + ", newer than any pg_dump this tool knows "
                    + "(1.16 = pg_dump 17 and 18). Only its header was read. Restore it with the pg_restore of the "
                    + "PostgreSQL version that made it (pg_dump " + PgArchiveHeader.shortVersion(h.pgDumpVersion())
                    + ") or newer.");
        } else if (h.minor() >= 15) {
            f.warn("Archive format " + h.archiveVersion() + " (written by " + h.writtenBy() + "): it needs pg_restore "
                    + h.pgRestoreNeeded() + " or newer; an older pg_restore stops with \"unsupported version ("
                    + h.archiveVersion() + ") in file header\".");
        }
        return f;
    }

    /** A header that starts with PGDMP but cannot be read: a damaged dump. */
    static Finding unreadableHeader(String format, IOException e) {
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DUMP).format(format);
        if (e instanceof EOFException) {
            f.problem(Status.DAMAGED, "This pg_dump archive is cut short inside its header: the file ends before "
                    + "the header is complete, so nothing in it can be restored.");
        } else {
            f.problem(Status.DAMAGED, "This file starts like a pg_dump archive (PGDMP) but its header is garbled ("
                    + e.getMessage() + "); pg_restore will refuse it.");
        }
        return f;
    }

    /** The TOC could not be read to its end. */
    static void tocProblem(Finding f, IOException e) {
        if (e instanceof EOFException) {
            f.problem(Status.DAMAGED, "The dump is cut short inside its table of contents (the list of everything "
                    + "in it): the file ends early, so pg_restore cannot use it. Look for a complete copy.");
        } else {
            f.problem(Status.DAMAGED, "The dump's table of contents is garbled (" + e.getMessage()
                    + "); pg_restore will refuse it.");
        }
    }

    /**
     * Reads the table of contents after the header and records it on the finding; null when there is
     * none to go on: the archive is newer than dbrescue knows (the header is all it reads), or the TOC
     * is cut short or garbled (recorded as the finding's problem, with {@code explain} wording why).
     */
    static PgArchiveToc readToc(PgArchiveInput in, PgArchiveHeader h, Finding f,
                                java.util.function.UnaryOperator<IOException> explain) {
        if (h.newerThanKnown()) {
            return null;
        }
        try {
            PgArchiveToc toc = PgArchiveToc.read(in, h);
            tocDetails(f, toc);
            return toc;
        } catch (IOException e) {
            tocProblem(f, explain.apply(e));
            return null;
        }
    }

    /** A custom or tar dump that was compressed as a whole: pg_restore cannot read it as it is. */
    static void wrapped(Finding f, String format, io.dbrescue.scan.Compression wrapper) {
        if (wrapper != io.dbrescue.scan.Compression.NONE) {
            f.warn("The " + format + "-format dump is itself compressed with " + wrapper.id()
                    + ": decompress it first; pg_restore cannot read it as it is.");
        }
    }

    static void tocDetails(Finding f, PgArchiveToc toc) {
        f.detail("tocEntries", toc.entries().size());
        f.detail("dataEntries", toc.dataEntries().size());
    }
}
