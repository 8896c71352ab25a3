package io.dbrescue.postgres.restore;

import io.dbrescue.testing.FreePorts;
import io.dbrescue.Engines;
import io.dbrescue.cli.Main;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Direct restores of PostgreSQL data directories into a server of the same major version, with real
 * servers: Debian's PostgreSQL 15 and zonky's 16. Each test proves the backup unchanged.
 */
class PgDirectRestoreTest {
    static Path work;
    static Path backup;
    static Map<String, String> before;
    final List<Path> startedData = new ArrayList<>();
    final List<Integer> startedMajor = new ArrayList<>();
    Path state;

    @BeforeAll
    static void makeBackup() throws Exception {
        work = TestUser.newDir("pg-direct");
        backup = work.resolve("backup");
        for (int major : new int[] {15, 16}) {
            Path src = work.resolve("src" + major);
            try (PgCluster c = PgCluster.init(major, src).start()) {
                c.psql("postgres", "CREATE DATABASE shop");
                c.psql("shop", "CREATE TABLE items AS SELECT g AS id, 'item ' || g AS name FROM generate_series(1, 3000) g");
                c.psql("shop", "CREATE TABLE orders AS SELECT g AS id FROM generate_series(1, " + (major * 10) + ") g");
                c.stop();
            }
            Path into = backup.resolve("var/lib/postgresql/" + major + "/main");
            Files.createDirectories(into.getParent());
            Cmd.run(List.of("cp", "-a", src.toString(), into.toString()));
        }
        TestUser.chown(work);
        before = Trees.snapshot(backup);
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(work);
    }

    @BeforeEach
    void stateDir() throws IOException {
        state = Files.createTempDirectory("dbrescue-state");
        System.setProperty("dbrescue.state.dir", state.toString());
    }

