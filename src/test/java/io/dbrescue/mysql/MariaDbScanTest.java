package io.dbrescue.mysql;

import io.dbrescue.testing.Trees;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Scanner;
import io.dbrescue.scan.Status;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.MariaDb;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real MariaDB fixtures (Debian's mariadb-server 10.11: mariadb-install-db, mariadbd, mariadb-dump):
 * a data directory shut down cleanly, one copied while the server ran, one after kill -9; dumps plain
 * and compressed with the real gzip/zstd/xz/bzip2; truncated copies; decoys. No MySQL (Oracle) server
 * can run here: the MySQL 8 cases are built from the documented formats (see {@link #mysql8Layout}).
 */
class MariaDbScanTest {
    static Path base;
    static Path scan;
    static String serverVersion; // "10.11.19" as the installed server says
    static ScanResult result;

    @BeforeAll
    static void fixtures() throws Exception {
        base = TestUser.newDir("mariadb");
        Path data = base.resolve("data");
        Path sock = base.resolve("mysqld.sock");
        MariaDb.debian(data).install();
        String v = Cmd.run(List.of("/usr/sbin/mariadbd", "--version"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Ver (\\d+\\.\\d+\\.\\d+)").matcher(v);
        assertThat(m.find()).as(v).isTrue();
        serverVersion = m.group(1);

        scan = Files.createDirectories(base.resolve("scan"));
        Path dumps = Files.createDirectories(scan.resolve("dumps"));
        try (MariaDb server = server(data, sock, base.resolve("outside.pid")).start()) {
            sql(sock, "CREATE DATABASE shop; CREATE TABLE shop.items(id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB;"
                    + "INSERT INTO shop.items VALUES (1,'apple'),(2,'pear');"
                    + "CREATE DATABASE notes; CREATE TABLE notes.n(x INT) ENGINE=Aria; INSERT INTO notes.n VALUES (1);"
                    + "CREATE TABLE notes.m(x INT) ENGINE=MyISAM; CREATE DATABASE `my-app`;"
                    + "CREATE TABLE `my-app`.t(x INT) ENGINE=InnoDB; INSERT INTO shop.items VALUES (3,'plum');");
            // a copy taken while the server runs, right after writes (pid file kept outside the datadir,
            // so only the redo log can tell)
            copy(data, scan.resolve("running/mysql"));
            Cmd.run(List.of("mariadb-dump", "--no-defaults", "-S", sock.toString(), "-uroot",
                    "--result-file=" + dumps.resolve("shop.sql"), "shop"));
            Cmd.run(List.of("mariadb-dump", "--no-defaults", "-S", sock.toString(), "-uroot", "--all-databases",
                    "--result-file=" + dumps.resolve("all.sql")));
            Cmd.run(List.of("mariadb-dump", "--no-defaults", "-S", sock.toString(), "-uroot", "--skip-comments",
                    "--result-file=" + dumps.resolve("nocomments.sql"), "shop"));
            server.shutdown();
        }
        copy(data, scan.resolve("var/lib/mysql"));

        // second run: the pid file in the datadir (the default), killed with -9 right after a write
        Path pid = data.resolve("crash.pid");
        try (MariaDb server = server(data, sock, pid).start()) {
            sql(sock, "INSERT INTO shop.items VALUES (4,'fig'); UPDATE shop.items SET name='quince' WHERE id=1;");
            server.crash();
        }
        copy(data, scan.resolve("crashed/mysql"));
        copy(data, scan.resolve("crashed-nopid/mysql"));
        Files.delete(scan.resolve("crashed-nopid/mysql/crash.pid"));

        // compressed dumps with the real programs (-k keeps the original)
        Path all = dumps.resolve("all.sql");
        for (String c : List.of("gzip", "zstd", "xz", "bzip2")) {
            Path copy = dumps.resolve("c-" + c + ".sql");
            Files.copy(all, copy);
            Cmd.run(c.equals("zstd") ? List.of(c, "-q", "--rm", copy.toString()) : List.of(c, "-q", copy.toString()));
        }
        // damage: a plain dump cut in half; a gzip cut in half
        cut(dumps.resolve("shop.sql"), dumps.resolve("shop-cut.sql"));
        cut(dumps.resolve("c-gzip.sql.gz"), dumps.resolve("all-cut.sql.gz"));

        // decoys: a folder named mysql with a README; an ibdata1 of zeros next to a real mysql/ folder
        Files.createDirectories(scan.resolve("decoys/readme/mysql"));
        Files.writeString(scan.resolve("decoys/readme/mysql/README"), "MySQL notes: remember to back up\n");
        Path zeros = Files.createDirectories(scan.resolve("decoys/zeros"));
        copy(data.resolve("mysql"), zeros.resolve("mysql"));
        try (RandomAccessFile f = new RandomAccessFile(zeros.resolve("ibdata1").toFile(), "rw")) {
            f.setLength(12 * 1024 * 1024);
        }
        Path garbage = Files.createDirectories(scan.resolve("decoys/garbage"));
        copy(data.resolve("mysql"), garbage.resolve("mysql"));
        Files.write(garbage.resolve("ibdata1"), new java.util.Random(42).ints(65536, 0, 256)
                .collect(java.io.ByteArrayOutputStream::new, (o, i) -> o.write(i), (a, b) -> { }).toByteArray());
        Files.writeString(scan.resolve("decoys/not-a-dump.sql"), "-- my notes about MySQL dump files\nSELECT 1;\n");

        mysql8Layout(scan.resolve("var/lib/mysql"), scan.resolve("oracle/mysql"));
        mysqlDump(dumps.resolve("shop.sql"), scan.resolve("oracle/shop-mysql.sql"));

        result = new Scanner(List.of(new MySqlScanning())).scan(scan);
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(base);
    }

    /** Debian's 10.11 as the test user, grant tables skipped (the scan only needs the files it writes). */
    static MariaDb server(Path data, Path sock, Path pidFile) {
        return MariaDb.debian(data).socket(sock).pidFile(pidFile).log(base.resolve("error.log"))
                .options("--skip-grant-tables");
    }

    static void sql(Path sock, String sql) {
        MariaDb.sql(sock, sql);
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Cmd.run(List.of("cp", "-a", from.toString(), to.toString()));
    }

    static void cut(Path from, Path to) throws IOException {
        byte[] b = Files.readAllBytes(from);
        Files.write(to, java.util.Arrays.copyOf(b, b.length / 2));
    }

    /**
     * MySQL 8.0.30+ cannot run here, so its layout is made from the documented formats on top of the
     * real InnoDB files: MySQL 8 has no Aria files and no mysql_upgrade_info, but auto.cnf (server-uuid),
     * mysql.ibd (the data dictionary tablespace) and #innodb_redo/#ib_redoN whose header block has
     * format 6 (LOG_HEADER_FORMAT_8_0_30) at offset 0 and the creator "MySQL 8.0.36" at offset 16
     * (log0constants.h). 8.4 adds mysql_upgrade_history (JSON).
     */
    static void mysql8Layout(Path mariadb, Path target) throws IOException {
        copy(mariadb, target);
        for (String n : List.of("aria_log_control", "aria_log.00000001", "mysql_upgrade_info", "ib_logfile0")) {
            Files.deleteIfExists(target.resolve(n));
        }
        Files.writeString(target.resolve("auto.cnf"), "[auto]\nserver-uuid=8a94f357-aab4-11df-86ab-c80aa9429562\n");
        Files.copy(target.resolve("mysql/gtid_slave_pos.ibd"), target.resolve("mysql.ibd"));
        Path redo = Files.createDirectories(target.resolve("#innodb_redo"));
        byte[] header = new byte[2048];
        header[3] = 6;
        byte[] creator = "MySQL 8.0.36".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(creator, 0, header, 16, creator.length);
        header[15] = 0x20; // start LSN 8192
        Files.write(redo.resolve("#ib_redo10"), header);
        Files.write(redo.resolve("#ib_redo11_tmp"), new byte[2048]);
        Files.writeString(target.resolve("mysql_upgrade_history"), "{\"file_format\":\"1\",\"upgrade_history\":["
                + "{\"date\":\"2024-05-01 10:00:00\",\"version\":\"8.0.36\",\"maturity\":\"LTS\",\"initialize\":true},"
                + "{\"date\":\"2024-06-01 10:00:00\",\"version\":\"8.4.0\",\"maturity\":\"LTS\",\"initialize\":false}]}");
    }

    /** A mysqldump 8.0 header (documented text lines) on the body of a real dump. */
    static void mysqlDump(Path mariaDump, Path target) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(mariaDump));
        lines.remove(0); // the MariaDB sandbox line
        lines.set(0, "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)");
        for (int i = 0; i < 8; i++) {
            if (lines.get(i).startsWith("-- Server version")) {
                lines.set(i, "-- Server version\t8.0.36-0ubuntu0.22.04.1");
            }
        }
        Files.write(target, lines);
    }

    static Finding finding(String path) {
        return result.findings().stream().filter(f -> f.getPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding at " + path + " in " + result.findings()));
    }

    @Test
    void cleanDataDirectory() throws IOException {
        Finding f = finding("var/lib/mysql");
        assertThat(f.getEngine()).isEqualTo(Engine.MARIADB);
        assertThat(f.getKind()).isEqualTo(Kind.DATA_DIRECTORY);
        assertThat(f.getVersion()).isEqualTo(serverVersion);
        assertThat(f.getCleanShutdown()).isTrue();
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getDatabases()).containsExactly("my-app", "notes", "shop");
        assertThat(f.getDetails()).containsEntry("innodbPageSize", 16384)
                .containsEntry("redoLogCreator", "MariaDB " + serverVersion);
        assertThat((double) f.getSizeBytes()).isCloseTo(Trees.du(scan.resolve("var/lib/mysql")),
                org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void copiedWhileRunningIsNotClean() {
        Finding f = finding("running/mysql");
        assertThat(f.getEngine()).isEqualTo(Engine.MARIADB);
        assertThat(f.getCleanShutdown()).isFalse();
        assertThat(f.getDetails()).doesNotContainKey("leftoverPidFile");
    }

    @Test
    void killedServerIsNotClean() {
        Finding f = finding("crashed/mysql");
        assertThat(f.getCleanShutdown()).isFalse();
        assertThat(f.getDetails()).containsEntry("leftoverPidFile", "crash.pid");
        // without the pid file the redo log alone tells
        Finding g = finding("crashed-nopid/mysql");
        assertThat(g.getCleanShutdown()).isFalse();
        assertThat(g.getDatabases()).containsExactly("my-app", "notes", "shop");
    }

    @Test
    void mysql8FromDocumentedFormats() {
        Finding f = finding("oracle/mysql");
        assertThat(f.getEngine()).isEqualTo(Engine.MYSQL);
        assertThat(f.getVersion()).isEqualTo("8.4.0");
        assertThat(f.getCleanShutdown()).isNull();
        assertThat(f.getDetails()).containsEntry("redoLogCreator", "MySQL 8.0.36")
                .containsEntry("redoLog", "#innodb_redo/#ib_redo10");
        Finding d = finding("oracle/shop-mysql.sql");
        assertThat(d.getEngine()).isEqualTo(Engine.MYSQL);
        assertThat(d.getVersion()).isEqualTo("8.0.36");
        assertThat(d.getDatabases()).containsExactly("shop");
        assertThat(d.getStatus()).isEqualTo(Status.OK);
    }

    @Test
    void plainDumps() {
        Finding shop = finding("dumps/shop.sql");
        assertThat(shop.getEngine()).isEqualTo(Engine.MARIADB);
        assertThat(shop.getKind()).isEqualTo(Kind.DUMP);
        assertThat(shop.getFormat()).isEqualTo("plain");
        assertThat(shop.getVersion()).isEqualTo(serverVersion);
        assertThat(shop.getDatabases()).containsExactly("shop");
        assertThat(shop.getStatus()).isEqualTo(Status.OK);
        assertThat(shop.getCleanShutdown()).isNull();

        Finding all = finding("dumps/all.sql");
        assertThat(all.getDatabases()).containsExactly("my-app", "notes", "shop");
        assertThat(all.getDetails()).containsEntry("systemDatabases", List.of("mysql"));
        assertThat(all.getStatus()).isEqualTo(Status.OK);
    }

    @Test
    void compressedDumps() throws IOException {
        for (Map.Entry<String, String> e : Map.of("c-gzip.sql.gz", "plain-gzip", "c-zstd.sql.zst", "plain-zstd",
                "c-xz.sql.xz", "plain-xz", "c-bzip2.sql.bz2", "plain-bzip2").entrySet()) {
            Finding f = finding("dumps/" + e.getKey());
            assertThat(f.getFormat()).isEqualTo(e.getValue());
            assertThat(f.getEngine()).isEqualTo(Engine.MARIADB);
            assertThat(f.getVersion()).isEqualTo(serverVersion);
            assertThat(f.getDatabases()).containsExactly("my-app", "notes", "shop");
            assertThat(f.getStatus()).as(e.getKey()).isEqualTo(Status.OK);
            assertThat(f.getSizeBytes()).isEqualTo(Files.size(scan.resolve("dumps/" + e.getKey())));
        }
    }

    @Test
    void truncatedDumpsAreDamaged() {
        Finding plain = finding("dumps/shop-cut.sql");
        assertThat(plain.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(plain.getWarnings()).anyMatch(w -> w.contains("Dump completed"));
        Finding gz = finding("dumps/all-cut.sql.gz");
        assertThat(gz.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(gz.getFormat()).isEqualTo("plain-gzip");
    }

    @Test
    void dumpWithoutCommentsIsRecognisedButCompletenessUnknown() {
        Finding f = finding("dumps/nocomments.sql");
        assertThat(f.getEngine()).isEqualTo(Engine.MARIADB); // from the sandbox line
        assertThat(f.getVersion()).isNull();
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getDetails()).doesNotContainKey("complete");
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("cannot be told"));
    }

    @Test
    void decoysAreNotFindings() {
        assertThat(result.findings()).noneMatch(f -> f.getPath().startsWith("decoys"));
        assertThat(result.warnings()).anyMatch(w -> w.path().equals("decoys/zeros")
                && w.message().contains("not an InnoDB system tablespace"));
        assertThat(result.warnings()).anyMatch(w -> w.path().equals("decoys/garbage"));
        assertThat(result.findings()).hasSize(15);
    }

    @Test
    void page0ParserRejectsZerosAndNameDecoding() {
        assertThat(InnoDb.readPage0(new byte[16384], 16384)).isNull();
        assertThat(MySqlDataDirectoryDetector.decodeName("my@002dapp")).isEqualTo("my-app");
    }
}
