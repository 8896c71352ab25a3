package io.dbrescue.postgres;

import io.dbrescue.cli.Main;
import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pg_dump 15 dumps (Debian 15) — custom, directory, plain, gzip-compressed plain — restored into a
 * running PostgreSQL 18 server (zonky 18). The zonky binaries have no client tools, so the restores
 * use Debian 15's pg_restore and psql (--target-bin /usr/lib/postgresql/15/bin): an older client can
 * load into a newer server, it only sends SQL. Same-name conflicts (ask, rename, skip), a damaged dump
 * and a wrong password; every test proves the backup unchanged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgDumpRestoreTest {
    static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");
    static Path work;
    static Path backup;
    static Map<String, String> before;
    static PgCluster target;
    Path state;

    @BeforeAll
    static void makeDumps() throws Exception {
        work = TestUser.newDir("pg-dumps");
        backup = work.resolve("backup");
        Path dumps = backup.resolve("home/alice/dumps");
        Files.createDirectories(dumps);
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(15, work.resolve("src")).start()) {
            c.psql("postgres", "CREATE DATABASE shop");
            c.psql("postgres", "CREATE ROLE shopkeeper NOLOGIN");
            c.psql("shop", "CREATE TABLE items (id int PRIMARY KEY, name text)");
            c.psql("shop", "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 2500) g");
            c.psql("shop", "CREATE TABLE orders AS SELECT g AS id, g % 50 AS item FROM generate_series(1, 700) g");
            c.psql("shop", "ALTER TABLE orders OWNER TO shopkeeper");
            String port = Integer.toString(c.port());
            List<String> base = List.of("-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "shop");
            dump(dumps, "shop.dump", base, "-Fc");
            dump(dumps, "shop.dir", base, "-Fd");
            dump(dumps, "plainshop.sql", base, "-Fp");
            dump(dumps, "gzshop.sql.gz", base, "-Fp", "-Z", "6");
            dump(dumps, "cutshop.dump", base, "-Fc");
        }
        // a damaged copy: the custom dump cut in half
        Path cut = dumps.resolve("cutshop.dump");
        byte[] all = Files.readAllBytes(cut);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        TestUser.chown(work);
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        target = PgCluster.init(18, TestUser.newDir("pg18").resolve("data")).start();
        target.psql("postgres", "CREATE DATABASE already_here");
    }

    private static void dump(Path dir, String name, List<String> conn, String... format) {
        List<String> argv = new ArrayList<>(List.of(DEBIAN_15.resolve("pg_dump").toString()));
        argv.addAll(conn);
        argv.addAll(List.of(format));
        argv.addAll(List.of("-f", dir.resolve(name).toString()));
        Cmd.run(Cmd.asTestUser(argv));
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
    }

    @BeforeEach
    void stateDir() throws IOException {
        state = Files.createTempDirectory("dbrescue-state");
        System.setProperty("dbrescue.state.dir", state.toString());
    }

    @AfterEach
    void backupUnchanged() throws Exception {
        System.clearProperty("org.postgresql.pgpassfile");
        System.clearProperty("dbrescue.state.dir"); // tests of other classes in this JVM use their own
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    private static int recover(String select, String... extra) {
        return recoverAs("postgres", select, extra);
    }

    private static int recoverAs(String user, String select, String... extra) {
        List<String> a = new ArrayList<>(List.of("recover", backup.toString(), "--select", "home/alice/dumps/" + select,
                "--target-bin", DEBIAN_15.toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(target.port()), "--target-user", user, "--yes"));
        a.addAll(List.of(extra));
        return Main.run(a.toArray(String[]::new));
    }

    private static String databases() {
        return target.psql("postgres", "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database");
    }

    private static void assertRows(String db) {
        assertThat(target.psql(db, "SELECT count(*) FROM items")).isEqualTo("2500");
        assertThat(target.psql(db, "SELECT count(*) FROM orders")).isEqualTo("700");
        assertThat(target.psql(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'")).isEqualTo("shopkeeper");
    }

    private Map<String, Object> report() throws IOException {
        try (Stream<Path> s = Files.list(state.resolve("runs"))) {
            Path f = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            return Journal.load(f.getFileName().toString().replace(".json", "")).data()
                    .groups.values().iterator().next().report;
        }
    }

    @Test
    @Order(1)
    void customDumpIntoPg18() throws Exception {
        assertThat(recover("shop.dump")).isEqualTo(RunResult.OK);
        assertRows("shop");
        Map<String, Object> r = report();
        assertThat(r.get("rows").toString()).contains("public.items=2500").contains("public.orders=700");
        assertThat(r.get("verified").toString()).contains("every table of the dump's table of contents is there");
        assertThat(r.get("rolesCreated").toString()).contains("shopkeeper");
    }

    @Test
    @Order(2)
    void sameNameWithAskFailsThePreflightAndTouchesNothing() {
        String dbs = databases();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = recover("shop.dir");
        } finally {
            System.setOut(old);
        }
        assertThat(code).isEqualTo(RunResult.PREFLIGHT_FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("A database called shop already exists")
                .contains("--on-conflict").contains("skip").contains("rename").contains("replace");
        assertThat(databases()).isEqualTo(dbs);
        assertThat(state.resolve("runs")).doesNotExist();
    }

    @Test
    @Order(3)
    void directoryDumpRenamed() {
        assertThat(recover("shop.dir", "--on-conflict", "rename")).isEqualTo(RunResult.OK);
        assertRows("shop_restored");
    }

    @Test
    @Order(4)
    void skipLeavesTheExistingDatabaseAlone() {
        String dbs = databases();
        target.psql("shop", "INSERT INTO items VALUES (100000, 'added after the restore')");
        assertThat(recover("shop.dump", "--on-conflict", "skip")).isEqualTo(RunResult.OK);
        assertThat(databases()).isEqualTo(dbs);
        assertThat(target.psql("shop", "SELECT count(*) FROM items")).isEqualTo("2501");
    }

    @Test
    @Order(5)
    void plainAndGzipPlainThroughPsql() {
        assertThat(recover("plainshop.sql")).isEqualTo(RunResult.OK);
        assertRows("plainshop");
        assertThat(recover("gzshop.sql.gz")).isEqualTo(RunResult.OK);
        assertRows("gzshop");
    }

    @Test
    @Order(6)
    void damagedDumpFailsThePreflight() {
        String dbs = databases();
        assertThat(recover("cutshop.dump")).isEqualTo(RunResult.PREFLIGHT_FAILED);
        assertThat(databases()).isEqualTo(dbs);
        assertThat(state.resolve("runs")).doesNotExist();
    }

    @Test
    @Order(7)
    void wrongPasswordIsAClearErrorAndNothingIsRestored() throws Exception {
        // a role that must give a password over TCP; the test's own psql keeps trust for postgres
        target.psql("postgres", "CREATE ROLE restorer LOGIN SUPERUSER PASSWORD 'right-password'");
        Path hba = target.dataDir().resolve("pg_hba.conf");
        String original = Files.readString(hba);
        Files.writeString(hba, "host all restorer 127.0.0.1/32 scram-sha-256\n" + original);
        Cmd.run(Cmd.asTestUser(List.of(PgCluster.binDir(18).resolve("pg_ctl").toString(), "reload", "-D",
                target.dataDir().toString())));
        Thread.sleep(500);
        // PGPASSWORD cannot be set inside this JVM: the driver's pgpass file carries the wrong password instead
        Path pgpass = Files.createTempFile("pgpass", "");
        Files.writeString(pgpass, "*:*:*:restorer:wrong-password\n");
        Files.setPosixFilePermissions(pgpass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        String dbs = databases();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = recoverAs("restorer", "plainshop.sql", "--on-conflict", "rename");
        } finally {
            System.setOut(old);
        }
        assertThat(code).isEqualTo(RunResult.PREFLIGHT_FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("refused the login of user 'restorer'")
                .contains("PGPASSWORD").contains("~/.pgpass");
        assertThat(databases()).isEqualTo(dbs);
    }
}
