package io.dbrescue.postgres.scan;

import io.dbrescue.postgres.PostgresScanning;

import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Scanner;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real clusters of PostgreSQL 9.6, 12, 15 (Debian), 16, 17 and 18 (zonky), made by {@code initdb -U alice}
 * (the bootstrap superuser is not "postgres"), with a login role, a NOLOGIN role (altered, so pg_authid
 * holds an updated row), a dropped role, databases with hstore / pg_trgm + citext (pg_extension rewritten
 * by VACUUM FULL in one, so its file is no longer 3079), a dropped extension, a LATIN1 database with the
 * POSIX collation (which the server stores as C), and where the binaries allow an ICU database (15+) and a builtin-provider database
 * (17+). Each cluster is stopped cleanly, then scanned through the real Scanner; every fact is compared
 * with what the running server said in SQL before it stopped. A second copy is taken while each server
 * runs, right after a CHECKPOINT and before the SQL that reads the facts back: its newest catalog rows
 * carry no hint bits yet, so their visibility comes from the commit log (pg_xact / pg_clog).
 */
class PgCatalogFactsTest {
    private static final Path PSQL = Path.of("/usr/lib/postgresql/15/bin/psql");
    private static final int[] MAJORS = {96, 12, 15, 16, 17, 18};

    /** What the server said: roles, template0's locale, other databases' locales, extensions per database. */
    record Truth(String superuser, List<Map<String, Object>> roles, Map<String, Object> template0,
            Map<String, Map<String, Object>> locales, Map<String, Map<String, String>> extensions) {
    }

    private static Path work;
    private static final Map<Integer, PgCluster> CLUSTERS = new TreeMap<>();
    private static final Map<Integer, Truth> TRUTH = new TreeMap<>();
    private static final Map<Integer, Finding> FOUND = new TreeMap<>();
    private static final Map<Integer, Finding> FOUND_RUNNING = new TreeMap<>();
    private static final Map<Integer, Integer> UNHINTED = new TreeMap<>();

    @BeforeAll
    static void buildClusters() throws Exception {
        work = TestUser.newDir("pgfacts");
        for (int major : MAJORS) {
            PgCluster c = PgCluster.init(major, work.resolve("pg" + PgCluster.versionName(major)), "-U", "alice");
            CLUSTERS.put(major, c);
            c.start();
            sql(c, "postgres", "CREATE ROLE app LOGIN PASSWORD 'secret'");
            sql(c, "postgres", "CREATE ROLE readers NOLOGIN");
            sql(c, "postgres", "ALTER ROLE readers CREATEDB");
            sql(c, "postgres", "CREATE ROLE gone LOGIN");
            sql(c, "postgres", "DROP ROLE gone");
            sql(c, "postgres", "CREATE ROLE boss SUPERUSER LOGIN");
            sql(c, "postgres", "CREATE DATABASE shop OWNER app");
            sql(c, "postgres", "CREATE DATABASE search");
            sql(c, "postgres", "CREATE DATABASE legacy TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'POSIX' LC_CTYPE 'C'");
            sql(c, "shop", "CREATE EXTENSION hstore");
            sql(c, "shop", "CREATE EXTENSION citext");
            sql(c, "shop", "DROP EXTENSION citext");
            sql(c, "search", "CREATE EXTENSION pg_trgm");
            sql(c, "search", "CREATE EXTENSION citext");
            sql(c, "search", "VACUUM FULL pg_extension");
            if (major >= 15 && major < 90) {
                sql(c, "postgres", "CREATE DATABASE icu TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
                        + (major >= 16 ? " ICU_RULES '&V << w <<< W'" : ""));
            }
            if (major >= 17 && major < 90) {
                sql(c, "postgres", "CREATE DATABASE builtin TEMPLATE template0 LOCALE_PROVIDER builtin "
                        + "BUILTIN_LOCALE 'C.UTF-8'");
            }
            sql(c, "postgres", "CHECKPOINT");
            Path running = work.resolve("running-" + PgCluster.versionName(major));
            Cmd.run(List.of("cp", "-a", c.dataDir().toString(), running.toString()));
            TRUTH.put(major, truth(c));
            c.stop();
            FOUND.put(major, scanOne(c.dataDir()));
            FOUND_RUNNING.put(major, scanOne(running));
            UNHINTED.put(major, unhinted(running.resolve("global/1260")));
        }
    }

    @AfterAll
    static void cleanUp() {
        for (PgCluster c : CLUSTERS.values()) {
            c.close();
        }
        TestUser.delete(work);
    }

