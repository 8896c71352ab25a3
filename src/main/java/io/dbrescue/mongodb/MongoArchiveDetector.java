package io.dbrescue.mongodb;

import io.dbrescue.scan.Compression;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.FileDetector;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.Sample;
import io.dbrescue.scan.Status;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code mongodump --archive} file (also --gzip, which compresses the whole stream). Format from
 * mongo-tools common/archive/spec.md: magic 0x8199e26d (little-endian bytes 6d e2 99 81), a header
 * document {concurrent_collections, version, server_version, tool_version}, one collection-metadata
 * document {db, collection, metadata, size} per collection, the terminator 0xffffffff; then
 * namespace segments (header {db, collection, EOF:false, CRC}, documents, terminator) and, per
 * collection, an EOF header {EOF:true, CRC} followed by a terminator.
 */
final class MongoArchiveDetector implements FileDetector {
    private static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+(?:\\.\\d+)?)");

    @Override
    public Finding detect(Sample file) throws IOException {
        byte[] c = file.contentHead();
        if (c.length < 8 || (c[0] & 0xff) != 0x6d || (c[1] & 0xff) != 0xe2 || (c[2] & 0xff) != 0x99
                || (c[3] & 0xff) != 0x81) {
            return null;
        }
        Compression comp = file.compression();
        Finding f = new Finding(Engine.MONGODB, Kind.DUMP)
                .format(comp == Compression.NONE ? "archive" : "archive-" + comp.id());
        Set<String> dbs = new LinkedHashSet<>();
        Set<String> pending = new LinkedHashSet<>();
        String problem = null;
        try (InputStream in = file.openContent()) {
            in.skipNBytes(4);
            byte[] four = new byte[4];
            if (!readHeader(in, four, file, f)) {
                return null;
            }
            readPrelude(in, four, dbs, pending);
            f.databases(List.copyOf(dbs));
            f.detail("collections", pending.size());
            readBody(in, four, pending);
            if (!pending.isEmpty()) {
                problem = "the archive ends before the end of " + String.join(", ", pending);
            }
        } catch (EOFException e) {
            problem = e.getMessage() == null || e.getMessage().isEmpty() ? "it ends in the middle of a document"
                    : e.getMessage();
        } catch (IOException | RuntimeException e) {
            problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        if (f.getDatabases().isEmpty() && !dbs.isEmpty()) {
            f.databases(List.copyOf(dbs));
        }
        if (problem != null) {
            f.problem(Status.DAMAGED, "This mongodump archive is cut short or corrupt (" + problem + "): "
                    + "mongorestore would restore only part of it. Look for a complete copy.");
        }
        return f;
    }

    /** Reads the archive header's versions into the finding; false (noted as suspicious) when there is no header. */
    private static boolean readHeader(InputStream in, byte[] four, Sample file, Finding f) throws IOException {
        long len = Bson.readLength(in, four);
        Map<String, Object> header;
        try {
            header = Bson.parse(Bson.readRest(in, four, len));
        } catch (IOException e) {
            file.suspicious("Starts like a mongodump archive but has no valid archive header; not reported.");
            return false;
        }
        if (!header.containsKey("version") && !header.containsKey("server_version")) {
            file.suspicious("Starts like a mongodump archive but has no archive header; not reported.");
            return false;
        }
        Object server = header.get("server_version");
        if (server instanceof String s) {
            f.detail("serverVersion", s);
            Matcher m = VERSION.matcher(s);
            if (m.find()) f.version(m.group(1));
        }
        f.detail("archiveVersion", header.get("version"));
        f.detail("toolVersion", header.get("tool_version"));
        return true;
    }

    /** The prelude: one metadata document per collection up to the terminator; adds their databases and names. */
    private static void readPrelude(InputStream in, byte[] four, Set<String> dbs, Set<String> pending)
            throws IOException {
        long len;
        while ((len = Bson.readLength(in, four)) != 0xffffffffL) {
            if (len < 0) throw new EOFException("the archive ends inside its list of collections");
            Map<String, Object> meta = Bson.parse(Bson.readRest(in, four, len));
            if (meta.get("db") instanceof String db) {
                dbs.add(db);
                pending.add(db + "." + meta.get("collection"));
            }
        }
    }

    /** The body: walks the namespace segments to the end of the stream, removing each collection it sees end. */
    private static void readBody(InputStream in, byte[] four, Set<String> pending) throws IOException {
        long len;
        while ((len = Bson.readLength(in, four)) >= 0) {
            Map<String, Object> ns = Bson.parse(Bson.readRest(in, four, len));
            String name = ns.get("db") + "." + ns.get("collection");
            if (Boolean.TRUE.equals(ns.get("EOF"))) {
                pending.remove(name);
                if (Bson.readLength(in, four) != 0xffffffffL) {
                    throw new IOException("no terminator after the end of " + name);
                }
            } else {
                long dl;
                while ((dl = Bson.readLength(in, four)) != 0xffffffffL) {
                    if (dl < 0) throw new EOFException("the archive ends inside " + name);
                    Bson.skipRest(in, dl);
                }
            }
        }
    }
}
