package io.dbrescue.mongodb;

import io.dbrescue.scan.Compression;
import io.dbrescue.scan.DirectoryDetector;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Entry;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Folder;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ReadOnly;
import io.dbrescue.scan.Status;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mongodump output folder: {@code <dump>/<db>/<collection>.bson} with
 * {@code <collection>.metadata.json} (both {@code .gz} with --gzip). The finding is the folder that
 * holds the database folders; a lone database folder (copied out of a dump, or the parent held other
 * things) is a finding by itself. Every .bson is walked document by document (int32 lengths) to
 * find one cut short.
 */
final class MongoDumpDirectoryDetector implements DirectoryDetector {

    @Override
    public Finding detect(Folder folder) throws IOException {
        // Case 1: this folder holds database folders (and maybe --oplog's oplog.bson, prelude.json).
        // Cheap checks first: any other file, or a first subfolder that is not a database folder, ends it
        // (so an ordinary folder costs at most one extra listing).
        boolean dirs = false;
        for (Entry e : folder.entries()) {
            if (e.isDirectory()) {
                dirs = true;
            } else if (e.isFile() && !isDumpFileName(e.name())) {
                dirs = false;
                break;
            }
        }
        if (dirs) {
            List<Path> dbDirs = new ArrayList<>();
            for (Entry e : folder.entries()) {
                if (e.isDirectory()) {
                    Path sub = folder.path().resolve(e.name());
                    if (!isDatabaseFolder(names(sub))) {
                        dbDirs.clear();
                        break;
                    }
                    dbDirs.add(sub);
                }
            }
            if (!dbDirs.isEmpty()) {
                return finding(dbDirs);
            }
        }
        // Case 2: this folder is itself a database folder (its parent was not claimed).
        List<String> own = new ArrayList<>();
        for (Entry e : folder.entries()) {
            if (e.isFile()) own.add(e.name());
        }
        if (isDatabaseFolder(own)) {
            return finding(List.of(folder.path()));
        }
        return null;
    }

    private static boolean isDumpFileName(String n) {
        return n.endsWith(".bson") || n.endsWith(".json") || n.endsWith(".bson.gz") || n.endsWith(".json.gz");
    }

    /** The names in a folder, without a stat per entry: this runs on many ordinary folders. */
    private static List<String> names(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) out.add(p.getFileName().toString());
        } catch (java.nio.file.AccessDeniedException e) {
            return List.of();
        }
        return out;
    }

    private static Finding finding(List<Path> dbDirs) throws IOException {
        Finding f = new Finding(Engine.MONGODB, Kind.DUMP).format("directory");
        Set<String> dbs = new TreeSet<>();
        boolean gzip = false;
        int collections = 0;
        List<String> damaged = new ArrayList<>();
        for (Path dir : dbDirs) {
            dbs.add(dir.getFileName().toString());
            for (Path p : list(dir)) {
                String n = p.getFileName().toString();
                if (n.endsWith(".bson") || n.endsWith(".bson.gz")) {
                    collections++;
                    gzip |= n.endsWith(".gz");
                    String why = checkBson(p);
                    if (why != null) {
                        damaged.add(dir.getFileName() + "/" + n + " (" + why + ")");
                    }
                }
            }
        }
        f.databases(new ArrayList<>(dbs));
        f.detail("collections", collections);
        if (gzip) f.detail("gzip", true);
        if (!damaged.isEmpty()) {
            f.problem(Status.DAMAGED, "Collection files are cut short or corrupt: " + String.join(", ", damaged)
                    + ". mongorestore would stop there or restore only part of these collections; look "
                    + "for a complete copy of the dump.");
        }
        return f;
    }

    /** Null when the file is a whole sequence of BSON documents; else why not. */
    static String checkBson(Path file) {
        try (InputStream raw = ReadOnly.open(file)) {
            byte[] head = ReadOnly.head(file, 8);
            Compression c = head == null ? Compression.NONE : Compression.of(head);
            try (InputStream in = c.decompress(raw)) {
                byte[] four = new byte[4];
                long len;
                while ((len = Bson.readLength(in, four)) >= 0) {
                    Bson.skipRest(in, len);
                }
            }
            return null;
        } catch (EOFException e) {
            return "it ends in the middle of a document";
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** A folder with at least one collection dump: X.bson(.gz) next to X.metadata.json(.gz). */
    static boolean isDatabaseFolder(List<String> fileNames) {
        Set<String> bson = new TreeSet<>();
        Set<String> meta = new TreeSet<>();
        for (String n : fileNames) {
            if (n.endsWith(".metadata.json") || n.endsWith(".metadata.json.gz")) {
                meta.add(n.substring(0, n.lastIndexOf(".metadata.json")));
            } else if (n.endsWith(".bson") || n.endsWith(".bson.gz")) {
                bson.add(n.substring(0, n.lastIndexOf(".bson")));
            }
        }
        for (String b : bson) {
            if (meta.contains(b)) return true;
        }
        return false;
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) out.add(p);
            }
        } catch (java.nio.file.AccessDeniedException e) {
            return List.of();
        }
        return out;
    }
}
