package io.dbrescue.mongodb;

import io.dbrescue.testing.Trees;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Scanner;
import io.dbrescue.scan.Status;
import io.dbrescue.testing.Cmd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MongoDB cannot run here (no mongod, mongodump or mongorestore from any reachable registry), so these
 * fixtures are written by the test from the documented formats: BSON (bsonspec.org) encoded below;
 * the WiredTiger metadata file's two text lines ("WiredTiger" and "WiredTiger 10.0.2: (date)");
 * storage.bson {storage: {engine, options: {directoryPerDB, directoryForIndexes}}}; mongod.lock holding
 * the pid while mongod runs and empty after a clean shutdown; the mongodump folder layout
 * (db/coll.bson + coll.metadata.json); the --archive format of mongo-tools common/archive/spec.md.
 * WiredTiger table files (*.wt) are opaque to the scanner and are filler bytes here. Compression is
 * done with the real gzip command.
 */
class MongoScanTest {
    @TempDir
    static Path scan;
    static ScanResult result;

    @BeforeAll
    static void fixtures() throws IOException {
        dbPath(scan.resolve("var/lib/mongodb"), "", false, "10.0.2: (January 27, 2022)");
        dbPath(scan.resolve("crashed/mongodb"), "31337\n", false, "11.2.0: (June 1, 2023)");
        dbPath(scan.resolve("perdb/mongodb"), "", true, "10.0.2: (January 27, 2022)");
        // decoy: a WiredTiger database that is not MongoDB's; a text file named WiredTiger
        Path wt = Files.createDirectories(scan.resolve("decoys/plainwt"));
        Files.writeString(wt.resolve("WiredTiger"), "WiredTiger\nWiredTiger 10.0.2: (January 27, 2022)\n");
        Files.write(wt.resolve("WiredTiger.wt"), filler(8192));
        Path notes = Files.createDirectories(scan.resolve("decoys/notes"));
        Files.writeString(notes.resolve("WiredTiger"), "my notes about WiredTiger\n");
        Files.write(notes.resolve("WiredTiger.wt"), filler(100));
        Files.write(notes.resolve("_mdb_catalog.wt"), filler(100));
        // decoy: .bson without metadata is not a dump folder
        Path lone = Files.createDirectories(scan.resolve("decoys/bson-only"));
        Files.write(lone.resolve("x.bson"), docs(3));

        // mongodump folder with two databases (+ --oplog's oplog.bson)
        Path dump = scan.resolve("backups/dump");
        collection(dump.resolve("shop"), "items", 50);
        collection(dump.resolve("shop"), "users", 5);
        collection(dump.resolve("notes"), "n", 3);
        Files.write(dump.resolve("oplog.bson"), docs(2));
        // --gzip
        Path gz = scan.resolve("backups/dump-gz");
        collection(gz.resolve("shop"), "items", 50);
        try (Stream<Path> s = Files.walk(gz)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Cmd.run(List.of("gzip", "-q", p.toString()));
            }
        }
        // a lone database folder next to other things; and one with a cut .bson
        collection(scan.resolve("misc/crm"), "contacts", 10);
        Files.writeString(scan.resolve("misc/readme.txt"), "hello\n");
        Path cut = scan.resolve("backups/dump-cut");
        collection(cut.resolve("shop"), "items", 50);
        byte[] b = Files.readAllBytes(cut.resolve("shop/items.bson"));
        Files.write(cut.resolve("shop/items.bson"), Arrays.copyOf(b, b.length - 7));

        // archives
        byte[] archive = archive();
        Files.write(scan.resolve("backups/all.archive"), archive);
        Files.write(scan.resolve("backups/all.archive.gz.tmp"), archive);
        Files.write(scan.resolve("backups/cut.archive"), Arrays.copyOf(archive, archive.length - 30));
        Cmd.run(List.of("gzip", "-q", "-S", ".gz", scan.resolve("backups/all.archive.gz.tmp").toString()));
        Files.move(scan.resolve("backups/all.archive.gz.tmp.gz"), scan.resolve("backups/all.archive.gz"));

