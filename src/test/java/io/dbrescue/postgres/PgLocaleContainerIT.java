package io.dbrescue.postgres;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.Locales;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.ServicePg;
import io.dbrescue.testing.TestImages;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL 16 clusters made with the locales users have — C.UTF-8, en_US.UTF-8 and de_DE.UTF-8 (zonky's
 * initdb, which uses this machine's locales) — moved into a PostgreSQL 18 set up like a distribution's service
 * ({@link ServicePg}) by the container strategy's dump path. The old server runs in the locally built image of
 * zonky's 16, which has no locale files at all: before, each of them failed there with "database locale is
 * incompatible with operating system" (after waiting out readySeconds). dbrescue now makes a derived image with
 * exactly the locales the catalog names. After the move: rows per table equal, the schema as pg_dump 18 sees it
 * identical on both sides, each database's locale kept, a login role's password works, the owner still gets in
 * by peer, the backup unchanged, no container of the run left. A locale that neither the image nor this machine
 * can provide fails the pre-flight with the fix, before anything is copied. dbrescue runs as a new user runs it:
 * as root, with only --target-port and the images (the target's postgres has no password; it logs in by peer).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgLocaleContainerIT {
    /** locale → database name, each cluster in its own folder of the backup. */
    static final Map<String, String> CLUSTERS = new LinkedHashMap<>(Map.of());
    static Path work;
    static Path backup;
    static Path home;
    static Map<String, String> before;
    static final Map<String, String> SCHEMA = new LinkedHashMap<>();
    static final Map<String, Map<String, Long>> ROWS = new LinkedHashMap<>();
    static ServicePg target;

    static {
        CLUSTERS.put("C.UTF-8", "shop_c");
        CLUSTERS.put(Locales.EN_US, "shop_en");
        CLUSTERS.put(Locales.DE_DE, "shop_de");
    }

    static String select(String db) {
        return db + "/var/lib/postgresql/16/main";
    }

    @BeforeAll
    static void fixtures() throws Exception {
        Locales.ensure();
        TestImages.ensure(TestImages.POSTGRES_16);
        TestImages.ensure(TestImages.POSTGRES_18);
        work = TestUser.newDir("pg-locales");
        backup = work.resolve("backup");
        for (Map.Entry<String, String> e : CLUSTERS.entrySet()) {
            String db = e.getValue();
            Path data = backup.resolve(select(db));
            Files.createDirectories(data.getParent());
            TestUser.chown(work);
            try (PgCluster c = PgCluster.init(16, data, "--locale=" + e.getKey()).start()) {
                c.psql("postgres", "CREATE ROLE clerk_" + db + " LOGIN PASSWORD 'pw-" + db + "'");
                c.psql("postgres", "CREATE DATABASE " + db + " OWNER clerk_" + db);
                c.psql(db, WorkstationPg.SHOP);
                c.psql(db, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO clerk_" + db);
                SCHEMA.put(db, WorkstationPg.schema(c.port(), db, false));
                ROWS.put(db, WorkstationPg.rows(c::psql, db));
            }
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        target = ServicePg.init(18, Locales.DE_DE).start();
        home = work.resolve("home");
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
    }

    static Jar.Run dbrescue(String... args) {
        List<String> a = new ArrayList<>(List.of("--set", "images.postgresql=" + TestImages.PREFIX + "postgres:{major}"));
        a.addAll(List.of(args));
        a.addAll(List.of("--target-port", Integer.toString(target.port())));
        return WorkstationPg.dbrescue(home, a);
    }

    static void noContainerOfTheRunAndTheBackupUnchanged(Jar.Run r) throws Exception {
        assertThat(TestImages.containersOfRun(WorkstationPg.runId(r.stdout() + r.stderr()))).isEmpty();
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    @Test
    @Order(1)
    void theDryRunMakesAnImageWithExactlyTheLocalesTheCatalogNames() throws Exception {
        Jar.Run r = dbrescue("plan", backup.toString(), "--select", select("shop_de"));
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(0);
        assertThat(r.stdout()).contains("[pass] locales: The old databases use the locale(s) de_DE.UTF-8; the image "
                        + TestImages.POSTGRES_16 + " lacks de_DE.UTF-8 (compiled here and copied in: the same glibc")
                .contains("[pass] target-locales: The target server has the locale(s) of the databases it receives: "
                        + "de_DE.UTF-8.")
                .containsPattern("Make the image localhost/dbrescue-locales/postgres:16-[0-9a-f]{12}: "
                        + TestImages.POSTGRES_16 + " \\(PostgreSQL 16\\) with de_DE.UTF-8")
                .containsPattern("--entrypoint postgres localhost/dbrescue-locales/postgres:16-[0-9a-f]{12} -D");
        assertThat(target.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'shop%'")).isEqualTo("0");
        noContainerOfTheRunAndTheBackupUnchanged(r);
    }

    @Test
    @Order(2)
    void clustersOfEachLocaleMoveInto18WithEveryRowAndTheSameSchema() throws Exception {
        List<String> args = new ArrayList<>(List.of("recover", backup.toString()));
        CLUSTERS.values().forEach(db -> args.addAll(List.of("--select", select(db))));
        args.add("--yes");
        long start = System.nanoTime();
        Jar.Run r = dbrescue(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(0);
        System.out.printf("3 clusters moved in %.1f s%n", (System.nanoTime() - start) / 1e9);
        for (Map.Entry<String, String> e : CLUSTERS.entrySet()) {
            String db = e.getValue();
            assertThat(WorkstationPg.rows(target::psql, db)).as("rows of " + db).isEqualTo(ROWS.get(db))
                    .containsEntry("public.customer", 3000L).containsEntry("public.order_line", 5000L);
            assertThat(WorkstationPg.schemaByPeer(target.port(), db, false)).as("schema of " + db)
                    .isEqualTo(SCHEMA.get(db));
            assertThat(target.psql("postgres", "SELECT datcollate || ' ' || datctype FROM pg_database WHERE datname = '"
                    + db + "'")).isEqualTo(e.getKey() + " " + e.getKey());
            // the locale at work: German collation through the named libc and ICU collations, the database's own order
            assertThat(target.psql(db, "SELECT string_agg(DISTINCT city, ',' ORDER BY city) FROM customer"))
                    .isEqualTo("Ærø,Köln,Łódź,München,Zürich");
            // a login role with a password logs in with it; the owner gets in by peer (ServicePg.psql)
            assertThat(Cmd.run(List.of("/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p",
                    Integer.toString(target.port()), "-U", "clerk_" + db, "-d", db, "-c", "SELECT count(*) FROM orders"),
                    null, Map.of("PGPASSWORD", "pw-" + db)).strip()).isEqualTo("5000");
        }
        noContainerOfTheRunAndTheBackupUnchanged(r);
    }

    @Test
    @Order(3)
    void aLocaleNeitherTheImageNorThisMachineCanProvideFailsThePreflightBeforeAnythingIsCopied() throws Exception {
        // a locale this machine had when the cluster was made and has no longer (nor its source: it was made from de_DE)
        Path odd = work.resolve("odd");
        Path data = odd.resolve("var/lib/postgresql/16/main");
        Files.createDirectories(data.getParent());
        TestUser.chown(odd);
        Cmd.run(List.of("localedef", "-i", "de_DE", "-c", "-f", "UTF-8", "xx_XX.UTF-8"));
        try (PgCluster c = PgCluster.init(16, data, "--locale=xx_XX.UTF-8").start()) {
            c.psql("postgres", "CREATE TABLE t AS SELECT 1 AS x");
        } finally {
            Cmd.run(List.of("localedef", "--delete-from-archive", "xx_XX.utf8"));
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", odd.toString()));
        Map<String, String> oddBefore = Trees.snapshot(odd);
        Jar.Run r = WorkstationPg.dbrescue(home, List.of("--set", "images.postgresql=" + TestImages.PREFIX
                + "postgres:{major}", "recover", odd.toString(), "--select", "var/lib/postgresql/16/main",
                "--target-port", Integer.toString(target.port()), "--yes"));
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(4);
        assertThat(r.stdout() + r.stderr()).contains("[fail] locales: The old databases use the locale(s) xx_XX.UTF-8; "
                        + "the image " + TestImages.POSTGRES_16 + " (PostgreSQL 16 server) lacks xx_XX.UTF-8 (the image has "
                        + "no localedef, and this machine has no locale source for it either)")
                .contains("sudo apt install locales").contains("RUN localedef -i xx_XX -c -f UTF-8 xx_XX.UTF-8");
        String runId = WorkstationPg.runId(r.stdout() + r.stderr());
        Path runDir = home.resolve("state/dbrescue/runs").resolve(runId);
        if (Files.exists(runDir)) {
            try (Stream<Path> s = Files.walk(runDir)) {
                assertThat(s.map(Path::toString)).as("nothing copied").noneMatch(p -> p.contains("old-data"));
            }
        }
        assertThat(TestImages.containersOfRun(runId)).isEmpty();
        assertThat(Trees.snapshot(odd)).isEqualTo(oddBefore);
    }
}
