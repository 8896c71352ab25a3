package io.dbrescue.postgres.scan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of contents that follows the header, laid out as WriteToc / ReadToc
 * (pg_backup_archiver.c) write it: an int count, then per entry dumpId (int), hadDumper (int),
 * table OID and OID (strings, 1.8+), tag, desc (strings), section (int, 1.11+), defn, dropStmt,
 * copyStmt (1.3+), namespace (1.6+), tablespace (1.10+), tableam (1.14+) (strings), relkind (int, 1.16+),
 * owner, "false" (WITH OIDS, 1.9+) (strings), the dependency list (strings ending with a NULL, 1.5+);
 * then the format's extra data: custom = data offset (flag + offSize bytes, pg_backup_custom.c
 * _WriteExtraToc), tar and directory = the data file name (a string, "" or NULL when none).
 * Only what the scanner needs is kept; the SQL text is skipped.
 */
public record PgArchiveToc(List<Entry> entries) {

    static final int OFFSET_NOT_SET = 1;
    static final int OFFSET_SET = 2;
    static final int OFFSET_NO_DATA = 3;

    /** One TOC entry: for custom archives dataState/dataPos, for tar and directory the data file name. */
    record Entry(int dumpId, boolean hadDumper, String desc, String tag, String namespace,
                 int dataState, long dataPos, String filename, String owner) {
        boolean hasData() {
            return filename != null ? !filename.isEmpty() : dataState == OFFSET_SET || dataState == OFFSET_NOT_SET;
        }

        /** "public.items" or the tag alone. */
        String label() {
            String what = namespace == null || namespace.isEmpty() ? tag : namespace + "." + tag;
            return desc == null ? what : desc.toLowerCase(java.util.Locale.ROOT) + " " + what;
        }
    }

    /** More entries than this is taken as garbage (a real dump of a huge schema has some hundred thousand). */
    private static final long MAX_ENTRIES = 50_000_000L;

    static PgArchiveToc read(PgArchiveInput in, PgArchiveHeader h) throws IOException {
        long count = in.readInt();
        if (count < 0 || count > MAX_ENTRIES) {
            throw new PgArchiveException("the table of contents claims " + count + " entries");
        }
        List<Entry> entries = new ArrayList<>((int) Math.min(count, 10_000));
        for (long i = 0; i < count; i++) {
            entries.add(readEntry(in, h, i));
        }
        return new PgArchiveToc(entries);
    }

    /** Entry {@code i} (from 0); the fields the scanner does not need are read past. */
    private static Entry readEntry(PgArchiveInput in, PgArchiveHeader h, long i) throws IOException {
        int v = h.minor();
        long dumpId = in.readInt();
        if (dumpId <= 0 || dumpId > Integer.MAX_VALUE) {
            throw new PgArchiveException("entry " + (i + 1) + " of the table of contents has the impossible ID "
                    + dumpId);
        }
        boolean hadDumper = in.readInt() != 0;
        if (v >= 8) {
            in.readStr(64); // table OID
        }
        in.readStr(64); // OID
        String tag = in.readStr(1024);
        String desc = in.readStr(256);
        if (v >= 11) {
            in.readInt(); // section
        }
        in.readStr(0); // defn
        in.readStr(0); // dropStmt
        if (v >= 3) {
            in.readStr(0); // copyStmt
        }
        String namespace = v >= 6 ? in.readStr(1024) : null;
        if (v >= 10) {
            in.readStr(0); // tablespace
        }
        if (v >= 14) {
            in.readStr(0); // tableam
        }
        if (v >= 16) {
            in.readInt(); // relkind
        }
        String owner = in.readStr(1024);
        if (v >= 9) {
            in.readStr(16); // "false": WITH OIDS
        }
        if (v >= 5) {
            skipDependencies(in);
        }
        if (h.format() != PgArchiveHeader.FORMAT_CUSTOM) {
            String filename = in.readStr(1024);
            return new Entry((int) dumpId, hadDumper, desc, tag, namespace, 0, 0, filename == null ? "" : filename,
                    owner);
        }
        long[] off = {0, 0};
        if (v >= 7) {
            off = in.readOffset();
        } else {
            in.readInt();
            in.readInt();
        }
        return new Entry((int) dumpId, hadDumper, desc, tag, namespace, (int) off[0], off[1], null, owner);
    }

    /** The dependency list: strings up to a NULL one. */
    private static void skipDependencies(PgArchiveInput in) throws IOException {
        int deps = 0;
        while (in.readStr(64) != null) {
            if (++deps > 10_000_000) {
                throw new PgArchiveException("an entry's dependency list does not end");
            }
        }
    }

    /**
     * The table of contents of an unwrapped custom, tar or directory dump, read here as pg_restore --list would
     * list it (for a dump no pg_restore on this machine can read: archive format 1.16 and Debian 12's 15).
     */
    public static PgArchiveToc ofDump(java.nio.file.Path dump, String format) throws IOException {
        if (format.equals("directory")) {
            try (java.io.InputStream raw = io.dbrescue.scan.ReadOnly.open(dump.resolve("toc.dat"))) {
                return readAfterHeader(new java.io.BufferedInputStream(raw, 65536));
            }
        }
        try (java.io.InputStream raw = io.dbrescue.scan.ReadOnly.open(dump)) {
            if (format.equals("tar")) {
                var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(raw);
                var first = tar.getNextEntry();
                if (first == null || !"toc.dat".equals(first.getName())) {
                    throw new PgArchiveException("the tar file does not start with toc.dat");
                }
                return readAfterHeader(tar);
            }
            return readAfterHeader(new java.io.BufferedInputStream(raw, 65536));
        }
    }

    private static PgArchiveToc readAfterHeader(java.io.InputStream stream) throws IOException {
        PgArchiveInput in = new PgArchiveInput(stream, 0);
        PgArchiveHeader h = PgArchiveHeader.read(in);
        if (h.newerThanKnown()) {
            throw new PgArchiveException("archive format " + h.archiveVersion() + " is newer than dbrescue can read");
        }
        return read(in, h);
    }

    /** What the restore plan needs, as the planner reads it in pg_restore --list. */
    public void collect(List<String> tables, java.util.Set<String> owners, java.util.Set<String> extensions) {
        for (Entry e : entries) {
            if ("TABLE DATA".equals(e.desc())) {
                tables.add(e.namespace() + "." + e.tag());
            } else if ("EXTENSION".equals(e.desc())) {
                extensions.add(e.tag());
            }
            if (e.owner() != null && !e.owner().isEmpty()) {
                owners.add(e.owner());
            }
        }
    }

    List<Entry> dataEntries() {
        return entries.stream().filter(Entry::hasData).toList();
    }
}
