package io.dbrescue.redis;

import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Scanner;
import io.dbrescue.scan.Status;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key counts and damage for every RDB version, on Redis's own test files (tests/assets of redis/redis:
 * RDB 3, 4, 7, 8, 9, 10 — see the resources' README) and on files written byte by byte for the versions
 * nothing here writes (1, 2, 5, 6, 11, 12). Every file that Debian's Redis 7.0 can load is loaded by it,
 * and the scan's count (less the empty keys Redis skips) must equal what the server holds: the number
 * comes from the file, never a made-up 0.
 */
class RedisRdbVersionsTest {
    static Path tree;
    static ScanResult scan;
    static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    @BeforeAll
    static void files() throws Exception {
        for (String asset : List.of("hash-zipmap.rdb", "encodings.rdb", "corrupt_ziplist.rdb", "list-quicklist.rdb",
                "hash-ziplist.rdb", "zset-ziplist.rdb", "scriptbackup.rdb", "corrupt_empty_keys.rdb")) {
            try (InputStream in = RedisRdbVersionsTest.class.getResourceAsStream(asset)) {
                FILES.put("assets/" + asset, in.readAllBytes());
            }
        }
        for (int v : new int[] {1, 2, 5, 6}) {
            FILES.put("made/v" + v + ".rdb", new RdbWriter(v).select(0).string("a", "1").list("l", "x", "y")
                    .select(2).string("b", "2").string("c", "3").end());
        }
        FILES.put("made/v11.rdb", new RdbWriter(11).select(0).string("a", "1").setListpack("s", 1, 2, 3).end());
        FILES.put("made/v12.rdb", new RdbWriter(12).select(0).string("a", "1")
                .hashListpackEx("h", 4_102_444_800_000L, 7, 8).select(1).string("b", "2").end());
        tree = TestUser.newDir("rdb-versions");
        for (Map.Entry<String, byte[]> e : FILES.entrySet()) {
            Files.createDirectories(tree.resolve(e.getKey()).getParent());
            Files.write(tree.resolve(e.getKey()), e.getValue());
        }
        scan = new Scanner(List.of(new RedisScanning())).scan(tree);
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(tree);
    }

    @Test
    void everyVersionHasItsKeysCounted() {
        Map<String, Object[]> want = new LinkedHashMap<>(); // path -> rdb version, keys per database
        want.put("assets/hash-zipmap.rdb", new Object[] {3, Map.of("db0", 1L)});
        want.put("assets/encodings.rdb", new Object[] {4, Map.of("db0", 13L)});
        want.put("assets/list-quicklist.rdb", new Object[] {8, Map.of("db0", 2L)});
        want.put("assets/hash-ziplist.rdb", new Object[] {9, Map.of("db0", 1L)});
        want.put("assets/zset-ziplist.rdb", new Object[] {10, Map.of("db0", 1L)});
        want.put("made/v1.rdb", new Object[] {1, Map.of("db0", 2L, "db2", 2L)});
        want.put("made/v2.rdb", new Object[] {2, Map.of("db0", 2L, "db2", 2L)});
        want.put("made/v5.rdb", new Object[] {5, Map.of("db0", 2L, "db2", 2L)});
        want.put("made/v6.rdb", new Object[] {6, Map.of("db0", 2L, "db2", 2L)});
        want.put("made/v11.rdb", new Object[] {11, Map.of("db0", 2L)});
        want.put("made/v12.rdb", new Object[] {12, Map.of("db0", 2L, "db1", 1L)});
        want.forEach((path, w) -> {
            Finding f = finding(path);
            assertThat(f.getStatus()).as(path + " " + f.getWarnings()).isEqualTo(Status.OK);
            assertThat(f.getDetails()).as(path).containsEntry("rdbVersion", w[0]).containsEntry("keysPerDatabase", w[1])
                    .containsEntry("keys", ((Map<?, ?>) w[1]).values().stream().mapToLong(n -> (Long) n).sum());
        });
        // a file without keys (only a Lua script) says 0 because it holds none
        assertThat(finding("assets/scriptbackup.rdb").getDetails()).containsEntry("keys", 0L);
    }