        result = new Scanner(List.of(new MongoScanning())).scan(scan);
    }

    static void dbPath(Path dir, String lock, boolean perDb, String wtVersion) throws IOException {
        Files.createDirectories(dir.resolve("journal"));
        Files.createDirectories(dir.resolve("diagnostic.data"));
        Files.writeString(dir.resolve("WiredTiger"), "WiredTiger\nWiredTiger " + wtVersion + "\n");
        Files.writeString(dir.resolve("WiredTiger.lock"), "WiredTiger lock file\n");
        Files.writeString(dir.resolve("WiredTiger.turtle"), "WiredTiger version string\nWiredTiger "
                + wtVersion + "\nWiredTiger version\nmajor=10,minor=0,patch=2\n");
        Files.write(dir.resolve("WiredTiger.wt"), filler(4096));
        Files.write(dir.resolve("_mdb_catalog.wt"), filler(4096));
        Files.write(dir.resolve("sizeStorer.wt"), filler(4096));
        Files.write(dir.resolve("journal/WiredTigerLog.0000000001"), filler(4096));
        Files.writeString(dir.resolve("mongod.lock"), lock);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("directoryPerDB", perDb);
        options.put("directoryForIndexes", false);
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("engine", "wiredTiger");
        storage.put("options", options);
        Files.write(dir.resolve("storage.bson"), bson(Map.of("storage", storage)));
        if (perDb) {
            for (String db : List.of("admin", "shop", "notes")) {
                Files.createDirectories(dir.resolve(db));
                Files.write(dir.resolve(db + "/collection-7-123.wt"), filler(4096));
            }
        } else {
            Files.write(dir.resolve("collection-7-123.wt"), filler(4096));
        }
    }

    static void collection(Path dbDir, String name, int n) throws IOException {
        Files.createDirectories(dbDir);
        Files.write(dbDir.resolve(name + ".bson"), docs(n));
        Files.writeString(dbDir.resolve(name + ".metadata.json"), "{\"indexes\":[{\"v\":{\"$numberInt\":\"2\"},"
                + "\"key\":{\"_id\":{\"$numberInt\":\"1\"}},\"name\":\"_id_\"}],\"uuid\":\"0123\","
                + "\"collectionName\":\"" + name + "\",\"type\":\"collection\"}");
    }

    static byte[] docs(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("_id", i);
            d.put("name", "item " + i);
            d.put("price", (long) i * 100);
            out.writeBytes(bson(d));
        }
        return out.toByteArray();
    }

    /** mongo-tools common/archive/spec.md: magic, header, collection metadata, terminator, segments. */
    static byte[] archive() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{0x6d, (byte) 0xe2, (byte) 0x99, (byte) 0x81});
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("concurrent_collections", 4);
        header.put("version", "0.1");
        header.put("server_version", "6.0.14");
        header.put("tool_version", "100.9.4");
        out.writeBytes(bson(header));
        String[][] colls = {{"shop", "items"}, {"shop", "users"}, {"notes", "n"}};
        for (String[] c : colls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("db", c[0]);
            m.put("collection", c[1]);
            m.put("metadata", "{\"indexes\":[]}");
            m.put("size", 1000);
            out.writeBytes(bson(m));
        }
        out.writeBytes(terminator());
        for (String[] c : colls) {
            out.writeBytes(bson(ns(c, false)));
            out.writeBytes(docs(4));
            out.writeBytes(terminator());
        }
        for (String[] c : colls) {
            out.writeBytes(bson(ns(c, true)));
            out.writeBytes(terminator());
        }
        return out.toByteArray();
    }

    static Map<String, Object> ns(String[] c, boolean eof) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("db", c[0]);
        m.put("collection", c[1]);
        m.put("EOF", eof);
        m.put("CRC", 0L);
        return m;
    }

    static byte[] terminator() {
        return new byte[]{-1, -1, -1, -1};
    }

    /** BSON encoder for strings, int32, int64, booleans and nested documents. */
    static byte[] bson(Map<String, ?> doc) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, ?> e : doc.entrySet()) {
            Object v = e.getValue();
            byte[] name = (e.getKey() + "\0").getBytes(StandardCharsets.UTF_8);
            if (v instanceof String s) {
                body.write(0x02);
                body.writeBytes(name);
                byte[] sb = (s + "\0").getBytes(StandardCharsets.UTF_8);
                body.writeBytes(le32(sb.length));
                body.writeBytes(sb);
            } else if (v instanceof Integer i) {
                body.write(0x10);
                body.writeBytes(name);
                body.writeBytes(le32(i));
            } else if (v instanceof Long l) {
                body.write(0x12);
                body.writeBytes(name);
                body.writeBytes(le32((int) (long) l));
                body.writeBytes(le32((int) (l >>> 32)));
            } else if (v instanceof Boolean b) {
                body.write(0x08);
                body.writeBytes(name);
                body.write(b ? 1 : 0);
            } else if (v instanceof Map<?, ?> m) {
                body.write(0x03);
                body.writeBytes(name);
                @SuppressWarnings("unchecked") Map<String, ?> sub = (Map<String, ?>) m;
                body.writeBytes(bson(sub));
            } else {
                throw new IllegalArgumentException(String.valueOf(v));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le32(body.size() + 5));
        out.writeBytes(body.toByteArray());
        out.write(0);
        return out.toByteArray();
    }

    static byte[] le32(int v) {
        return new byte[]{(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    static byte[] filler(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    static Finding finding(String path) {
        return result.findings().stream().filter(f -> f.getPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding at " + path + " in " + result.findings()));
    }

    @Test
    void cleanDbPath() throws IOException {
        Finding f = finding("var/lib/mongodb");
        assertThat(f.getEngine()).isEqualTo(Engine.MONGODB);
        assertThat(f.getKind()).isEqualTo(Kind.DATA_DIRECTORY);
        assertThat(f.getCleanShutdown()).isTrue();
        assertThat(f.getVersion()).isNull();
        assertThat(f.getDetails()).containsEntry("wiredTigerVersion", "10.0.2").containsKey("mongodbVersionHint")
                .containsEntry("directoryPerDB", false).containsKey("databasesUnknownReason");
        assertThat(f.getDatabases()).isEmpty();
        assertThat(f.getSizeBytes()).isEqualTo(Trees.du(scan.resolve("var/lib/mongodb")));
    }

    @Test
    void nonEmptyLockMeansNotClean() {
        Finding f = finding("crashed/mongodb");
        assertThat(f.getCleanShutdown()).isFalse();
        assertThat(f.getDetails()).containsEntry("wiredTigerVersion", "11.2.0");
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("mongod.lock"));
    }

    @Test
    void directoryPerDbListsDatabases() {
        assertThat(finding("perdb/mongodb").getDatabases()).containsExactly("admin", "notes", "shop");
    }

    @Test
    void dumpFolders() throws IOException {
        Finding f = finding("backups/dump");
        assertThat(f.getKind()).isEqualTo(Kind.DUMP);
        assertThat(f.getFormat()).isEqualTo("directory");
        assertThat(f.getDatabases()).containsExactly("notes", "shop");
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getSizeBytes()).isEqualTo(Trees.du(scan.resolve("backups/dump")));
        Finding gz = finding("backups/dump-gz");
        assertThat(gz.getDatabases()).containsExactly("shop");
        assertThat(gz.getStatus()).isEqualTo(Status.OK);
        assertThat(gz.getDetails()).containsEntry("gzip", true);
        Finding lone = finding("misc/crm");
        assertThat(lone.getDatabases()).containsExactly("crm");
    }

    @Test
    void cutBsonIsDamaged() {
        Finding f = finding("backups/dump-cut");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("shop/items.bson"));
    }

    @Test
    void archives() {
        Finding a = finding("backups/all.archive");
        assertThat(a.getKind()).isEqualTo(Kind.DUMP);
        assertThat(a.getFormat()).isEqualTo("archive");
        assertThat(a.getVersion()).isEqualTo("6.0.14");
        assertThat(a.getDatabases()).containsExactly("shop", "notes");
        assertThat(a.getStatus()).isEqualTo(Status.OK);
        Finding gz = finding("backups/all.archive.gz");
        assertThat(gz.getFormat()).isEqualTo("archive-gzip");
        assertThat(gz.getDatabases()).containsExactly("shop", "notes");
        assertThat(gz.getStatus()).isEqualTo(Status.OK);
        Finding cut = finding("backups/cut.archive");
        assertThat(cut.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(cut.getDatabases()).containsExactly("shop", "notes");
    }

    @Test
    void decoysAreNotFindings() {
        assertThat(result.findings()).noneMatch(f -> f.getPath().startsWith("decoys"));
        assertThat(result.warnings()).anyMatch(w -> w.path().equals("decoys/plainwt"));
        assertThat(result.findings()).hasSize(10);
    }
}