    @AfterEach
    void stopServers() throws Exception {
        System.clearProperty("dbrescue.state.dir"); // tests of other classes in this JVM use their own
        for (int i = 0; i < startedData.size(); i++) {
            Path data = startedData.get(i);
            if (PgDirectSteps.running(data)) {
                Cmd.run(Cmd.asTestUser(List.of(PgCluster.binDir(startedMajor.get(i)).resolve("pg_ctl").toString(),
                        "stop", "-w", "-D", data.toString(), "-m", "immediate")));
            }
        }
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    private Path targetCluster(int major, boolean start) {
        Path parent = TestUser.newDir("pg-target");
        Path data = parent.resolve("main");
        PgCluster c = PgCluster.init(major, data);
        if (start) {
            c.start();
            c.psql("postgres", "CREATE DATABASE only_in_target");
            track(major, data);
        }
        return data;
    }

    private void track(int major, Path data) {
        startedData.add(data);
        startedMajor.add(major);
    }

    private static String[] args(int major, Path data, int port, String... extra) {
        List<String> a = new ArrayList<>(List.of("recover", backup.toString(), "--select",
                "var/lib/postgresql/" + major + "/main", "--target-bin", PgCluster.binDir(major).toString(),
                "--target-data", data.toString(), "--target-port", Integer.toString(port), "--target-host", "127.0.0.1"));
        if (TestUser.isRoot()) {
            a.addAll(List.of("--run-as", TestUser.NAME));
        }
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static String psql(int port, String db, String sql) {
        return Cmd.run(List.of("/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-q", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-U", "postgres", "-d", db, "-c", sql)).strip();
    }

    private static List<Path> safetyCopies(Path data) throws IOException {
        try (Stream<Path> s = Files.list(data.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("main.before-dbrescue-")).toList();
        }
    }

    @Test
    void pg15IntoRunningPg15TargetKeepsSafetyCopyAndRowsCount() throws Exception {
        Path data = targetCluster(15, true);
        int port = FreePorts.next();
        int code = Main.run(args(15, data, port, "--yes"));
        track(15, data);
        assertThat(code).isEqualTo(RunResult.OK);
        // the restored server runs on the copied data: the backup's rows, not the target's database
        assertThat(psql(port, "shop", "SELECT count(*) FROM items")).isEqualTo("3000");
        assertThat(psql(port, "shop", "SELECT count(*) FROM orders")).isEqualTo("150");
        assertThat(psql(port, "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'only_in_target'")).isEqualTo("0");
        // the old target data is kept as the safety copy (with its database)
        List<Path> safety = safetyCopies(data);
        assertThat(safety).hasSize(1);
        assertThat(safety.get(0).resolve("PG_VERSION")).exists();
        // the summary has the verification's row counts
        Journal.Data j = journal();
        Map<String, Object> report = j.groups.values().iterator().next().report;
        assertThat(report.get("rows").toString()).contains("public.items=3000").contains("public.orders=150");
        assertThat(report.get("safetyCopy").toString()).isEqualTo(safety.get(0).toString());
    }

    @Test
    void pg16ZonkyIntoPg16Target() throws Exception {
        Path data = targetCluster(16, false);
        int port = FreePorts.next();
        int code = Main.run(args(16, data, port, "--yes"));
        track(16, data);
        assertThat(code).isEqualTo(RunResult.OK);
        assertThat(psql(port, "shop", "SELECT count(*) FROM items")).isEqualTo("3000");
        assertThat(psql(port, "shop", "SELECT count(*) FROM orders")).isEqualTo("160");
        if (TestUser.isRoot()) {
            assertThat(Files.getOwner(data).getName()).isEqualTo(TestUser.NAME);
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
        assertThat(safetyCopies(data)).hasSize(1);
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        Path data = targetCluster(15, true);
        Map<String, String> targetBefore = Trees.snapshot(data.getParent());
        int port = FreePorts.next();
        int code = Main.run(args(15, data, port, "--dry-run"));
        assertThat(code).isEqualTo(RunResult.OK);
        // same files (the running server's own writes aside: compare names and the data dir's top level)
        assertThat(Trees.snapshot(data.getParent()).keySet()).isEqualTo(targetBefore.keySet());
        assertThat(PgDirectSteps.running(data)).as("the target server still runs").isTrue();
        assertThat(io.dbrescue.machine.Ports.busy(port)).as("nothing started on the new port").isFalse();
        assertThat(safetyCopies(data)).isEmpty();
        assertThat(state.resolve("runs")).doesNotExist();
    }

    @Test
    void failedStartRollsBackToTheSafetyCopy() throws Exception {
        Path data = targetCluster(15, false);
        Files.writeString(data.resolve("marker-of-the-original"), "original\n");
        int port = FreePorts.next();
        TargetOptions o = new TargetOptions("127.0.0.1", port, null, PgCluster.binDir(15), data,
                TestUser.isRoot() ? TestUser.NAME : null);
        RecoveryRequest req = new RecoveryRequest(backup, List.of("var/lib/postgresql/15/main"), Strategy.AUTO, o,
                RecoveryRequest.Conflict.ASK, 2, true, false);
        Plan plan = Engines.planner().plan(req, Engines.scanner().scan(backup), new Target(List.of(), null, TestUser.isRoot()));
        assertThat(plan.preflightFailed()).as(plan.checks().toString()).isFalse();
        RunResult result;
        // another program takes the port between the plan and the run
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            result = Engines.runner().run(plan, e -> { });
        }
        track(15, data);
        RunResult.GroupResult g = result.groups().get(0);
        assertThat(g.outcome()).isEqualTo(Journal.Outcome.FAILED);
        assertThat(g.errorKind()).isEqualTo("port-in-use");
        assertThat(g.message()).contains("would not start").contains("Address already in use");
        assertThat(g.fix()).contains("--target-port");
        assertThat(data.resolve("marker-of-the-original")).exists();
        assertThat(safetyCopies(data)).isEmpty();
        assertThat(PgDirectSteps.running(data)).isFalse();
    }

    private Journal.Data journal() throws IOException {
        try (Stream<Path> s = Files.list(state.resolve("runs"))) {
            Path f = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            return Journal.load(f.getFileName().toString().replace(".json", "")).data();
        }
    }

    @Test
    void aTargetReachedThroughALinkIntoTheBackupIsRefused() throws Exception {
        Path link = work.resolve("pg-link");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, backup.resolve("var/lib/postgresql/15"));
        try {
            // the backup's own data directory, and a new folder inside the backup, both seen through the link
            for (Path data : List.of(link.resolve("main"), link.resolve("restored"))) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                java.io.PrintStream old = System.out;
                System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
                int code;
                try {
                    code = Main.run(args(15, data, FreePorts.next(), "--yes"));
                } finally {
                    System.setOut(old);
                }
                String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
                assertThat(code).as(printed).isEqualTo(RunResult.PREFLIGHT_FAILED);
                assertThat(printed).contains("[fail] backup-read-only").contains(data + " (that is "
                        + backup.resolve("var/lib/postgresql/15").resolve(data.getFileName()) + ")");
            }
        } finally {
            Files.delete(link);
        }
        assertThat(state.resolve("runs")).doesNotExist();
    }
}
