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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real clusters made by initdb (Debian's 15, zonky's 9.6, 10, 11, 12, 14, 16, 17, 18), copied into a
 * backup-like tree the way a user's backup holds them, then scanned once through the real Scanner.
 * Facts are compared with what the running server said (pg_control_system(), SHOW data_checksums,
 * pg_database).
 *
 * <p>Layouts not tested on a real cluster (no binaries reachable here): 9.4 (pg_control_version 942 with
 * the legacy CRC) and 9.5 (942 with CRC-32C), and 13 (same pg_control_version 1300 as 14-16).
 */
class PgDataDirectoryScanTest {
    /** What the server said about a cluster before it was copied. */
    record Truth(String systemIdentifier, int catalogVersion, boolean checksums, List<String> databases) {
    }

    private static Path work;
    private static Path root;
    private static ScanResult result;
    private static final Map<String, Truth> TRUTH = new HashMap<>();
    private static final List<PgCluster> CLUSTERS = new ArrayList<>();
    private static Path outsideTablespace;

    @BeforeAll
    static void buildBackupAndScan() throws Exception {
        work = TestUser.newDir("pgwork");
        root = TestUser.newDir("pgbackup");

        // 15 from Debian, with data checksums, in the Debian layout with its /etc config directory
        PgCluster c15 = cluster(15, "--data-checksums");
        c15.start();
        makeDatabases(c15, "shop", "notes");
        Truth t15 = truth(c15);
        c15.stop();
        copy(c15.dataDir(), root.resolve("var/lib/postgresql/15/main"));
        TRUTH.put("var/lib/postgresql/15/main", t15);
        Path etc = Files.createDirectories(root.resolve("etc/postgresql/15/main"));
        Files.writeString(etc.resolve("postgresql.conf"),
                "data_directory = '/var/lib/postgresql/15/main'\n#port = 5432\nport = 5433\t\t# (change requires restart)\n");

        // 16: no checksums (initdb's default before 18); a copy while running, then a clean copy
        PgCluster c16 = cluster(16);
        c16.start();
        makeDatabases(c16, "inventory", "crm");
        Truth t16 = truth(c16);
        // a checkpoint writes the commit log, so the dropped database is known as dropped in the copy
        c16.psql("postgres", "CHECKPOINT");
        copy(c16.dataDir(), root.resolve("running/pg16"));
        TRUTH.put("running/pg16", t16);
        c16.stop();
        copy(c16.dataDir(), root.resolve("home/dev/pg16"));
        TRUTH.put("home/dev/pg16", t16);
        // damaged and incomplete copies of the clean 16
        copy(c16.dataDir(), root.resolve("damaged/garbage-control"));
        byte[] garbage = new byte[8192];
        new Random(42).nextBytes(garbage);
        Files.write(root.resolve("damaged/garbage-control/global/pg_control"), garbage);
        copy(c16.dataDir(), root.resolve("damaged/truncated-control"));
        truncate(root.resolve("damaged/truncated-control/global/pg_control"), 100);
        copy(c16.dataDir(), root.resolve("damaged/flipped-control"));
        flipByte(root.resolve("damaged/flipped-control/global/pg_control"), 60);
        copy(c16.dataDir(), root.resolve("incomplete/no-wal"));
        Cmd.run(List.of("rm", "-rf", root.resolve("incomplete/no-wal/pg_wal").toString()));
        copy(c16.dataDir(), root.resolve("incomplete/wal-link"));
        Cmd.run(List.of("mv", root.resolve("incomplete/wal-link/pg_wal").toString(), work.resolve("wal16").toString()));
        Files.createSymbolicLink(root.resolve("incomplete/wal-link/pg_wal"), work.resolve("wal16"));
        // a tablespace outside the backup
        outsideTablespace = TestUser.newDir("pgts");
        c16.start();
        c16.psql("postgres", "CREATE TABLESPACE fast LOCATION '" + outsideTablespace + "'");
        c16.psql("postgres", "CREATE DATABASE reports TABLESPACE fast");
        c16.stop();
        copy(c16.dataDir(), root.resolve("incomplete/tablespace"));

        // 17 with checksums: clean copy, then a killed server (immediate stop, like a crash or power loss)
        PgCluster c17 = cluster(17, "--data-checksums");
        c17.start();
        makeDatabases(c17, "app_17");
        Truth t17 = truth(c17);
        c17.stop();
        copy(c17.dataDir(), root.resolve("srv/pg17/data"));
        TRUTH.put("srv/pg17/data", t17);
        c17.start();
        c17.psql("postgres", "CHECKPOINT");
        c17.kill();
        copy(c17.dataDir(), root.resolve("crashed/pg17"));
        TRUTH.put("crashed/pg17", t17);
        // a PG_VERSION that does not match pg_control
        copy(c17.dataDir(), root.resolve("mixed/pg17-says-16"));
        Files.writeString(root.resolve("mixed/pg17-says-16/PG_VERSION"), "16\n");

        // 18: initdb turns data checksums on by default; Arch-style postgresql.conf inside the data dir
        PgCluster c18 = cluster(18);
        c18.start();
        makeDatabases(c18, "analytics", "Ünïcode db");
        Truth t18 = truth(c18);
        c18.stop();
        copy(c18.dataDir(), root.resolve("var/lib/postgres/data"));
        TRUTH.put("var/lib/postgres/data", t18);
        Files.writeString(root.resolve("var/lib/postgres/data/postgresql.conf"), "\nport = 6543\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        // older majors, to prove their pg_control and pg_database layouts
        for (int major : new int[] {96, 10, 11, 12, 14}) {
            PgCluster c = cluster(major);
            c.start();
            makeDatabases(c, "legacy_" + major);
            Truth t = truth(c);
            c.stop();
            String rel = "old/pg" + PgCluster.versionName(major);
            copy(c.dataDir(), root.resolve(rel));
            TRUTH.put(rel, t);
        }

        // decoys
        Files.createDirectories(root.resolve("decoys/lone"));
        Files.writeString(root.resolve("decoys/lone/PG_VERSION"), "16\n");
        Files.createDirectories(root.resolve("decoys/empty/global"));
        Files.createDirectories(root.resolve("decoys/empty/base"));
        Files.writeString(root.resolve("decoys/empty/PG_VERSION"), "15\n");
        Files.createDirectories(root.resolve("decoys/text/global"));
        Files.createDirectories(root.resolve("decoys/text/base"));
        Files.writeString(root.resolve("decoys/text/global/pg_control"), "not really");
        Files.writeString(root.resolve("decoys/text/PG_VERSION"), "This file records the version of my app\n");

        result = new Scanner(List.of(new PostgresScanning())).scan(root);
    }

    @AfterAll
    static void cleanUp() {
        for (PgCluster c : CLUSTERS) {
            c.close();
        }
        TestUser.delete(work);
        TestUser.delete(root);
        TestUser.delete(outsideTablespace);
    }

    private static PgCluster cluster(int major, String... initdbArgs) {
        PgCluster c = PgCluster.init(major, work.resolve("pg" + PgCluster.versionName(major)), initdbArgs);
        CLUSTERS.add(c);
        return c;
    }

    /** Creates the databases and one more that is dropped again. */
    private static void makeDatabases(PgCluster c, String... names) {
        for (String n : names) {
            c.psql("postgres", "CREATE DATABASE \"" + n + "\"");
        }
        c.psql("postgres", "CREATE DATABASE scratch");
        c.psql("postgres", "DROP DATABASE scratch");
    }

    private static Truth truth(PgCluster c) {
        String[] control = c.psql("postgres",
                "SELECT system_identifier || '|' || catalog_version_no FROM pg_control_system()").split("\\|");
        boolean checksums = c.psql("postgres", "SHOW data_checksums").strip().equals("on");
        String names = c.psql("postgres",
                "SELECT datname FROM pg_database WHERE datname NOT IN ('template0', 'template1') ORDER BY datname");
        return new Truth(control[0].strip(), Integer.parseInt(control[1].strip()), checksums,
                names.isEmpty() ? List.of() : Arrays.asList(names.split("\n")));
    }

    /** cp -a, as a backup would copy it (modes, links as links). */
    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Cmd.run(List.of("cp", "-a", from.toString(), to.toString()));
    }

