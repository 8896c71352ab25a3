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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A direct restore whose paths hold what a shell would act on — {@code $(touch MARKER)}, backticks,
 * double and single quotes, spaces, a line break — in the target data folder, the state folder (where the
 * server's log goes) and the backup folder, with Debian's PostgreSQL 15 run as the test user. Nothing may
 * run: the marker files never appear. The restore works, or the pre-flight refuses (exit 4) and nothing
 * changed. Before the fix pg_ctl started postgres through /bin/sh with the data folder in the string.
 */
class PgDirectRestoreShellTest {
    static Path work;
    static Path marker;
    static Path backup;
    static Map<String, String> before;
    final List<Path> started = new ArrayList<>();
    Path state;

    /** A folder name that runs "touch MARKER" in a shell, twice, and has quotes and spaces. */
    static String hostile(String prefix) {
        return prefix + " $(touch " + marker + ") `touch " + marker + "` \"dq\" 'sq'";
    }

    @BeforeAll
    static void makeBackup() throws Exception {
        work = TestUser.newDir("pg-shell");
        marker = work.resolve("MARKER");
        backup = work.resolve(hostile("backup") + "\nline two");
        Path src = work.resolve("src");
        try (PgCluster c = PgCluster.init(15, src).start()) {
            c.psql("postgres", "CREATE DATABASE shop");
            c.psql("shop", "CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 1234) g");
            c.stop();
        }
        Path into = backup.resolve("var/lib/postgresql/15/main");
        Files.createDirectories(into.getParent());
        Cmd.run(List.of("cp", "-a", src.toString(), into.toString()));
        TestUser.chown(work);
        before = Trees.snapshot(backup);
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(work);
    }

    @BeforeEach
    void stateDir() throws IOException {
        state = Files.createDirectories(work.resolve(hostile("state")));
        System.setProperty("dbrescue.state.dir", state.toString());
    }

    @AfterEach
    void checks() {
        for (Path data : started) {
            if (PgDirectSteps.running(data)) {
                Cmd.run(Cmd.asTestUser(List.of(PgCluster.binDir(15).resolve("pg_ctl").toString(), "stop", "-w", "-D",
                        data.toString(), "-m", "immediate")));
            }
        }
        assertThat(marker).as("no shell ran a path").doesNotExist();
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        System.clearProperty("dbrescue.state.dir");
    }

    private static String[] args(Path data, int port, String... extra) {
        List<String> a = new ArrayList<>(List.of("recover", backup.toString(), "--select", "var/lib/postgresql/15/main",
                "--target-bin", PgCluster.binDir(15).toString(), "--target-data", data.toString(),
                "--target-port", Integer.toString(port), "--target-host", "127.0.0.1"));
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

    private Path targetFolder(String name) {
        Path parent = work.resolve(name);
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TestUser.chown(parent);
        return parent;
    }

    @Test
    void aRestoreIntoHostilePathsWorksAndRunsNothing() throws Exception {
        Path data = targetFolder("target").resolve(hostile("main"));
        int port = FreePorts.next();
        int code = Main.run(args(data, port, "--yes"));
        started.add(data);
        assertThat(code).isEqualTo(RunResult.OK);
        assertThat(psql(port, "shop", "SELECT count(*) FROM items")).isEqualTo("1234");
        assertThat(psql(port, "postgres", "SHOW data_directory")).isEqualTo(data.toString());
        // the server's output went to a log in the run's folder (under the hostile state folder)
        try (Stream<Path> logs = Files.walk(state.resolve("runs"))) {
            assertThat(logs.filter(p -> p.getFileName().toString().startsWith("server-start-")).toList())
                    .singleElement().satisfies(log -> assertThat(Files.readString(log)).contains("ready to accept"));
        }
    }

    @Test
    void theOriginalServerOnAHostilePathIsStartedAgainWhenTheRestoreFails() throws Exception {
        Path data = targetFolder("running").resolve(hostile("main"));
        PgCluster.init(15, data);
        int port = FreePorts.next();
        int taken = FreePorts.next();
        // the original server runs (started as dbrescue starts servers: its arguments land in postmaster.opts)
        PgServer.start(PgServer.argv(PgCluster.binDir(15), data.toString(), port, "127.0.0.1", ""), data,
                TestUser.isRoot() ? TestUser.NAME : null, work.resolve("original.log"), null);
        started.add(data);
        psql(port, "postgres", "CREATE DATABASE only_in_target");
        TargetOptions o = new TargetOptions("127.0.0.1", taken, null, PgCluster.binDir(15), data,
                TestUser.isRoot() ? TestUser.NAME : null);
        RecoveryRequest req = new RecoveryRequest(backup, List.of("var/lib/postgresql/15/main"), Strategy.AUTO, o,
                RecoveryRequest.Conflict.ASK, 2, true, false);
        Plan plan = Engines.planner().plan(req, Engines.scanner().scan(backup),
                new Target(List.of(), null, TestUser.isRoot()));
        assertThat(plan.preflightFailed()).as(plan.checks().toString()).isFalse();
        assertThat(plan.steps().stream().map(s -> s.kind()).toList()).contains("pg-stop", "pg-start");
        RunResult result;
        // another program has the port the restored server is to use: its start fails, and all is undone
        try (ServerSocket thief = new ServerSocket(taken, 1, InetAddress.getByName("127.0.0.1"))) {
            result = Engines.runner().run(plan, e -> { });
        }
        RunResult.GroupResult g = result.groups().get(0);
        assertThat(g.outcome()).isEqualTo(Journal.Outcome.FAILED);
        assertThat(g.errorKind()).isEqualTo("port-in-use");
        assertThat(g.message()).contains("FATAL").contains("Address already in use");
        assertThat(PgDirectSteps.running(data)).as("the original server runs again").isTrue();
        assertThat(psql(port, "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'only_in_target'"))
                .isEqualTo("1");
    }

    @Test
    void aLineBreakInTheTargetIsRefusedInThePreflightAndNothingChanges() throws Exception {
        Path parent = targetFolder("newline");
        Path data = parent.resolve(hostile("main") + "\nsecond line");
        Map<String, String> targetBefore = Trees.snapshot(parent);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(args(data, FreePorts.next(), "--yes"));
        } finally {
            System.setOut(old);
        }
        assertThat(code).isEqualTo(RunResult.PREFLIGHT_FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("line break").contains("Choose a folder without line breaks");
        assertThat(Trees.snapshot(parent)).isEqualTo(targetBefore);
        assertThat(data).doesNotExist();
    }
}
