package io.dbrescue.postgres;

import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.Locales;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.ServicePg;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dbrescue.postgres.ServiceRuns.both;
import static io.dbrescue.postgres.ServiceRuns.dbrescue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A data directory copied directly (same major) onto a system whose libraries sort text differently, restored as a
 * new user does — as root, with only the port of a PostgreSQL run like a distribution's service ({@link ServicePg}:
 * Debian's 15.20 with ICU 72, or zonky's 14, OS user postgres, peer logins) — must come back with its text indexes
 * in the order the new system sorts in, the recorded collation versions refreshed, and the summary saying which
 * indexes were checked and which rebuilt; a move that changes nothing rebuilds nothing and says so.
 * <ul>
 * <li><b>ICU, a real change:</b> zonky's PostgreSQL 15 bundles ICU 60, Debian's 15.20 uses ICU 72, and the two sort
 * emoji and letters in opposite order (ICU 60 puts code points it does not know after the letters). A text index
 * built by zonky's server is out of order under Debian's: amcheck says "item order invariant violated" and an index
 * lookup for an existing row finds nothing.</li>
 * <li><b>glibc, simulated:</b> no older glibc runs here, so the old cluster is made by Debian's 15 and its recorded
 * {@code datcollversion} set to 2.27 (what Ubuntu 18.04's glibc reports; the backup's os-release and dpkg status say
 * Ubuntu 18.04 too). That is what PostgreSQL itself judges by — it compares datcollversion with
 * gnu_get_libc_version() and knows nothing else of the old system — so the restored server sees exactly what a
 * cluster from Ubuntu 18.04 shows it; only the physical order inside the index differs from a real one, and that
 * part (a real out-of-order index) is the ICU test's.</li>
 * <li><b>Nothing changed:</b> Debian 15 (glibc 2.36) to Debian 15: no index is rebuilt (its file stays the
 * same).</li>
 * <li><b>Unknown:</b> PostgreSQL 14 records no version for a database's collation and the backup names no system:
 * the text indexes are checked with amcheck (installed for the check and dropped again), found in order, not
 * rebuilt.</li>
 * </ul>
 */
class PgCollationDirectIT {
    static final String SELECT = "var/lib/postgresql/15/main";
    static final String SELECT14 = "var/lib/postgresql/14/main";
    static final String EMOJI_ROW = "SELECT count(*) FROM names WHERE name = '\uD83E\uDD70 999'";
    static Path work;
    static final List<ServicePg> targets = new ArrayList<>();

    @BeforeAll
    static void fixtures() {
        Locales.ensure();
        ServicePg.ensureOsUser();
        work = TestUser.newDir("pg-collation");
    }

    @AfterAll
    static void cleanUp() {
        for (ServicePg t : targets) {
            stopRestored(t);
            t.close();
        }
        TestUser.delete(work);
    }

    private static void stopRestored(ServicePg t) {
        try {
            Cmd.run(List.of("runuser", "-u", ServicePg.OS_USER, "--", t.binDir().resolve("pg_ctl").toString(), "stop",
                    "-w", "-D", t.dataDir().toString(), "-m", "fast"));
        } catch (AssertionError notRunning) {
            // stopped already
        }
    }

    /** dbrescue's state and settings for one test, inside the folder removed after the class. */
    private static Path home() throws IOException {
        return Files.createTempDirectory(work, "home");
    }

    private static ServicePg target(int major) {
        ServicePg t = ServicePg.init(major, Locales.EN_US);
        targets.add(t);
        return t.start();
    }

    /** A backup folder holding the cluster at {@code select}, made by {@code make} in a folder of the test user's. */
    private static Path backup(String name, String select, java.util.function.Consumer<Path> make) throws IOException {
        Path backup = work.resolve(name);
        Path data = backup.resolve(select);
        Files.createDirectories(data.getParent());
        TestUser.chown(work);
        make.accept(data);
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        return backup;
    }

