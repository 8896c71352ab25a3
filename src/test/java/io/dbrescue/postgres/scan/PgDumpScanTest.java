package io.dbrescue.postgres.scan;

import io.dbrescue.postgres.PostgresScanning;

import io.dbrescue.testing.Trees;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.ScanWarning;
import io.dbrescue.scan.Scanner;
import io.dbrescue.scan.Status;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dumps made by the real PostgreSQL 15 programs (Debian postgresql-15: pg_dump, pg_dumpall; gzip, zstd,
 * xz, bzip2 for the compressed copies), scanned through the real Scanner. pg_dump 15 writes archive
 * version 1.14; 1.15 (pg_dump 16) and 1.16 (pg_dump 17/18) cannot be produced on this host (no pg_dump
 * 16+ client runs here), so those layouts are covered by {@link PgArchiveHeaderTest} on archives built
 * byte by byte after PostgreSQL's source.
 */
class PgDumpScanTest {
    private static Path base;
    private static Path backup;
    private static PgCluster pg;
    private static String serverVersion;
    private static ScanResult result;
    private static Map<String, Finding> byPath;

    @BeforeAll
    static void makeDumps() throws IOException {
        base = TestUser.newDir("pgdumps");
        pg = PgCluster.init(15, base.resolve("data")).start();
        try {
            pg.psql("postgres", "CREATE DATABASE shop");
            pg.psql("shop", "CREATE TABLE items(id int PRIMARY KEY, name text);"
                    + "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 3000) g;"
                    + "CREATE TABLE orders(id int, item int REFERENCES items);"
                    + "INSERT INTO orders SELECT g, g FROM generate_series(1, 800) g;"
                    + "SELECT lo_from_bytea(0, 'a large object');");
            serverVersion = pg.psql("shop", "SHOW server_version").strip().split(" ")[0];

            backup = base.resolve("backup");
            Files.createDirectories(backup.resolve("damaged"));
            Files.createDirectories(backup.resolve("decoys"));
            TestUser.chown(backup);
            dump("-Fc", "-f", "shop.dump");
            dump("-Fc", "-Z0", "-f", "shop-z0.dump");
            dump("-Fd", "-f", "shopdir");
            dump("-Fd", "-j2", "-f", "shopdir-j2");
            dump("-Fd", "-Z0", "-f", "shopdir-z0");
            dump("-Ft", "-f", "shop.tar");
            dump("-f", "shop.sql");
            dump("-C", "-f", "shop-create.sql");
            Cmd.run(Cmd.asTestUser(List.of(PgCluster.binDir(15).resolve("pg_dumpall").toString(), "-h", "127.0.0.1",
                    "-p", String.valueOf(pg.port()), "-U", "postgres", "-f", backup.resolve("cluster.sql").toString())),
                    backup, Map.of());
            Cmd.run(Cmd.asTestUser(List.of(PgCluster.binDir(15).resolve("pg_dumpall").toString(), "-h", "127.0.0.1",
                    "-p", String.valueOf(pg.port()), "-U", "postgres", "-g", "-f", backup.resolve("roles.sql").toString())),
                    backup, Map.of());
        } finally {
            pg.stop();
        }
        Path sql = backup.resolve("shop.sql");
        Cmd.run(List.of("sh", "-c", "gzip -c shop.sql > shop.sql.gz && zstd -q -c shop.sql > shop.sql.zst"
                + " && xz -c shop.sql > shop.sql.xz && bzip2 -c shop.sql > shop.sql.bz2"
                + " && gzip -c shop.dump > shop.dump.gz"), backup, Map.of());
        // damaged copies: the first 60 % of the bytes
        Path d = backup.resolve("damaged");
        cut(backup.resolve("shop.dump"), d.resolve("shop-cut.dump"), 0.6);
        cut(backup.resolve("shop-z0.dump"), d.resolve("shop-z0-cut.dump"), 0.6);
        cutBytes(backup.resolve("shop.dump"), d.resolve("shop-cut-end.dump"), 10);
        cut(backup.resolve("shop.tar"), d.resolve("shop-cut.tar"), 0.6);
        cut(sql, d.resolve("shop-cut.sql"), 0.6);
        cut(backup.resolve("shop.sql.gz"), d.resolve("shop-cut.sql.gz"), 0.6);
        cut(backup.resolve("cluster.sql"), d.resolve("cluster-cut.sql"), 0.6);
        Cmd.run(List.of("cp", "-r", backup.resolve("shopdir").toString(), d.resolve("dir-missing").toString()));
        Cmd.run(List.of("cp", "-r", backup.resolve("shopdir").toString(), d.resolve("dir-cut").toString()));
        List<Path> dataFiles = tableDataFiles(d.resolve("dir-missing"));
        Files.delete(dataFiles.get(0));
        Path victim = tableDataFiles(d.resolve("dir-cut")).get(0);
        cut(victim, victim, 0.6);
        Cmd.run(List.of("cp", "-r", backup.resolve("shopdir-z0").toString(), d.resolve("dirz0-cut").toString()));
        Path plainVictim = tableDataFiles(d.resolve("dirz0-cut")).get(0);
        cut(plainVictim, plainVictim, 0.6);
        // decoys
        Path x = backup.resolve("decoys");
        Files.writeString(x.resolve("schema.sql"), "-- our schema\nCREATE TABLE users (id serial PRIMARY KEY, name text);\n"
                + "-- PostgreSQL database dump\nCREATE INDEX ON users(name);\n");
        Files.writeString(x.resolve("mysql.sql"), "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n"
                + "-- Host: localhost    Database: shop\n-- Server version\t8.0.36\n\nCREATE TABLE `t` (`id` int);\n");
        Files.writeString(x.resolve("x.dump"), "just some notes that happen to be saved with a .dump name\n".repeat(20));
        Files.writeString(x.resolve("notes.txt"), "pg_dump -Fc files start with PGDMP, remember that\n".repeat(10));
        Files.writeString(x.resolve("fake.dump"), "PGDMP is what a custom dump starts with, says the manual\n");

        result = new Scanner(List.of(new PostgresScanning())).scan(backup);
        byPath = result.findings().stream().collect(Collectors.toMap(Finding::getPath, f -> f));
    }

