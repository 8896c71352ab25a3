package io.dbrescue.redis;

import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Scanner;
import io.dbrescue.scan.Status;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis files made by real servers: Debian's redis-server 7.0 (RDB 10, multi-part AOF folder) and the
 * 6.2 binary bundled in embedded-redis (RDB 9, single appendonly.aof, plain RESP and with RDB preamble),
 * scanned through the real Scanner, plus damaged copies and decoys.
 */
class RedisScanTest {
    static Path tree;
    static ScanResult scan;
    static String version70;
    static String version62;
    static long db0v70;
    static long db3v70;
    static long db0v62;
    static long db3v62;

    @BeforeAll
    static void makeFixtures() throws Exception {
        tree = TestUser.newDir("redis-scan");
        try (RedisFixture r = RedisFixture.start(RedisFixture.DEBIAN_SERVER, true)) {
            r.fill();
            version70 = r.info("redis_version");
            db0v70 = r.dbsize(0);
            db3v70 = r.dbsize(3);
            r.cli("SAVE");
            r.rewriteAof();
            r.cli("SET", "after-rewrite", "1"); // goes to the increment file
            r.cliDb(3, "INCR", "other:1");
            r.close();
            copy(r.dir.resolve("dump.rdb"), tree.resolve("r70/dump.rdb"));
            copyTree(r.dir.resolve("appendonlydir"), tree.resolve("r70/appendonlydir"));
            TestUser.delete(r.dir);
        }
        String bin62 = RedisFixture.embedded62();
        try (RedisFixture r = RedisFixture.start(bin62, true)) {
            r.fill();
            version62 = r.info("redis_version");
            db0v62 = r.dbsize(0);
            db3v62 = r.dbsize(3);
            r.cli("SAVE");
            // before any rewrite, 6.2's appendonly.aof holds plain RESP commands
            copy(r.dir.resolve("appendonly.aof"), tree.resolve("r62-resp/appendonly.aof"));
            r.rewriteAof(); // now it starts with an RDB preamble
            r.cli("SET", "after-rewrite", "1");
            r.close();
            copy(r.dir.resolve("dump.rdb"), tree.resolve("r62/dump.rdb"));
            copy(r.dir.resolve("appendonly.aof"), tree.resolve("r62/appendonly.aof"));
            TestUser.delete(r.dir);
        } finally {
            TestUser.delete(Path.of(bin62).getParent());
        }

        // damage, made from the real files
        byte[] rdb = Files.readAllBytes(tree.resolve("r70/dump.rdb"));
        write(tree.resolve("cut/dump.rdb"), Arrays.copyOf(rdb, rdb.length / 2));
        byte[] flipped = rdb.clone();
        int at = indexOf(flipped, "value 7".getBytes(StandardCharsets.US_ASCII));
        assertThat(at).isPositive();
        flipped[at] = 'V'; // same structure, different content: only the checksum notices
        write(tree.resolve("crc/dump.rdb"), flipped);

        byte[] resp = Files.readAllBytes(tree.resolve("r62-resp/appendonly.aof"));
        write(tree.resolve("aof-cut/appendonly.aof"), Arrays.copyOf(resp, resp.length - 5));

        Path dir = tree.resolve("r70/appendonlydir");
        String incr = lastIncr(dir);
        copyTree(dir, tree.resolve("aofdir-missing/appendonlydir"));
        Files.delete(tree.resolve("aofdir-missing/appendonlydir").resolve(incr));
        copyTree(dir, tree.resolve("aofdir-cut/appendonlydir"));
        Path cutIncr = tree.resolve("aofdir-cut/appendonlydir").resolve(incr);
        byte[] incrBytes = Files.readAllBytes(cutIncr);
        write(cutIncr, Arrays.copyOf(incrBytes, incrBytes.length - 4));

        // decoys: text files named like Redis files
        write(tree.resolve("decoy/dump.rdb"), "notes about the redis dump, not the dump itself\n"
                .getBytes(StandardCharsets.UTF_8));
        write(tree.resolve("decoy/appendonly.aof"), "this is not an append only file at all\n"
                .getBytes(StandardCharsets.UTF_8));

        scan = new Scanner(List.of(new RedisScanning())).scan(tree);
    }

    @AfterAll
    static void cleanUp() {
        if (Boolean.getBoolean("dbrescue.keepFixtures")) {
            System.out.println("fixtures kept in " + tree);
            return;
        }
        TestUser.delete(tree);
    }

