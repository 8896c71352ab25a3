package io.dbrescue.postgres.scan;

import io.dbrescue.scan.DirectoryDetector;
import io.dbrescue.scan.Entry;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Folder;
import io.dbrescue.scan.ReadOnly;
import io.dbrescue.scan.Status;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * pg_dump -Fd (pg_backup_directory.c): a folder with toc.dat (archive header and TOC; its format
 * byte says 3, the tar code writes it) and one data file per table, named in the TOC ("NNNN.dat"),
 * with ".gz", ".lz4" or ".zst" added when compressed; large objects are listed in blobs.toc
 * (blobs_NNNN.toc from pg_dump 17) and stored as blob_OID.dat[.gz]. A listed file that is missing
 * makes the dump incomplete; a compressed file whose stream ends early makes it damaged.
 */
public final class PgDumpDirectoryDetector implements DirectoryDetector {
    private static final String[] SUFFIXES = {"", ".gz", ".lz4", ".zst"};

    @Override
    public Finding detect(Folder folder) throws IOException {
        if (!folder.hasFile("toc.dat")) {
            return null;
        }
        byte[] head = folder.head("toc.dat", 6);
        if (!PgArchiveHeader.hasMagic(head)) {
            return null;
        }
        if (head.length < 6 || head[5] != 1) {
            folder.suspicious("toc.dat starts with PGDMP but not with a pg_dump archive version; not taken as a dump.");
            return null;
        }
        Path tocFile = folder.path().resolve("toc.dat");
        PgArchiveHeader h;
        PgArchiveToc toc;
        Finding f;
        try (InputStream raw = ReadOnly.open(tocFile)) {
            PgArchiveInput in = new PgArchiveInput(new BufferedInputStream(raw, 65536), 0);
            try {
                h = PgArchiveHeader.read(in);
            } catch (IOException e) {
                return PgArchiveFindings.unreadableHeader("directory", e);
            }
            if (h.format() == PgArchiveHeader.FORMAT_CUSTOM) {
                return null; // a custom-format file that happens to be called toc.dat: the file detector takes it
            }
            f = PgArchiveFindings.of(h, "directory");
            toc = PgArchiveFindings.readToc(in, h, f, e -> e);
            if (toc == null) {
                return f;
            }
        }
        checkDataFiles(f, folder, h, toc);
        return f;
    }

    /** Every data file the TOC lists (and the large objects its blobs TOCs list) must be there and read to its end. */
    private static void checkDataFiles(Finding f, Folder folder, PgArchiveHeader h, PgArchiveToc toc)
            throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        int dumpMajor = PgArchiveHeader.majorOf(h.pgDumpVersion());
        for (PgArchiveToc.Entry e : toc.dataEntries()) {
            String file = present(folder, e.filename());
            if (file == null) {
                missing.add(e.filename() + " (" + e.label() + ")");
                continue;
            }
            String why = check(folder, file, "TABLE DATA".equals(e.desc()) && dumpMajor > 0 && dumpMajor <= 17);
            if (why != null) {
                damaged.add(file + " (" + e.label() + ": " + why + ")");
            }
            if (e.filename().endsWith(".toc")) {
                checkBlobs(folder, file, missing, damaged);
            }
        }
        if (!missing.isEmpty()) {
            f.problem(Status.INCOMPLETE, missing.size() + " data file(s) listed in toc.dat are missing from the dump folder: "
                    + String.join(", ", first(missing)) + ". pg_restore fails on them; restore the rest with "
                    + "pg_restore -L (a list without them), or find a complete copy.");
        }
        if (!damaged.isEmpty()) {
            f.problem(Status.DAMAGED, damaged.size() + " data file(s) of this dump are cut short: "
                    + String.join(", ", first(damaged)) + ". pg_restore would fail on them.");
        }
    }

    private static List<String> first(List<String> l) {
        return l.size() <= 5 ? l : List.of(String.join(", ", l.subList(0, 5)), "and " + (l.size() - 5) + " more");
    }

    /** The file's actual name in the folder (with a compression suffix), or null. */
    private static String present(Folder folder, String name) {
        for (String suffix : SUFFIXES) {
            if (folder.hasFile(name + suffix)) {
                return name + suffix;
            }
        }
        return null;
    }

    /** Null when the file reads to its end; otherwise why not. */
    private static String check(Folder folder, String file, boolean expectCopyEnd) {
        Path p = folder.path().resolve(file);
        try {
            if (file.endsWith(".dat")) {
                if (!expectCopyEnd) {
                    return null;
                }
                Entry e = folder.entry(file);
                byte[] tail = ReadOnly.tail(p, 8);
                String t = new String(tail, StandardCharsets.ISO_8859_1);
                // pg_dump up to 17 (seen with 15) ends each table's COPY data with "\.", then blank lines
                return e.size() == 0 || t.contains("\\.\n") ? null
                        : "it does not end with the end-of-data marker \\. that pg_dump writes";
            }
            try (InputStream raw = new BufferedInputStream(ReadOnly.open(p), 65536);
                 InputStream in = decompress(file, raw)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return null;
        } catch (IOException | RuntimeException ex) {
            return "the compressed file is cut short or corrupt";
        }
    }

    private static InputStream decompress(String file, InputStream raw) throws IOException {
        if (file.endsWith(".gz")) {
            return new GzipCompressorInputStream(raw, true);
        }
        if (file.endsWith(".zst")) {
            return new ZstdCompressorInputStream(raw);
        }
        if (file.endsWith(".lz4")) {
            return new FramedLZ4CompressorInputStream(raw, true);
        }
        return raw;
    }

    /** blobs.toc: one line per large object, "OID blob_OID.dat". */
    private static void checkBlobs(Folder folder, String tocFile, List<String> missing, List<String> damaged) {
        try (InputStream raw = new BufferedInputStream(ReadOnly.open(folder.path().resolve(tocFile)));
             BufferedReader r = new BufferedReader(new InputStreamReader(decompress(tocFile, raw),
                     StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] parts = line.trim().split(" ", 2);
                if (parts.length < 2 || parts[1].contains("/")) {
                    continue;
                }
                String file = present(folder, parts[1].trim());
                if (file == null) {
                    missing.add(parts[1].trim() + " (large object " + parts[0] + ")");
                } else {
                    String why = check(folder, file, false);
                    if (why != null) {
                        damaged.add(file + " (large object " + parts[0] + ": " + why + ")");
                    }
                }
            }
        } catch (IOException e) {
            damaged.add(tocFile + " (the list of large objects could not be read)");
        }
    }
}