    @AfterAll
    static void cleanUp() {
        if (pg != null) {
            pg.close();
        }
        TestUser.delete(base);
    }

    private static void dump(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(PgCluster.binDir(15).resolve("pg_dump").toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(pg.port()), "-U", "postgres"));
        argv.addAll(List.of(args));
        argv.add("shop");
        Cmd.run(Cmd.asTestUser(argv), backup, Map.of());
    }

    private static void cut(Path from, Path to, double fraction) throws IOException {
        byte[] all = Files.readAllBytes(from);
        Files.write(to, java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
    }

    private static void cutBytes(Path from, Path to, int bytes) throws IOException {
        Files.copy(from, to);
        try (RandomAccessFile f = new RandomAccessFile(to.toFile(), "rw")) {
            f.setLength(f.length() - bytes);
        }
    }

    /** The table data files of a directory dump, largest first (blob files excluded). */
    private static List<Path> tableDataFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("\\d+\\.dat(\\.gz)?"))
                    .sorted((a, b) -> Long.compare(b.toFile().length(), a.toFile().length())).toList();
        }
    }

    private static Finding finding(String path) {
        assertThat(byPath).as("findings: %s", result.findings()).containsKey(path);
        Finding f = byPath.get(path);
        assertThat(f.getEngine()).isEqualTo(Engine.POSTGRESQL);
        assertThat(f.getKind()).isEqualTo(Kind.DUMP);
        return f;
    }

    private static Finding ok(String path, String format) throws IOException {
        Finding f = finding(path);
        assertThat(f.getStatus()).as("%s: %s", path, f.getWarnings()).isEqualTo(Status.OK);
        assertThat(f.getFormat()).isEqualTo(format);
        assertThat(f.getVersion()).isEqualTo(serverVersion).startsWith("15.");
        Path p = backup.resolve(path);
        assertThat(f.getSizeBytes()).isEqualTo(Files.isDirectory(p) ? Trees.du(p) : Files.size(p));
        return f;
    }

    @Test
    void customFormatIsReadFromItsHeaderAndToc() throws IOException {
        Finding f = ok("shop.dump", "custom");
        assertThat(f.getDatabases()).containsExactly("shop");
        assertThat(f.getDetails()).containsEntry("archiveVersion", "1.14").containsEntry("compression", "gzip")
                .containsEntry("pgRestoreNeeded", "12").containsEntry("dataEntries", 3);
        assertThat((String) f.getDetails().get("serverVersion")).startsWith(serverVersion + " ");
        assertThat((String) f.getDetails().get("pgDumpVersion")).startsWith("15.");
        assertThat((Integer) f.getDetails().get("tocEntries")).isGreaterThan(5);
        assertThat((String) f.getDetails().get("createdAt")).matches("20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

        Finding z0 = ok("shop-z0.dump", "custom");
        assertThat(z0.getDetails()).containsEntry("compression", "none");
        assertThat(z0.getDatabases()).containsExactly("shop");

        // a custom dump gzipped as a whole: pg_restore cannot read it before it is decompressed
        Finding gz = ok("shop.dump.gz", "custom-gzip");
        assertThat(gz.getDatabases()).containsExactly("shop");
        assertThat(gz.getWarnings()).anyMatch(w -> w.contains("decompress it first"));
    }

    @Test
    void directoryFormatIsOneFindingWithTheSizeOfAllItsFiles() throws IOException {
        for (String dir : List.of("shopdir", "shopdir-j2", "shopdir-z0")) {
            Finding f = ok(dir, "directory");
            assertThat(f.getDatabases()).containsExactly("shop");
            assertThat(f.getDetails()).containsEntry("archiveVersion", "1.14").containsEntry("dataEntries", 3);
        }
        assertThat(byPath.keySet()).noneMatch(p -> p.startsWith("shopdir/") || p.startsWith("shopdir-j2/"));
        assertThat(finding("shopdir-z0").getDetails()).containsEntry("compression", "none");
    }

    @Test
    void tarFormat() throws IOException {
        Finding f = ok("shop.tar", "tar");
        assertThat(f.getDatabases()).containsExactly("shop");
        assertThat(f.getDetails()).containsEntry("archiveVersion", "1.14").containsEntry("compression", "none");
    }

    @Test
    void plainDumpsAndTheirDatabaseNames() throws IOException {
        Finding plain = ok("shop.sql", "plain");
        assertThat(plain.getDatabases()).isEmpty(); // pg_dump without -C names no database
        assertThat((String) plain.getDetails().get("pgDumpVersion")).startsWith("15.");
        assertThat(ok("shop-create.sql", "plain").getDatabases()).containsExactly("shop");

        Finding all = ok("cluster.sql", "plain");
        assertThat(all.getDetails()).containsEntry("dumpall", true);
        assertThat(all.getDatabases()).containsExactly("postgres", "shop");

        Finding roles = finding("roles.sql"); // pg_dumpall --globals-only: no database, no version line
        assertThat(roles.getStatus()).isEqualTo(Status.OK);
        assertThat(roles.getFormat()).isEqualTo("plain");
        assertThat(roles.getDatabases()).isEmpty();
        assertThat(roles.getVersion()).isNull();
        assertThat(roles.getDetails()).containsEntry("dumpall", true).containsEntry("globalsOnly", true);
    }

    @Test
    void compressedPlainDumps() throws IOException {
        for (String c : List.of("gzip:gz", "zstd:zst", "xz:xz", "bzip2:bz2")) {
            String[] p = c.split(":");
            Finding f = ok("shop.sql." + p[1], "plain-" + p[0]);
            assertThat(f.getDetails()).containsEntry("compression", p[0]);
            assertThat(f.getDatabases()).isEmpty();
        }
    }

    @Test
    void cutShortDumpsAreDamaged() {
        for (String path : List.of("damaged/shop-cut.dump", "damaged/shop-z0-cut.dump", "damaged/shop-cut-end.dump",
                "damaged/shop-cut.tar", "damaged/shop-cut.sql", "damaged/shop-cut.sql.gz", "damaged/cluster-cut.sql")) {
            Finding f = finding(path);
            assertThat(f.getStatus()).as(path + " " + f.getWarnings()).isEqualTo(Status.DAMAGED);
            assertThat(String.join(" ", f.getWarnings())).as(path).contains("cut short");
            assertThat(f.getVersion()).as(path).isEqualTo(serverVersion);
        }
        assertThat(finding("damaged/shop-cut.sql.gz").getFormat()).isEqualTo("plain-gzip");
        assertThat(finding("damaged/cluster-cut.sql").getDetails()).containsEntry("dumpall", true);
    }

    @Test
    void directoryDumpWithAMissingAndACutDataFile() throws IOException {
        Finding missing = finding("damaged/dir-missing");
        assertThat(missing.getStatus()).isEqualTo(Status.INCOMPLETE);
        String gone = tableDataFiles(backup.resolve("damaged/dir-cut")).stream()
                .map(p -> p.getFileName().toString()).filter(n -> !Files.exists(backup.resolve("damaged/dir-missing/" + n)))
                .findFirst().orElseThrow();
        assertThat(String.join(" ", missing.getWarnings())).contains(gone.replace(".gz", "")).contains("missing");

        Finding cut = finding("damaged/dir-cut");
        assertThat(cut.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(String.join(" ", cut.getWarnings())).contains(gone).contains("cut short");
        assertThat(cut.getSizeBytes()).isEqualTo(Trees.du(backup.resolve("damaged/dir-cut")));

        // uncompressed data files (-Z0): a table's COPY data that lost its closing \. line
        Finding z0 = finding("damaged/dirz0-cut");
        assertThat(z0.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(String.join(" ", z0.getWarnings())).contains(gone.replace(".gz", "")).contains("cut short");
    }

    @Test
    void decoysAreNotFindings() {
        assertThat(byPath.keySet()).noneMatch(p -> p.startsWith("decoys/"));
        assertThat(result.warnings()).extracting(ScanWarning::path).contains("decoys/fake.dump");
        assertThat(result.findings()).hasSize(25);
    }

    @Test
    void nothingInTheBackupWasChanged() throws IOException {
        // the scan ran in @BeforeAll; a second scan gives the same answer and no file appeared
        long files;
        try (Stream<Path> s = Files.walk(backup)) {
            files = s.count();
        }
        ScanResult again = new Scanner(List.of(new PostgresScanning())).scan(backup);
        assertThat(again.findings()).hasSize(result.findings().size());
        try (Stream<Path> s = Files.walk(backup)) {
            assertThat(s.count()).isEqualTo(files);
        }
        assertThat(new String(Files.readAllBytes(backup.resolve("shop.sql")), StandardCharsets.UTF_8))
                .contains("-- PostgreSQL database dump complete");
    }
}