    @Test
    void redis70RdbHasVersionKeysAndDatabases() throws IOException {
        Finding f = finding("r70/dump.rdb");
        assertThat(f.getKind()).isEqualTo(Kind.RDB);
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getVersion()).isEqualTo(version70).startsWith("7.0");
        assertThat(f.getDetails()).containsEntry("rdbVersion", 10).containsEntry("redisBits", 64L)
                .containsEntry("checksumVerified", true)
                .containsEntry("keysPerDatabase", Map.of("db0", db0v70, "db3", db3v70))
                .containsEntry("keys", db0v70 + db3v70);
        assertThat(f.getDatabases()).containsExactly("db0", "db3");
        assertThat(f.getCleanShutdown()).isNull();
        assertThat(f.getSizeBytes()).isEqualTo(Files.size(tree.resolve("r70/dump.rdb")));
    }

    @Test
    void redis62RdbIsVersion9() {
        Finding f = finding("r62/dump.rdb");
        assertThat(f.getKind()).isEqualTo(Kind.RDB);
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(version62).startsWith("6.2");
        assertThat(f.getVersion()).isEqualTo(version62);
        assertThat(f.getDetails()).containsEntry("rdbVersion", 9).containsEntry("checksumVerified", true)
                .containsEntry("keysPerDatabase", Map.of("db0", db0v62, "db3", db3v62))
                .containsEntry("keys", db0v62 + db3v62);
        assertThat(f.getDatabases()).containsExactly("db0", "db3");
    }

    @Test
    void redis62AppendOnlyFiles() {
        Finding plain = finding("r62-resp/appendonly.aof");
        assertThat(plain.getKind()).isEqualTo(Kind.AOF);
        assertThat(plain.getFormat()).isEqualTo("resp");
        assertThat(plain.getStatus()).isEqualTo(Status.OK);

        Finding preamble = finding("r62/appendonly.aof");
        assertThat(preamble.getKind()).isEqualTo(Kind.AOF);
        assertThat(preamble.getFormat()).isEqualTo("rdb-preamble");
        assertThat(preamble.getVersion()).isEqualTo(version62);
        assertThat(preamble.getStatus()).isEqualTo(Status.OK);
        assertThat(preamble.getWarnings()).isEmpty();
    }

    @Test
    void redis70MultiPartAofFolder() throws IOException {
        Finding f = finding("r70/appendonlydir");
        assertThat(f.getKind()).isEqualTo(Kind.AOF);
        assertThat(f.getFormat()).isEqualTo("multi-part");
        assertThat(f.getVersion()).isEqualTo(version70);
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getWarnings()).isEmpty();
        long sum;
        try (Stream<Path> s = Files.list(tree.resolve("r70/appendonlydir"))) {
            sum = s.mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(f.getSizeBytes()).isEqualTo(sum);
        // the folder is claimed: its base RDB is not reported again
        assertThat(scan.findings()).noneMatch(x -> x.getPath().startsWith("r70/appendonlydir/"));
    }

    @Test
    void cutShortRdbIsDamaged() {
        Finding f = finding("cut/dump.rdb");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("cut short"));
        assertThat(f.getVersion()).isEqualTo(version70); // the header is still readable
    }

    @Test
    void checksumMismatchIsDamaged() {
        Finding f = finding("crc/dump.rdb");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getDetails()).containsEntry("checksumVerified", false);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("checksum"));
    }

    @Test
    void cutShortAofIsDamaged() {
        Finding f = finding("aof-cut/appendonly.aof");
        assertThat(f.getKind()).isEqualTo(Kind.AOF);
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("middle of a command"));
    }

    @Test
    void manifestNamingAMissingFileIsIncomplete() {
        Finding f = finding("aofdir-missing/appendonlydir");
        assertThat(f.getStatus()).isEqualTo(Status.INCOMPLETE);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("not in the backup"));
    }

    @Test
    void cutShortLastIncrementIsDamaged() {
        Finding f = finding("aofdir-cut/appendonlydir");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("middle of a command"));
    }

    @Test
    void textFilesNamedLikeRedisFilesAreOnlySuspicious() {
        assertThat(scan.findings()).noneMatch(f -> f.getPath().startsWith("decoy/"));
        assertThat(scan.warnings()).anyMatch(w -> w.path().equals("decoy/dump.rdb"));
        assertThat(scan.warnings()).anyMatch(w -> w.path().equals("decoy/appendonly.aof"));
    }

    @Test
    void everyFindingIsRedis() {
        assertThat(scan.findings()).hasSize(10);
    }

    /** Past the walk budget only the last bytes are looked at: a whole file ends with 0xFF + checksum. */
    @Test
    void cheapTailCheckWhenTheWalkStopsEarly() throws IOException {
        for (String path : List.of("r70/dump.rdb", "cut/dump.rdb")) {
            Path file = tree.resolve(path);
            Rdb.Info info;
            try (var in = Files.newInputStream(file)) {
                info = Rdb.read(in, 0); // stop at the first key
            }
            assertThat(info.end).isEqualTo(Rdb.End.STOPPED);
            assertThat(info.databases).containsExactly(0);
            Finding f = new Finding(io.dbrescue.scan.Engine.REDIS, Kind.RDB);
            boolean whole = RdbFacts.judge(f, info, file, Files.size(file), "This RDB");
            assertThat(whole).isEqualTo(path.startsWith("r70"));
            assertThat(f.getStatus()).isEqualTo(whole ? Status.OK : Status.DAMAGED);
        }
    }

    static Finding finding(String path) {
        return scan.findings().stream().filter(f -> f.getPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + path + " in " + scan.findings()
                        + " warnings " + scan.warnings()));
    }

    static String lastIncr(Path dir) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("appendonly.aof.manifest"))) {
            if (line.endsWith("type i")) {
                return line.split(" ")[1];
            }
        }
        throw new AssertionError("no incr file in the manifest");
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void write(Path to, byte[] bytes) throws IOException {
        Files.createDirectories(to.getParent());
        Files.write(to, bytes);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
