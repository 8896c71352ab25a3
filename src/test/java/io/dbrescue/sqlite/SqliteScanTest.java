package io.dbrescue.sqlite;

import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Scanner;
import io.dbrescue.scan.Status;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite files made by Debian's sqlite3 command (3.40) and by sqlite-jdbc (a WAL-mode database copied
 * while its connection is open, so its -wal lies beside it), scanned through the real Scanner, with
 * damaged copies and decoys; and proof that scanning writes nothing next to the files.
 */
class SqliteScanTest {
    static final String SQLITE3 = "/usr/bin/sqlite3";
    static Path tree;
    static String cliVersion;
    static Map<String, String> before;
    static ScanResult scan;
    static Map<String, String> after;

    @BeforeAll
    static void makeFixtures() throws Exception {
        tree = TestUser.newDir("sqlite-scan");
        cliVersion = Cmd.run(List.of(SQLITE3, "--version")).split(" ")[0];
        Path shop = tree.resolve("project/shop.db");
        Files.createDirectories(shop.getParent());
        Cmd.run(List.of(SQLITE3, shop.toString(), String.join("\n",
                "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
                "CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER REFERENCES customers, total REAL);",
                "CREATE INDEX orders_customer ON orders(customer);",
                "CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)",
                "INSERT INTO customers SELECT i, 'customer number ' || i FROM n;",
                "INSERT INTO orders SELECT id, id, id * 1.5 FROM customers;")));

        // a WAL-mode database copied while its program still has it open: the -wal holds the newest table
        Path live = TestUser.newDir("sqlite-live").resolve("notes.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + live);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE base(id INTEGER PRIMARY KEY, body TEXT)");
            st.execute("INSERT INTO base(body) VALUES ('written before WAL mode')");
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA wal_autocheckpoint=0");
            st.execute("CREATE TABLE recent(id INTEGER PRIMARY KEY, body TEXT)");
            st.execute("INSERT INTO recent(body) VALUES ('only in the WAL')");
            Files.createDirectories(tree.resolve("wal"));
            Files.copy(live, tree.resolve("wal/notes.sqlite"));
            Files.copy(live.resolveSibling("notes.sqlite-wal"), tree.resolve("wal/notes.sqlite-wal"));
        } finally {
            TestUser.delete(live.getParent());
        }

        byte[] bytes = Files.readAllBytes(shop);
        write(tree.resolve("cut/shop.db"), Arrays.copyOf(bytes, bytes.length / 2 / 4096 * 4096));
        byte[] broken = bytes.clone();
        broken[100] = 0x07; // page 1 is the root of sqlite_schema: an impossible b-tree page type
        write(tree.resolve("broken/shop.db"), broken);
        write(tree.resolve("decoy/notes.txt"), "SQLite format 3 is the first line of every database file.\n"
                .getBytes(StandardCharsets.UTF_8));
        write(tree.resolve("decoy/x.sqlite"), new byte[0]);

        before = fingerprint(tree);
        scan = new Scanner(List.of(new SqliteScanning())).scan(tree);
        after = fingerprint(tree);
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(tree);
    }

    @Test
    void databaseMadeBySqlite3HasVersionAndTables() throws IOException {
        Finding f = finding("project/shop.db");
        assertThat(f.getEngine()).isEqualTo(Engine.SQLITE);
        assertThat(f.getKind()).isEqualTo(Kind.SQLITE_FILE);
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getVersion()).isEqualTo(cliVersion);
        assertThat(f.getDatabases()).isEmpty();
        assertThat(f.getCleanShutdown()).isNull();
        assertThat(f.getWarnings()).isEmpty();
        assertThat(f.getDetails()).containsEntry("tables", List.of("customers", "orders"))
                .containsEntry("views", List.of("big_orders")).containsEntry("journalMode", "rollback")
                .containsEntry("pageSize", 4096);
        long size = Files.size(tree.resolve("project/shop.db"));
        assertThat(f.getSizeBytes()).isEqualTo(size);
        assertThat(f.getDetails().get("pages")).isEqualTo(size / 4096);
    }

    @Test
    void walBesideTheFileIsReportedAndCounted() throws IOException {
        Finding f = finding("wal/notes.sqlite");
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getDetails()).containsEntry("journalMode", "wal");
        long db = Files.size(tree.resolve("wal/notes.sqlite"));
        long wal = Files.size(tree.resolve("wal/notes.sqlite-wal"));
        assertThat(wal).isPositive();
        assertThat(f.getSizeBytes()).isEqualTo(db + wal);
        assertThat(f.getDetails()).containsEntry("walBytes", wal);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("write-ahead log") && w.contains("Copy both"));
        // immutable mode reads the main file only; "recent" exists only in the WAL
        assertThat(f.getDetails()).containsEntry("tables", List.of("base"));
        assertThat(scan.findings()).noneMatch(x -> x.getPath().endsWith("-wal"));
    }

    @Test
    void cutShortCopyIsDamaged() {
        Finding f = finding("cut/shop.db");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("cut short"));
        assertThat(f.getVersion()).isEqualTo(cliVersion);
    }

    @Test
    void unreadableSchemaIsDamagedWithTheReason() {
        Finding f = finding("broken/shop.db");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("cannot read the list of tables")
                && w.contains("malformed"));
    }

    @Test
    void decoysAreNotFindings() {
        assertThat(scan.findings()).noneMatch(f -> f.getPath().startsWith("decoy/"));
        assertThat(scan.warnings()).anyMatch(w -> w.path().equals("decoy/notes.txt"));
        assertThat(scan.findings()).hasSize(4);
    }

    @Test
    void scanningWritesNothing() {
        // same names (no -journal, -wal or -shm appeared), same bytes, same modification times
        assertThat(after).isEqualTo(before);
    }

    @Test
    void manySmallDatabasesScanQuickly() throws Exception {
        Path many = TestUser.newDir("sqlite-many");
        try {
            Path one = tree.resolve("wal/notes.sqlite");
            int n = 300;
            for (int i = 0; i < n; i++) {
                Path dir = many.resolve("profile" + (i % 30));
                Files.createDirectories(dir);
                Files.copy(one, dir.resolve("places" + i + ".sqlite"));
            }
            Scanner scanner = new Scanner(List.of(new SqliteScanning()));
            scanner.scan(many); // warm up: loads the native SQLite library once
            long t0 = System.nanoTime();
            ScanResult r = scanner.scan(many);
            double perFile = (System.nanoTime() - t0) / 1e6 / n;
            System.out.printf("SQLite scan: %d files, %.2f ms per file%n", n, perFile);
            assertThat(r.findings()).hasSize(n).allMatch(f -> f.getStatus() == Status.OK);
            assertThat(perFile).isLessThan(20.0);
        } finally {
            TestUser.delete(many);
        }
    }

    static Finding finding(String path) {
        return scan.findings().stream().filter(f -> f.getPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + path + " in " + scan.findings()));
    }

    /** relative path -> sha256 + mtime, for every file in the tree. */
    static Map<String, String> fingerprint(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                FileTime m = Files.getLastModifiedTime(p);
                out.put(root.relativize(p).toString(), HexFormat.of().formatHex(sha) + " " + m.toMillis());
            }
        }
        return out;
    }

    static void write(Path to, byte[] bytes) throws IOException {
        Files.createDirectories(to.getParent());
        Files.write(to, bytes);
    }
}