    /** The scan's counts are what Redis 7.0 itself holds after loading each file it can load (RDB 1 to 10). */
    @Test
    void redis70HoldsWhatTheScanCounted() throws Exception {
        for (Map.Entry<String, byte[]> e : FILES.entrySet()) {
            Finding f = finding(e.getKey());
            int version = (Integer) f.getDetails().get("rdbVersion");
            if (version > 10 || "corrupt".equals(f.getDetails().get("damage"))) {
                continue;
            }
            long empty = f.getDetails().get("emptyKeysPerDatabase") instanceof Map<?, ?> m
                    ? m.values().stream().mapToLong(n -> (Long) n).sum() : 0;
            try (RedisFixture r = RedisFixture.startOn(RedisFixture.DEBIAN_SERVER, e.getValue())) {
                assertThat(r.totalKeys()).as(e.getKey()).isEqualTo((Long) f.getDetails().get("keys") - empty);
                TestUser.delete(r.dir);
            }
        }
    }

    /**
     * Past the scan's byte budget an RDB before version 7 (no per-database counts in the format) cannot be
     * counted: the finding says why and the verification expects no number — never 0 keys.
     */
    @Test
    void anUncountableOldRdbSaysWhyInsteadOfZero() throws IOException {
        byte[] v6 = FILES.get("made/v6.rdb");
        Rdb.Info info = Rdb.read(new java.io.ByteArrayInputStream(v6), 20); // stops after the first key
        assertThat(info.end).isEqualTo(Rdb.End.STOPPED);
        Finding f = new Finding(io.dbrescue.scan.Engine.REDIS, io.dbrescue.scan.Kind.RDB);
        RdbFacts.describe(f, info);
        assertThat(f.getDetails()).doesNotContainKeys("keys", "keysPerDatabase");
        assertThat(String.valueOf(f.getDetails().get("keysUnknownReason"))).contains("RDB 6 has no per-database key "
                + "counts");
        assertThat(RdbPreflight.expectation(f)).containsOnlyKeys("unknownWhy").doesNotContainValue("0");
    }

    @Test
    void redissOwnCorruptZiplistIsFoundAtTheScanWithTheKeyNamed() {
        Finding f = finding("assets/corrupt_ziplist.rdb");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getDetails()).containsEntry("damage", "corrupt");
        assertThat(f.getWarnings()).anySatisfy(w -> assertThat(w).contains("is damaged at the key 'key:000000000091' "
                + "(a hash stored as a ziplist", "its ziplist is 5 bytes long, shorter than a ziplist's header",
                "Redis refuses to load the whole file"));
    }

    @Test
    void redissOwnEmptyKeysAreNamedAndExpectedToBeSkipped() {
        Finding f = finding("assets/corrupt_empty_keys.rdb");
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getDetails()).containsEntry("damage", "empty-keys").containsEntry("keys", 9L)
                .containsEntry("emptyKeysPerDatabase", Map.of("db0", 9L));
        assertThat(f.getWarnings()).anySatisfy(w -> assertThat(w).contains("9 of its 9 keys hold an empty collection",
                "'set' (a set)", "Redis skips such keys", "the other 0 keys load"));
    }

    @Test
    void aDamagedListpackInAnRdb11IsFound() throws IOException {
        byte[] good = FILES.get("made/v11.rdb");
        byte[] bad = good.clone();
        int lp = indexOf(bad, new byte[] {0x0d, 0, 0, 0, 3, 0}); // the listpack's header: 13 bytes, 3 elements
        bad[lp] = 0x0e; // claims one byte more than it holds
        Path file = tree.resolve("made/v11-bad.rdb");
        Files.write(file, bad);
        ScanResult again = new Scanner(List.of(new RedisScanning())).scan(tree);
        Finding f = again.findings().stream().filter(x -> x.getPath().equals("made/v11-bad.rdb")).findFirst()
                .orElseThrow();
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getWarnings()).anySatisfy(w -> assertThat(w).contains("at the key 's' (a set stored as a listpack",
                "its listpack says it is 14 bytes long but holds 13"));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static Finding finding(String path) {
        return scan.findings().stream().filter(f -> f.getPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + path + " in " + scan.findings()));
    }
}