    private static String[] args(Path backup, String select, ServicePg target, String... extra) {
        List<String> a = new ArrayList<>(List.of("recover", backup.toString(), "--select", select, "--target-port",
                Integer.toString(target.port())));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void icuIndexesSortedByIcu60AreFoundOutOfOrderUnderIcu72AndRebuilt() throws Exception {
        Path backup = backup("icu", SELECT, data -> {
            try (PgCluster c = PgCluster.init(15, PgCluster.zonkyBinDir(15), data, "--locale-provider=icu",
                    "--icu-locale=de", "--locale=" + Locales.EN_US).start()) {
                c.psql("postgres", "CREATE DATABASE atlas");
                c.psql("atlas", "CREATE TABLE names (id int PRIMARY KEY, name text, code text COLLATE \"en-x-icu\")");
                c.psql("atlas", "INSERT INTO names SELECT g, CASE g % 3 WHEN 0 THEN '\uD83E\uDD70 ' || g WHEN 1 THEN "
                        + "'name ' || g ELSE g::text END, 'c' || g FROM generate_series(1, 3000) g");
                c.psql("atlas", "CREATE INDEX names_name ON names (name)");
                c.psql("atlas", "CREATE INDEX names_code ON names (code)");
                assertThat(c.psql("atlas", "SELECT datcollversion FROM pg_database WHERE datname = 'atlas'"))
                        .as("ICU 60's collator version").isEqualTo("153.80");
            }
        });
        Map<String, String> before = Trees.snapshot(backup);
        ServicePg target = target(15);
        Path home = home();

        Jar.Run plan = dbrescue(home, args(backup, SELECT, target, "--dry-run"));
        assertThat(plan.exitCode()).as(both(plan)).isEqualTo(RunResult.OK);
        assertThat(plan.stdout()).contains("collations: ").contains("ICU databases (atlas: 153.80, postgres: 153.80)")
                .contains("(72)").contains("Collations: compare the recorded versions");

        Jar.Run run = dbrescue(home, args(backup, SELECT, target, "--yes"));
        assertThat(run.exitCode()).as(both(run)).isEqualTo(RunResult.OK);
        assertThat(run.stdout()).contains("indexesChecked: [").contains("atlas.names_name: FAILED (item order "
                        + "invariant violated for index \"names_name\")")
                .contains("atlas.names_name (bt_index_check failed)")
                .contains("atlas.names_code (collation \"en-x-icu\" changed: version 153.80 → ")
                .contains("atlas (153.80 → ").contains("template1 (153.80 → ");
        // the row is found through the index again
        assertThat(target.psql("atlas", "SET enable_seqscan = off; SET enable_bitmapscan = off; " + EMOJI_ROW))
                .isEqualTo("1");
        assertThat(target.psql("atlas", "SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'"))
                .as("amcheck dropped again").isEqualTo("0");
        target.psql("atlas", "CREATE EXTENSION amcheck");
        assertThat(target.psql("atlas", "SELECT bt_index_check('names_name')")).as("in order now (an error otherwise)")
                .isEmpty();
        assertThat(target.psql("atlas", "SELECT count(*) FROM pg_database WHERE datcollversion IS DISTINCT FROM "
                + "pg_database_collation_actual_version(oid) AND datcollversion IS NOT NULL")).isEqualTo("0");
        // a new database from template1 (refused while template1's version differs)
        target.psql("postgres", "CREATE DATABASE made_after");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    @Test
    void aClusterFromAnOlderGlibcHasItsTextIndexesRebuiltAndItsVersionsRefreshed() throws Exception {
        Path backup = backup("glibc", SELECT, data -> {
            try (ServicePg old = ServicePg.init(15, Locales.EN_US).start()) {
                old.psql("postgres", "CREATE DATABASE shop");
                old.psql("shop", "CREATE TABLE items (id int PRIMARY KEY, name text)");
                old.psql("shop", "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 2000) g");
                old.psql("shop", "CREATE INDEX items_name ON items (name)");
                // what a cluster made under Ubuntu 18.04's glibc records (see the class comment)
                old.psql("postgres", "UPDATE pg_database SET datcollversion = '2.27' WHERE datcollversion IS NOT NULL");
                old.stop();
                Cmd.run(List.of("cp", "-a", old.dataDir().toString(), data.toString()));
            }
        });
        writeUbuntu1804(backup);
        Map<String, String> before = Trees.snapshot(backup);
        ServicePg target = target(15);
        Path home = home();

        Jar.Run plan = dbrescue(home, args(backup, SELECT, target, "--dry-run"));
        assertThat(plan.exitCode()).as(both(plan)).isEqualTo(RunResult.OK);
        assertThat(plan.stdout()).contains("[warn] collations: The C library changed: glibc 2.27 then (Ubuntu 18.04.6 "
                        + "LTS; recorded in the catalog (datcollversion)), glibc 2.36 here (glibc 2.28 changed the sort "
                        + "order of most locales)").contains("The text indexes of postgres, shop were sorted in the old order");

        Jar.Run run = dbrescue(home, args(backup, SELECT, target, "--yes"));
        assertThat(run.exitCode()).as(both(run)).isEqualTo(RunResult.OK);
        assertThat(run.stdout()).contains("shop.items_name (collation of the database changed: version 2.27 → 2.36)")
                .contains("shop.items_name: in order").contains("shop (2.27 → 2.36)").contains("template1 (2.27 → 2.36)");
        assertThat(target.psql("shop", "SELECT datcollversion FROM pg_database WHERE datname = 'shop'")).isEqualTo("2.36");
        assertThat(target.psql("shop", "SET enable_seqscan = off; SELECT count(*) FROM items WHERE name = 'item 777'"))
                .isEqualTo("1");
        assertThat(target.psql("shop", "SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'"))
                .as("amcheck dropped again").isEqualTo("0");
        target.psql("postgres", "CREATE DATABASE made_after");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    @Test
    void aMoveBetweenEqualSystemsRebuildsNothingAndSaysSo() throws Exception {
        String[] file = new String[1];
        Path backup = backup("same", SELECT, data -> {
            try (ServicePg old = ServicePg.init(15, Locales.EN_US).start()) {
                old.psql("postgres", "CREATE DATABASE shop");
                old.psql("shop", "CREATE TABLE items (id int PRIMARY KEY, name text)");
                old.psql("shop", "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 2000) g");
                old.psql("shop", "CREATE INDEX items_name ON items (name)");
                file[0] = old.psql("shop", "SELECT pg_relation_filenode('items_name')");
                old.stop();
                Cmd.run(List.of("cp", "-a", old.dataDir().toString(), data.toString()));
            }
        });
        Files.createDirectories(backup.resolve("usr/lib"));
        Files.writeString(backup.resolve("usr/lib/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                + "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n");
        Map<String, String> before = Trees.snapshot(backup);
        ServicePg target = target(15);
        Path home = home();

        Jar.Run plan = dbrescue(home, args(backup, SELECT, target, "--dry-run"));
        assertThat(plan.exitCode()).as(both(plan)).isEqualTo(RunResult.OK);
        assertThat(plan.stdout()).contains("[pass] collations: Same C library: glibc 2.36 then (Debian GNU/Linux 12 "
                + "(bookworm); recorded in the catalog (datcollversion)), glibc 2.36 here")
                .contains("nothing is expected to change, so nothing is expected to be rebuilt");

        Jar.Run run = dbrescue(home, args(backup, SELECT, target, "--yes"));
        assertThat(run.exitCode()).as(both(run)).isEqualTo(RunResult.OK);
        assertThat(run.stdout()).contains("collations: nothing changed: no index needed checking, none was rebuilt")
                .contains("indexesRebuilt: none").contains("collationsRefreshed: none changed");
        assertThat(target.psql("shop", "SELECT pg_relation_filenode('items_name')")).as("the index was not rebuilt")
                .isEqualTo(file[0]);
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    @Test
    void withoutARecordedVersionTheTextIndexesAreCheckedWithAmcheck() throws Exception {
        String[] file = new String[1];
        Path backup = backup("unknown", SELECT14, data -> {
            try (PgCluster c = PgCluster.init(14, data, "--locale=" + Locales.EN_US).start()) {
                c.psql("postgres", "CREATE DATABASE shop");
                c.psql("shop", "CREATE TABLE items (id int PRIMARY KEY, name text, tag text COLLATE \"C\")");
                c.psql("shop", "INSERT INTO items SELECT g, 'item ' || g, 't' || g FROM generate_series(1, 2000) g");
                c.psql("shop", "CREATE INDEX items_name ON items (name)");
                c.psql("shop", "CREATE INDEX items_tag ON items (tag)");
                file[0] = c.psql("shop", "SELECT pg_relation_filenode('items_name')");
            }
        });
        Map<String, String> before = Trees.snapshot(backup);
        ServicePg target = target(14);
        Path home = home();

        Jar.Run plan = dbrescue(home, args(backup, SELECT14, target, "--dry-run"));
        assertThat(plan.exitCode()).as(both(plan)).isEqualTo(RunResult.OK);
        assertThat(plan.stdout()).contains("[warn] collations: Whether the C library changed is not known: the old "
                + "system's C library is unknown, glibc 2.36 here; PostgreSQL 14 records no version for a database's "
                + "collation. The text indexes of postgres, shop are checked after the start");

        Jar.Run run = dbrescue(home, args(backup, SELECT14, target, "--yes"));
        assertThat(run.exitCode()).as(both(run)).isEqualTo(RunResult.OK);
        assertThat(run.stdout()).contains("indexesChecked: [shop.items_name: in order]").contains("indexesRebuilt: none")
                .doesNotContain("items_tag");
        assertThat(target.psql("shop", "SELECT pg_relation_filenode('items_name')")).isEqualTo(file[0]);
        assertThat(target.psql("shop", "SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'"))
                .as("amcheck dropped again").isEqualTo("0");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    /** /etc as a backup of Ubuntu 18.04 has it: os-release a link into /usr/lib (absent), dpkg's status in /var/lib. */
    private static void writeUbuntu1804(Path backup) throws IOException {
        Files.createDirectories(backup.resolve("etc"));
        Files.createSymbolicLink(backup.resolve("etc/os-release"), Path.of("../usr/lib/os-release"));
        Files.createDirectories(backup.resolve("usr/lib"));
        Files.writeString(backup.resolve("usr/lib/os-release"), "NAME=\"Ubuntu\"\nVERSION=\"18.04.6 LTS (Bionic Beaver)\"\n"
                + "ID=ubuntu\nID_LIKE=debian\nPRETTY_NAME=\"Ubuntu 18.04.6 LTS\"\nVERSION_ID=\"18.04\"\n");
        Files.createDirectories(backup.resolve("var/lib/dpkg"));
        Files.writeString(backup.resolve("var/lib/dpkg/status"), String.join("\n",
                "Package: libc6", "Status: install ok installed", "Architecture: amd64", "Source: glibc",
                "Version: 2.27-3ubuntu1.6", "", "Package: libicu60", "Status: install ok installed",
                "Architecture: amd64", "Source: icu", "Version: 60.2-3ubuntu3.2", "",
                "Package: postgresql-15", "Status: install ok installed", "Version: 15.4-1.pgdg18.04+1", ""));
    }
}