    @ParameterizedTest
    @ValueSource(ints = {96, 12, 15, 16, 17, 18})
    void theSuperuserAndRolesAreReadFromPgAuthid(int major) {
        Finding f = FOUND.get(major);
        Truth t = TRUTH.get(major);
        assertThat(f.getEngine()).isEqualTo(Engine.POSTGRESQL);
        assertThat(f.getKind()).isEqualTo(Kind.DATA_DIRECTORY);
        assertThat(t.superuser()).isEqualTo("alice");
        assertThat(f.getDetails().get("superuser")).isEqualTo("alice");
        assertThat(f.getDetails().get("roles")).isEqualTo(t.roles());
        assertThat(t.roles()).extracting(m -> m.get("name")).containsExactly("alice", "app", "readers", "boss");
        assertThat(f.getWarnings()).noneMatch(w -> w.contains("roles") || w.contains("extensions"));
    }

    @ParameterizedTest
    @ValueSource(ints = {96, 12, 15, 16, 17, 18})
    void theClusterLocaleComesFromTemplate0AndEachDatabaseHasItsOwn(int major) {
        Finding f = FOUND.get(major);
        Truth t = TRUTH.get(major);
        Map<String, Object> template0 = new LinkedHashMap<>();
        for (String k : List.of("encoding", "lcCollate", "lcCtype", "localeProvider", "locale", "icuLocale",
                "collationVersion")) {
            if (f.getDetails().containsKey(k)) {
                template0.put(k, f.getDetails().get(k));
            }
        }
        assertThat(template0).isEqualTo(t.template0());
        assertThat(template0).containsEntry("encoding", "UTF8").containsEntry("lcCollate", "C")
                .containsEntry("localeProvider", "libc");
        assertThat(f.getDetails().get("databaseLocales")).isEqualTo(t.locales());
        assertThat(t.locales().get("legacy")).containsEntry("encoding", "LATIN1").containsEntry("lcCollate", "C");
        if (major >= 15 && major < 90) {
            assertThat(t.locales().get("icu")).containsEntry("localeProvider", "icu").containsEntry("icuLocale", "en-US");
            if (major >= 16) {
                assertThat(t.locales().get("icu")).containsEntry("icuRules", "&V << w <<< W");
            }
        }
        if (major >= 17 && major < 90) {
            assertThat(t.locales().get("builtin")).containsEntry("localeProvider", "builtin")
                    .containsEntry("locale", "C.UTF-8");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {96, 12, 15, 16, 17, 18})
    void theExtensionsOfEachDatabaseWithTheirVersions(int major) {
        Finding f = FOUND.get(major);
        Truth t = TRUTH.get(major);
        assertThat(f.getDetails().get("extensions")).isEqualTo(t.extensions());
        assertThat(t.extensions().get("shop").keySet()).containsExactly("hstore", "plpgsql");
        assertThat(t.extensions().get("search").keySet()).containsExactly("citext", "pg_trgm", "plpgsql");
    }

    @ParameterizedTest
    @ValueSource(ints = {96, 12, 15, 16, 17, 18})
    void aCopyTakenWhileTheServerRanSaysTheSame(int major) {
        Finding f = FOUND_RUNNING.get(major);
        Truth t = TRUTH.get(major);
        assertThat(f.getDetails()).containsKey("copiedWhileRunning");
        assertThat(f.getDetails().get("superuser")).isEqualTo("alice");
        assertThat(f.getDetails().get("roles")).isEqualTo(t.roles());
        assertThat(f.getDetails().get("databaseLocales")).isEqualTo(t.locales());
        assertThat(f.getDetails().get("extensions")).isEqualTo(t.extensions());
    }

    @Test
    void theRunningCopiesHoldRowsWithoutHintBits() {
        // proves the commit-log path above was exercised, not only the hint bits
        assertThat(UNHINTED.values()).as("pg_authid tuples without HEAP_XMIN_COMMITTED per major: %s", UNHINTED)
                .anyMatch(n -> n > 0);
        System.out.println("pg_authid tuples without hint bits in the running copies: " + UNHINTED);
    }

    @Test
    void vacuumFullMovedPgExtensionAwayFromFile3079() throws Exception {
        PgCluster c = CLUSTERS.get(16);
        PgCatalogFacts.Database search = PgCatalogFacts.databases(c.dataDir(), 1600).stream()
                .filter(d -> d.name().equals("search")).findFirst().orElseThrow();
        Path dbDir = c.dataDir().resolve("base").resolve(Long.toString(search.oid()));
        long node = PgCatalogFacts.relFileNode(c.dataDir(), dbDir, 1600, PgCatalogFacts.EXTENSION_RELATION_OID);
        assertThat(node).isPositive().isNotEqualTo(3079);
        assertThat(Files.exists(dbDir.resolve("3079")) && Files.size(dbDir.resolve("3079")) > 0).isFalse();
        assertThat(PgCatalogFacts.extensions(c.dataDir(), 1600, search)).containsKeys("pg_trgm", "citext");
    }

    @Test
    void theMethodsThePlannerCallsWorkOnAPath() throws Exception {
        Path dir = CLUSTERS.get(12).dataDir();
        assertThat(PgCatalogFacts.bootstrapSuperuser(dir, 1200)).isEqualTo("alice");
        assertThat(PgCatalogFacts.roles(dir, 1200)).extracting(PgCatalogFacts.Role::name, PgCatalogFacts.Role::superuser,
                PgCatalogFacts.Role::login).contains(
                        org.assertj.core.groups.Tuple.tuple("alice", true, true),
                        org.assertj.core.groups.Tuple.tuple("readers", false, false));
        assertThat(PgCatalogFacts.databases(dir, 1200)).extracting(PgCatalogFacts.Database::name)
                .containsExactly("legacy", "postgres", "search", "shop", "template0", "template1");
        assertThat(PgCatalogFacts.encodingName(6)).isEqualTo("UTF8");
        assertThat(PgCatalogFacts.encodingName(0)).isEqualTo("SQL_ASCII");
        assertThat(PgCatalogFacts.encodingName(34)).isEqualTo("KOI8U");
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing", "garbage", "truncated"})
    void damagedCatalogFilesNeverBreakTheScan(String damage) throws Exception {
        PgCluster c = CLUSTERS.get(16);
        Path copy = work.resolve("damaged-" + damage);
        Cmd.run(List.of("cp", "-a", c.dataDir().toString(), copy.toString()));
        List<Path> victims = new ArrayList<>(List.of(copy.resolve("global/1260")));
        for (PgCatalogFacts.Database d : PgCatalogFacts.databases(copy, 1600)) {
            Path ext = copy.resolve("base").resolve(Long.toString(d.oid())).resolve("3079");
            if (d.name().equals("shop")) {
                victims.add(ext);
            }
        }
        for (Path v : victims) {
            switch (damage) {
                case "missing" -> Files.delete(v);
                case "garbage" -> {
                    byte[] junk = new byte[(int) Files.size(v)];
                    new Random(7).nextBytes(junk);
                    Files.write(v, junk);
                }
                default -> Cmd.run(List.of("truncate", "-s", "100", v.toString()));
            }
        }
        ScanResult r = new Scanner(List.of(new PostgresScanning())).scan(copy);
        assertThat(r.findings()).hasSize(1);
        Finding f = r.findings().get(0);
        assertThat(f.getDatabases()).contains("shop", "search", "legacy");
        assertThat(f.getDetails()).containsEntry("encoding", "UTF8");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, String>> ext = (Map<String, Map<String, String>>) f.getDetails().get("extensions");
        assertThat(ext.get("search")).containsKeys("pg_trgm", "citext");
        if (damage.equals("missing")) {
            assertThat(f.getDetails()).doesNotContainKeys("superuser", "roles");
            assertThat(f.getWarnings()).anyMatch(w -> w.contains("roles")).anyMatch(w -> w.contains("shop"));
        } else {
            assertThat(f.getDetails().get("superuser")).isNotEqualTo("alice");
            assertThat(ext.getOrDefault("shop", Map.of())).doesNotContainKey("hstore");
        }
        TestUser.delete(copy);
    }

    @Test
    void theFactsAreInTheScanJson() throws Exception {
        com.fasterxml.jackson.databind.JsonNode details = new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(FOUND.get(16)).get("details");
        assertThat(details.get("superuser").asText()).isEqualTo("alice");
        assertThat(details.get("roles").get(2).toString()).isEqualTo("{\"name\":\"readers\",\"superuser\":false,\"login\":false}");
        assertThat(details.get("extensions").get("shop").toString()).isEqualTo("{\"hstore\":\"1.8\",\"plpgsql\":\"1.0\"}");
        assertThat(details.get("databaseLocales").get("icu").get("icuLocale").asText()).isEqualTo("en-US");
        assertThat(details.get("encoding").asText()).isEqualTo("UTF8");
    }

    @Test
    void aMissingPgDatabaseIsExplainedOnceAndTheRolesAreStillRead() throws Exception {
        Path copy = work.resolve("no-pg-database");
        Cmd.run(List.of("cp", "-a", CLUSTERS.get(17).dataDir().toString(), copy.toString()));
        Files.delete(copy.resolve("global/1262"));
        Finding f = scanOne(copy);
        assertThat(f.getDatabases()).isEmpty();
        assertThat(f.getDetails()).containsEntry("superuser", "alice")
                .doesNotContainKeys("encoding", "databaseLocales", "extensions");
        assertThat(f.getWarnings()).filteredOn(w -> w.contains("could not be read")).hasSize(1);
        TestUser.delete(copy);
    }

    // ---- helpers

    private static Finding scanOne(Path dir) throws Exception {
        ScanResult r = new Scanner(List.of(new PostgresScanning())).scan(dir);
        assertThat(r.findings()).as("%s", dir).hasSize(1);
        Finding f = r.findings().get(0);
        if (Boolean.getBoolean("dbrescue.printFacts")) {
            System.out.println(dir + " -> " + f.getDetails());
        }
        return f;
    }

    /** Live-looking pg_authid tuples whose inserting transaction is not hinted as committed. */
    private static int unhinted(Path heapFile) throws Exception {
        byte[] heap = Files.readAllBytes(heapFile);
        int n = 0;
        for (PgCatalog.HeapTuple t : PgCatalog.liveTuples(heap, new PgCatalog.CommitLog(heapFile.getParent().getParent().resolve("pg_xact")))) {
            if ((t.infomask() & 0x0100) == 0) {
                n++;
            }
        }
        return n;
    }

    private static String sql(PgCluster c, String db, String sql) {
        String out = Cmd.run(Cmd.asTestUser(List.of(PSQL.toString(), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(c.port()), "-U", "alice", "-d", db, "-F", "|", "-c", sql)),
                TestUser.BASE, Map.of("LC_ALL", "C", "LANG", "C"));
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    private static List<String[]> rows(PgCluster c, String db, String sql) {
        List<String[]> out = new ArrayList<>();
        for (String line : sql(c, db, sql).split("\n")) {
            if (!line.isEmpty()) {
                out.add(line.split("\\|", -1));
            }
        }
        return out;
    }

    private static Truth truth(PgCluster c) {
        int major = c.major() >= 90 ? 900 + (c.major() - 90) : c.major() * 100;
        String superuser = sql(c, "postgres", "SELECT rolname FROM pg_authid WHERE oid = 10");
        List<Map<String, Object>> roles = new ArrayList<>();
        for (String[] r : rows(c, "postgres",
                "SELECT rolname, rolsuper, rolcanlogin FROM pg_authid WHERE oid = 10 OR oid >= 16384 ORDER BY oid")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r[0]);
            m.put("superuser", r[1].equals("t"));
            m.put("login", r[2].equals("t"));
            roles.add(m);
        }
        String provider = major >= 1500 ? "datlocprovider" : "'c'";
        String locale = major >= 1700 ? "datlocale" : major >= 1500 ? "daticulocale" : "NULL";
        String rules = major >= 1600 ? "daticurules" : "NULL";
        String collVersion = major >= 1500 ? "datcollversion" : "NULL";
        Map<String, Object> template0 = null;
        Map<String, Map<String, Object>> locales = new TreeMap<>();
        Map<String, Map<String, String>> extensions = new TreeMap<>();
        for (String[] r : rows(c, "postgres", "SELECT datname, pg_encoding_to_char(encoding), datcollate, datctype, "
                + provider + ", coalesce(" + locale + ", '<null>'), coalesce(" + rules + ", '<null>'), coalesce("
                + collVersion + ", '<null>'), datallowconn FROM pg_database")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("encoding", r[1]);
            m.put("lcCollate", r[2]);
            m.put("lcCtype", r[3]);
            String p = r[4].equals("c") ? "libc" : r[4].equals("i") ? "icu" : r[4].equals("b") ? "builtin" : r[4];
            m.put("localeProvider", p);
            if (!r[5].equals("<null>")) {
                m.put("locale", r[5]);
                if (p.equals("icu")) {
                    m.put("icuLocale", r[5]);
                }
            }
            if (!r[6].equals("<null>")) {
                m.put("icuRules", r[6]);
            }
            if (!r[7].equals("<null>")) {
                m.put("collationVersion", r[7]);
            }
            if (r[0].equals("template0")) {
                template0 = m;
                continue;
            }
            locales.put(r[0], m);
            if (r[8].equals("t")) {
                Map<String, String> ext = new TreeMap<>();
                for (String[] e : rows(c, r[0], "SELECT extname, extversion FROM pg_extension")) {
                    ext.put(e[0], e[1]);
                }
                extensions.put(r[0], ext);
            }
        }
        return new Truth(superuser, roles, template0, locales, extensions);
    }
}