    private static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    private static void flipByte(Path file, int offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[offset] ^= 0x5A;
        Files.write(file, b);
    }

    private static Finding finding(String path) {
        return result.findings().stream().filter(f -> f.getPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding at " + path + "; findings: " + result.findings()
                        + "; warnings: " + result.warnings()));
    }

    private static void assertMatchesServer(String path, String version) throws IOException {
        Finding f = finding(path);
        Truth t = TRUTH.get(path);
        assertThat(f.getEngine()).isEqualTo(Engine.POSTGRESQL);
        assertThat(f.getKind()).isEqualTo(Kind.DATA_DIRECTORY);
        assertThat(f.getVersion()).isEqualTo(version);
        assertThat(f.getDetails().get("systemIdentifier")).isEqualTo(t.systemIdentifier());
        assertThat(f.getDetails().get("catalogVersion")).isEqualTo(t.catalogVersion());
        assertThat(f.getDetails().get("dataChecksums")).isEqualTo(t.checksums());
        assertThat(f.getDetails().get("pgControlCrc")).isEqualTo("ok");
        assertThat(f.getDatabases()).containsExactlyInAnyOrderElementsOf(t.databases());
        long bytes = Trees.du(root.resolve(path));
        assertThat((double) f.getSizeBytes()).isCloseTo((double) bytes, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"var/lib/postgresql/15/main=15", "home/dev/pg16=16", "srv/pg17/data=17",
            "var/lib/postgres/data=18", "old/pg9.6=9.6", "old/pg10=10", "old/pg11=11", "old/pg12=12", "old/pg14=14"})
    void cleanlyStoppedClustersMatchWhatTheServerSaid(String pathAndVersion) throws IOException {
        String path = pathAndVersion.split("=")[0];
        String version = pathAndVersion.split("=")[1];
        assertMatchesServer(path, version);
        Finding f = finding(path);
        assertThat(f.getCleanShutdown()).isTrue();
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getWarnings()).isEmpty();
        assertThat(f.getDetails()).containsEntry("state", "shut down").containsEntry("copiedWhileRunning", false);
        assertThat(f.getDetails().get("walPath")).isEqualTo(version.startsWith("9.") ? "pg_xlog" : "pg_wal");
    }

    @Test
    void checksumsOnAndOffAreBothSeen() {
        assertThat(finding("var/lib/postgresql/15/main").getDetails().get("dataChecksums")).isEqualTo(true);
        assertThat(finding("home/dev/pg16").getDetails().get("dataChecksums")).isEqualTo(false);
        assertThat(finding("var/lib/postgres/data").getDetails().get("dataChecksums")).isEqualTo(true); // 18's default
    }

    @Test
    void databaseNamesLeaveOutTemplatesAndDroppedOnes() {
        assertThat(finding("home/dev/pg16").getDatabases()).containsExactly("crm", "inventory", "postgres");
        assertThat(finding("var/lib/postgres/data").getDatabases()).containsExactly("analytics", "postgres", "Ünïcode db");
        assertThat(finding("old/pg11").getDatabases()).containsExactly("legacy_11", "postgres");
    }

    @Test
    void copyOfARunningServerIsNotCleanAndSaysSo() throws IOException {
        assertMatchesServer("running/pg16", "16");
        Finding f = finding("running/pg16");
        assertThat(f.getCleanShutdown()).isFalse();
        assertThat(f.getDetails()).containsEntry("copiedWhileRunning", true).containsEntry("state", "in production");
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("copied while the server was running")
                && w.contains("same major version") && w.contains("WAL"));
        assertThat(f.getStatus()).isEqualTo(Status.OK);
    }

    @Test
    void killedServerIsNotClean() throws IOException {
        assertMatchesServer("crashed/pg17", "17");
        Finding f = finding("crashed/pg17");
        assertThat(f.getCleanShutdown()).isFalse();
        // an immediate stop still removes postmaster.pid; only pg_control's state tells
        assertThat(f.getDetails()).containsEntry("copiedWhileRunning", false).containsEntry("state", "in production");
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("not shut down cleanly")
                && w.contains("same major version") && w.contains("WAL"));
    }

    @Test
    void debianConfigDirectoryIsFound() {
        Finding f = finding("var/lib/postgresql/15/main");
        assertThat(f.getDetails()).containsEntry("configPath", "etc/postgresql/15/main/postgresql.conf")
                .containsEntry("port", 5433);
    }

    @Test
    void configInsideTheDataDirectoryIsFound() {
        Finding f = finding("var/lib/postgres/data");
        assertThat(f.getDetails()).containsEntry("configPath", "var/lib/postgres/data/postgresql.conf")
                .containsEntry("port", 6543);
    }

    @Test
    void decoysAreNotFindingsButWarnings() {
        assertThat(result.findings()).noneMatch(f -> f.getPath().startsWith("decoys"));
        assertThat(result.warnings()).extracting(ScanWarning::path)
                .contains("decoys/lone", "decoys/empty", "decoys/text");
    }

    @Test
    void garbageControlFileIsDamaged() {
        Finding f = finding("damaged/garbage-control");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getVersion()).isEqualTo("16");
        assertThat(f.getCleanShutdown()).isNull();
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("pg_control"));
    }

    @Test
    void truncatedControlFileIsDamaged() {
        Finding f = finding("damaged/truncated-control");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("cut short") && w.contains("100 bytes"));
    }

    @Test
    void controlFileWithAWrongChecksumIsDamaged() {
        Finding f = finding("damaged/flipped-control");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getDetails()).containsEntry("pgControlCrc", "mismatch");
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("checksum"));
    }

    @Test
    void missingWalIsIncomplete() {
        Finding f = finding("incomplete/no-wal");
        assertThat(f.getStatus()).isEqualTo(Status.INCOMPLETE);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("pg_wal") && w.contains("missing"));
        assertThat(f.getCleanShutdown()).isTrue();
    }

    @Test
    void walLinkedOutsideTheBackupIsIncomplete() {
        Finding f = finding("incomplete/wal-link");
        assertThat(f.getStatus()).isEqualTo(Status.INCOMPLETE);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains(work.resolve("wal16").toString()));
    }

    @Test
    void tablespaceOutsideTheBackupIsIncompleteAndNamed() {
        Finding f = finding("incomplete/tablespace");
        assertThat(f.getStatus()).isEqualTo(Status.INCOMPLETE);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains(outsideTablespace.toString()));
        assertThat(f.getDatabases()).contains("reports");
    }

    @Test
    void versionMismatchIsAWarning() {
        Finding f = finding("mixed/pg17-says-16");
        assertThat(f.getVersion()).isEqualTo("16");
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("PG_VERSION says PostgreSQL 16") && w.contains("17"));
    }
}
