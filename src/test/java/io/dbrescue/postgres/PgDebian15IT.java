package io.dbrescue.postgres;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.Locales;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster made by Debian 12's current PostgreSQL 15 (15.20, installed here) the way the package makes it —
 * {@code pg_createcluster} with en_US.UTF-8, its configuration in /etc/postgresql/15/NAME, a database with the
 * de_DE.UTF-8 locale, one with ICU, each with a named libc and an ICU collation and text indexes — copied into a
 * backup as a file backup has it (etc/postgresql/15/main, var/lib/postgresql/15/main). 15.20 writes the column
 * option pg_attver into every column, which PostgreSQL 18 refuses: before, the dump path failed restoring
 * "ALTER TABLE ... SET (pg_attver=...)" and pg_upgrade stopped on "unrecognized parameter". Both ways must now
 * move it into a PostgreSQL 18 and into a PostgreSQL 17, each set up like a distribution's service (the dump path
 * into one that runs, pg_upgrade into another whose cluster it replaces), with every row and the same schema
 * (apart from that option), and the old server runs in images without any locale (zonky's 15) or with C.utf8
 * only (Debian sid's 18 or Debian trixie's 17, + zonky's 15). The cluster is made once for all four moves.
 *
 * <p>The schemas are compared as pg_dump 18 prints them, with one difference left out: PostgreSQL 15's server
 * deparses a view over one table with the table's name before each column (customer.city), 16 and later without.
 *
 * <p>As everywhere on such machines, no postgres role has a password: dbrescue runs as root with only
 * --target-port, the upgrade method and the images, and logs in by peer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgDebian15IT {
    static final String SELECT = "var/lib/postgresql/15/main";
    static final List<String> DATABASES = List.of("shop", "laden", "icu_shop");
    static Path work;
    static Path backup;
    static Path home;
    static Map<String, String> before;
    static final Map<String, String> SCHEMA = new LinkedHashMap<>();
    static final Map<String, Map<String, Long>> ROWS = new LinkedHashMap<>();
    static ServicePg dumpTarget;
    static ServicePg upgradeTarget;
    static ServicePg dumpTarget17;
    static ServicePg upgradeTarget17;

    @BeforeAll
    static void fixtures() throws Exception {
        Locales.ensure();
        TestImages.ensure(TestImages.POSTGRES_15);
        TestImages.ensure(TestImages.POSTGRES_18);
        TestImages.ensure(TestImages.POSTGRES_UPGRADE_15_18);
        TestImages.ensure(TestImages.POSTGRES_17);
        TestImages.ensure(TestImages.POSTGRES_UPGRADE_15_17);
        work = TestUser.newDir("pg-debian15");
        backup = work.resolve("backup");
        home = work.resolve("home");
        makeDebianCluster();
        before = Trees.snapshot(backup);
        dumpTarget = ServicePg.init(18, Locales.EN_US).start();
        upgradeTarget = ServicePg.init(18, Locales.EN_US).start();
        dumpTarget17 = ServicePg.init(17, Locales.EN_US).start();
        upgradeTarget17 = ServicePg.init(17, Locales.EN_US).start();
    }

    /** Debian's own cluster (pg_createcluster), the databases, the facts to compare with, then into the backup. */
    private static void makeDebianCluster() throws Exception {
        DebianCluster.plain(backup, Locales.EN_US, port -> {
            sql(port, "postgres", "CREATE ROLE clerk LOGIN PASSWORD 'ledger-secret'");
            sql(port, "postgres", "CREATE DATABASE shop OWNER clerk");
            sql(port, "postgres", "CREATE DATABASE laden OWNER clerk TEMPLATE template0 LOCALE '" + Locales.DE_DE + "'");
            sql(port, "postgres", "CREATE DATABASE icu_shop OWNER clerk TEMPLATE template0 LOCALE_PROVIDER icu "
                    + "ICU_LOCALE 'de-DE' LOCALE '" + Locales.EN_US + "'");
            for (String db : DATABASES) {
                sql(port, db, WorkstationPg.SHOP);
                sql(port, db, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO clerk");
                SCHEMA.put(db, WorkstationPg.viewsUnqualified(WorkstationPg.schemaByPeer(port, db, true)));
                ROWS.put(db, WorkstationPg.rows((d, q) -> sql(port, d, q), db));
            }
            assertThat(sql(port, "shop", "SELECT attoptions::text FROM pg_attribute WHERE attrelid = 'customer'::regclass "
                    + "AND attname = 'name'")).as("Debian 15.20 stamps its columns").startsWith("{pg_attver=");
            assertThat(WorkstationPg.schemaByPeer(port, "shop", false)).as("and pg_dump 18 writes it out")
                    .contains("SET (pg_attver=");
        });
    }

    static String sql(int port, String db, String sql) {
        return DebianCluster.sql(port, db, sql);
    }

    @AfterAll
    static void cleanUp() {
        for (ServicePg t : new ServicePg[] {dumpTarget, upgradeTarget, dumpTarget17, upgradeTarget17}) {
            if (t == null) {
                continue;
            }
            try {
                t.stop(); // after pg_upgrade the server on its data directory is dbrescue's, not the one ServicePg started
            } catch (AssertionError notRunning) {
                // stopped already
            }
            t.close();
        }
        TestUser.delete(work);
    }

    static Jar.Run dbrescue(ServicePg target, String method, String... args) {
        List<String> a = new ArrayList<>(List.of("--set", "images.postgresql=" + TestImages.PREFIX + "postgres:{major}",
                "--set", "images.postgresql_upgrade=" + TestImages.PREFIX + "postgres-upgrade:{old}-{new}"));
        a.addAll(List.of(args));
        a.addAll(List.of("--select", SELECT, "--upgrade-method", method, "--target-port", Integer.toString(target.port())));
        return WorkstationPg.dbrescue(home, a);
    }

    static void sameRowsAndSchema(ServicePg target) {
        for (String db : DATABASES) {
            assertThat(WorkstationPg.rows(target::psql, db)).as("rows of " + db).isEqualTo(ROWS.get(db))
                    .containsEntry("public.customer", 3000L).containsEntry("public.order_line", 5000L);
            assertThat(WorkstationPg.viewsUnqualified(WorkstationPg.schemaByPeer(target.port(), db, false)))
                    .as("schema of " + db)
                    .isEqualTo(SCHEMA.get(db)).doesNotContain("pg_attver");
            assertThat(target.psql(db, "SELECT string_agg(DISTINCT city, ',' ORDER BY city) FROM customer"))
                    .isEqualTo("Ærø,Köln,Łódź,München,Zürich");
            assertThat(Cmd.run(List.of("/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p",
                    Integer.toString(target.port()), "-U", "clerk", "-d", db, "-c", "SELECT count(*) FROM customer"),
                    null, Map.of("PGPASSWORD", "ledger-secret")).strip()).as("clerk logs in with its password").isEqualTo("3000");
        }
        assertThat(target.psql("postgres", "SELECT string_agg(datname || ' ' || datcollate || ' ' || datlocprovider::text, ', ' "
                + "ORDER BY datname) FROM pg_database WHERE datname IN ('shop', 'laden', 'icu_shop')"))
                .isEqualTo("icu_shop en_US.UTF-8 i, laden de_DE.UTF-8 c, shop en_US.UTF-8 c");
    }

    static void noContainerOfTheRunAndTheBackupUnchanged(Jar.Run r) throws Exception {
        assertThat(TestImages.containersOfRuns(List.of(WorkstationPg.runId(r.stdout() + r.stderr())))).isEmpty();
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    @Test
    @Order(1)
    void theDryRunsShowTheCleaningOfTheCopy() throws Exception {
        Jar.Run dump = dbrescue(dumpTarget, "dump", "plan", backup.toString());
        assertThat(dump.exitCode()).as(dump.stdout() + dump.stderr()).isEqualTo(0);
        assertThat(dump.stdout()).contains("[pass] pg-attver: The old cluster was made by Debian's PostgreSQL 15.20 or "
                        + "later: the columns in icu_shop, laden, postgres, shop, template1 carry the option pg_attver")
                .contains("Remove the column option pg_attver (Debian 15.20) on the copy: icu_shop, laden, postgres, shop, "
                        + "template1")
                .contains("with de_DE.UTF-8 (compiled here and copied in: the same glibc");
        noContainerOfTheRunAndTheBackupUnchanged(dump);
        Jar.Run upgrade = dbrescue(upgradeTarget, "pg-upgrade", "plan", backup.toString());
        assertThat(upgrade.exitCode()).as(upgrade.stdout() + upgrade.stderr()).isEqualTo(0);
        assertThat(upgrade.stdout()).contains("before pg_upgrade, with the old version's postgres --single on the copy")
                .contains("--user 101:104 -i --network=none".replace("101:104", upgradeIds()))
                .containsPattern("--entrypoint /usr/lib/postgresql/15/bin/postgres localhost/dbrescue-locales/"
                        + "postgres-upgrade:15-18-[0-9a-f]{12} --single -D /upgrade/old DATABASE")
                .contains("(localedef in the image)")
                .contains("[pass] locales-here: The upgraded cluster runs on this machine (PostgreSQL 18 here); this "
                        + "machine has the locale(s) the databases use: de_DE.UTF-8, en_US.UTF-8.")
                .contains("[pass] icu: The database(s) icu_shop use ICU collations");
        noContainerOfTheRunAndTheBackupUnchanged(upgrade);
    }

    @Test
    @Order(2)
    void theDumpPathMovesItInto18() throws Exception {
        Jar.Run r = dbrescue(dumpTarget, "dump", "recover", backup.toString(), "--yes");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(0);
        assertThat(r.stdout()).containsPattern("pgAttverColumnsCleaned: [1-9]");
        sameRowsAndSchema(dumpTarget);
        noContainerOfTheRunAndTheBackupUnchanged(r);
    }

    @Test
    @Order(3)
    void thePgUpgradePathMovesItInto18() throws Exception {
        Jar.Run r = dbrescue(upgradeTarget, "pg-upgrade", "recover", backup.toString(), "--yes");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(0);
        assertThat(r.stdout()).containsPattern("pgAttverColumnsCleaned: [1-9]");
        assertThat(upgradeTarget.psql("postgres", "SELECT count(*) FROM pg_attribute WHERE attoptions::text LIKE "
                + "'%pg_attver%'")).isEqualTo("0");
        sameRowsAndSchema(upgradeTarget);
        noContainerOfTheRunAndTheBackupUnchanged(r);
    }

    @Test
    @Order(4)
    void theDumpPathMovesItInto17() throws Exception {
        Jar.Run r = dbrescue(dumpTarget17, "dump", "recover", backup.toString(), "--yes");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(0);
        assertThat(r.stdout()).containsPattern("pgAttverColumnsCleaned: [1-9]");
        assertThat(dumpTarget17.psql("postgres", "SHOW server_version_num")).startsWith("17");
        sameRowsAndSchema(dumpTarget17);
        noContainerOfTheRunAndTheBackupUnchanged(r);
    }

    @Test
    @Order(5)
    void thePgUpgradePathMovesItInto17() throws Exception {
        Jar.Run r = dbrescue(upgradeTarget17, "pg-upgrade", "recover", backup.toString(), "--yes");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(0);
        assertThat(r.stdout()).containsPattern("pgAttverColumnsCleaned: [1-9]").contains("postgres-upgrade:15-17");
        assertThat(upgradeTarget17.psql("postgres", "SHOW server_version_num")).startsWith("17");
        // only the user columns: Debian 13's 17.12 in the image stamps pg_attver on every column it creates, so
        // the catalog views its initdb made for the new cluster carry it (that server's own; pg_dump leaves them out)
        for (String db : DATABASES) {
            assertThat(upgradeTarget17.psql(db, "SELECT count(*) FROM pg_attribute WHERE attrelid >= 16384 AND "
                    + "attoptions::text LIKE '%pg_attver%'")).as("user columns with pg_attver in " + db).isEqualTo("0");
        }
        sameRowsAndSchema(upgradeTarget17);
        noContainerOfTheRunAndTheBackupUnchanged(r);
    }

    /** uid:gid of the OS user postgres, as the plan gives them to podman run --user. */
    static String upgradeIds() {
        return Cmd.run(List.of("id", "-u", ServicePg.OS_USER)).strip() + ":" + Cmd.run(List.of("id", "-g", ServicePg.OS_USER)).strip();
    }
}
