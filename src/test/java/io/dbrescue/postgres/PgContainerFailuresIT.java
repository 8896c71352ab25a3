package io.dbrescue.postgres;

import io.dbrescue.Engines;
import io.dbrescue.cli.CliRun;
import io.dbrescue.plan.Containers;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.Runner;
import io.dbrescue.run.RunResult;
import io.dbrescue.scan.Engine;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestImages;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What goes wrong with the container strategy, with real Podman and real servers: an image that is not
 * here and cannot be pulled (no registry is reachable), Podman missing, an old server that does not
 * start (its log lines shown), too little disk for the copy, and a cancelled run (then resumed to the
 * end: the old server is started again for the steps that still need it). Each time the message
 * names the problem and the fix, the target server holds nothing new, no container is left and the
 * backup is unchanged.
 */
class PgContainerFailuresIT {
    static final String SELECT = "pg16";
    static Path work;
    static Path backup;
    static Map<String, String> before;
    static PgCluster target;
    Path home;

    @BeforeAll
    static void makeBackup() throws Exception {
        TestImages.ensure(TestImages.POSTGRES_16);
        TestImages.ensure(TestImages.POSTGRES_17);
        TestImages.ensure(TestImages.POSTGRES_18);
        work = TestUser.newDir("pg-container-failures");
        backup = work.resolve("backup");
        Files.createDirectories(backup);
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(16, backup.resolve(SELECT)).start()) {
            c.psql("postgres", "CREATE DATABASE shop");
            c.psql("shop", "CREATE TABLE items AS SELECT g AS id, md5(g::text) AS name FROM generate_series(1, 200000) g");
        }
        try (PgCluster c = PgCluster.init(16, backup.resolve("pg16-adminpack")).start()) {
            c.psql("postgres", "CREATE EXTENSION adminpack"); // gone from PostgreSQL 17 on
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        target = PgCluster.init(18, TestUser.newDir("pg18-failures").resolve("data")).start();
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
    }

    @AfterEach
    void nothingChanged() throws Exception {
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
        assertThat(TestImages.containersOfRunsIn(home, work)).as("no container of these runs is left").isEmpty();
        assertThat(target.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'shop'")).isEqualTo("0");
        System.clearProperty("dbrescue.podman");
    }

    CliRun recover(String imageTemplate, String... extra) throws Exception {
        home = home == null ? Files.createTempDirectory("dbrescue-home") : home;
        List<String> a = new ArrayList<>(List.of("--set", "images.postgresql=" + imageTemplate,
                "recover", backup.toString(), "--select", SELECT, "--strategy", "container",
                "--target-bin", PgCluster.binDir(18).toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(target.port()), "--target-user", "postgres",
                "--run-as", TestUser.NAME, "--yes"));
        a.addAll(List.of(extra));
        return CliRun.run(home, a.toArray(String[]::new));
    }

    @Test
    void anImageThatIsNotHereAndCannotBePulledIsNamedWithHowToLoadIt() throws Exception {
        CliRun r = recover(TestImages.PREFIX + "not-built-anywhere:{major}");
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.FAILED);
        assertThat(r.out).contains("[warn] image: The image " + TestImages.PREFIX + "not-built-anywhere:16")
                .contains("The container image " + TestImages.PREFIX + "not-built-anywhere:16 is not on this machine")
                .contains("podman load -i image.tar")
                .contains("[images]");
    }

    @Test
    void anExtensionTheTargetCannotInstallFailsThePreflight() throws Exception {
        home = Files.createTempDirectory("dbrescue-home");
        CliRun r = CliRun.run(home, "--set", "images.postgresql=" + TestImages.PREFIX + "postgres:{major}",
                "plan", backup.toString(), "--select", "pg16-adminpack", "--strategy", "container",
                "--target-bin", PgCluster.binDir(18).toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(target.port()), "--target-user", "postgres", "--run-as", TestUser.NAME);
        assertThat(r.exit).as(r.toString()).isEqualTo(4);
        assertThat(r.out).contains("[fail] extensions: The old databases use the extension(s) adminpack, which "
                + "PostgreSQL 18.6 here cannot install");
    }

    @Test
    void verifyRestoreTestTakesOlderDataThroughAContainerIntoAThrowawayServer() throws Exception {
        home = Files.createTempDirectory("dbrescue-home");
        CliRun r = CliRun.run(home, "--set", "images.postgresql=" + TestImages.PREFIX + "postgres:{major}",
                "verify", backup.toString(), "--select", SELECT, "--restore-test",
                "--target-bin", PgCluster.binDir(18).toString(), "--run-as", TestUser.NAME);
        assertThat(r.exit).as(r.toString()).isEqualTo(0);
        assertThat(r.out).contains("RESTORABLE").contains("a temporary PostgreSQL 18").contains("200000");
    }

    @Test
    void podmanMissingGivesTheInstallCommands() throws Exception {
        System.setProperty("dbrescue.podman", "/nonexistent/podman");
        CliRun r = recover(TestImages.PREFIX + "postgres:{major}");
        assertThat(r.exit).as(r.toString()).isEqualTo(4); // pre-flight failed, nothing ran
        assertThat(r.out).contains("[fail] podman: Podman is not installed")
                .contains("sudo apt install podman").contains("sudo dnf install podman").contains("sudo pacman -S podman");
    }

    @Test
    void anOldServerThatDoesNotStartIsShownWithItsLogLines() throws Exception {
        // the PostgreSQL 17 image on PostgreSQL 16 files: the server refuses them and stops
        CliRun r = recover(TestImages.POSTGRES_17);
        assertThat(r.exit).as(r.toString()).isEqualTo(RunResult.FAILED);
        assertThat(r.out).contains("The old server in the container stopped while starting")
                .contains("database files are incompatible with server")
                .contains("The backup is untouched");
    }

    @Test
    void tooLittleDiskForTheCopyFailsThePreflight() throws Exception {
        home = Files.createTempDirectory("dbrescue-home");
        Path state = home.resolve("state");
        Files.createDirectories(state);
        Cmd.run(List.of("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", state.toString()));
        try {
            CliRun r = recover(TestImages.PREFIX + "postgres:{major}");
            assertThat(r.exit).as(r.toString()).isEqualTo(4);
            assertThat(r.out).contains("[fail] disk-space").contains("free; the copy needs");
        } finally {
            Cmd.run(List.of("umount", "-l", state.toString())); // lazy: the log file in it may still be open
        }
    }

    @Test
    void aCancelledRunLeavesNoContainerAndResumesToTheEnd() throws Exception {
        home = Files.createTempDirectory("dbrescue-home");
        System.setProperty("dbrescue.state.dir", home.resolve("state").toString());
        try {
            Containers images = new Containers(Map.of(Engine.POSTGRESQL, TestImages.PREFIX + "postgres:{major}"), "",
                    Containers.UpgradeMethod.DUMP);
            RecoveryRequest req = new RecoveryRequest(backup, List.of(SELECT), Strategy.CONTAINER,
                    new TargetOptions("127.0.0.1", target.port(), "postgres", PgCluster.binDir(18), null, TestUser.NAME),
                    RecoveryRequest.Conflict.ASK, 2, true, false, null, 3600, RecoveryRequest.DEFAULT_CHUNK_BYTES, images);
            Plan plan = Engines.planner().plan(req, Engines.scanner().scan(backup),
                    io.dbrescue.Engines.discovery().discover().withOptions(req.target()));
            assertThat(plan.checks()).noneMatch(c -> c.level().name().equals("FAIL"));
            Runner runner = Engines.runner();
            List<String> seenRunning = new ArrayList<>();
            RunResult result = runner.run(plan, e -> {
                if (e.stepTitle() != null && e.stepTitle().startsWith("Dump shop") && seenRunning.isEmpty()) {
                    seenRunning.addAll(TestImages.containersOfRuns(List.of(plan.runId())));
                    runner.cancel();
                }
            });
            assertThat(seenRunning).as("the old server's container ran while the dump started").hasSize(1);
            assertThat(result.cancelled()).isTrue();
            assertThat(Journal.load(plan.runId()).data().groups.get(SELECT).message).contains("Cancelled during step");
            assertThat(TestImages.containersOfRuns(List.of(plan.runId()))).as("cancel removed the container").isEmpty();

            // resume: the old server starts again on the copy kept for it, the cut-off dump is redone
            RunResult resumed = Engines.runner().resume(Journal.load(plan.runId()), e -> { });
            assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(RunResult.OK);
            assertThat(target.psql("shop", "SELECT count(*) FROM items")).isEqualTo("200000");
            assertThat(resumed.groups().get(0).report().get("rowsCompared").toString()).isEqualTo("200000");
            target.psql("postgres", "DROP DATABASE shop"); // for the other tests, which expect no shop there
        } finally {
            System.clearProperty("dbrescue.state.dir");
        }
    }

    /** The run's work folder is mounted into both containers: a ':' ',' or quote in its name must not break it. */
    @Test
    void aWorkFolderWithColonsCommasAndQuotesIsMountedIntoTheContainers() throws Exception {
        home = Files.createTempDirectory("dbrescue-home");
        System.setProperty("dbrescue.state.dir", home.resolve("state a:b,c \"q\" 'x'").toString());
        try {
            Containers images = new Containers(Map.of(Engine.POSTGRESQL, TestImages.PREFIX + "postgres:{major}"), "",
                    Containers.UpgradeMethod.DUMP);
            RecoveryRequest req = new RecoveryRequest(backup, List.of(SELECT), Strategy.CONTAINER,
                    new TargetOptions("127.0.0.1", target.port(), "postgres", PgCluster.binDir(18), null, TestUser.NAME),
                    RecoveryRequest.Conflict.ASK, 2, true, false, null, 3600, RecoveryRequest.DEFAULT_CHUNK_BYTES, images);
            Plan plan = Engines.planner().plan(req, Engines.scanner().scan(backup),
                    io.dbrescue.Engines.discovery().discover().withOptions(req.target()));
            assertThat(plan.checks()).noneMatch(c -> c.level().name().equals("FAIL"));
            assertThat(plan.steps()).anyMatch(st -> st.argv().contains("--mount"));
            RunResult result = Engines.runner().run(plan, e -> { });
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(RunResult.OK);
            assertThat(target.psql("shop", "SELECT count(*) FROM items")).isEqualTo("200000");
            target.psql("postgres", "DROP DATABASE shop"); // for the other tests, which expect no shop there
        } finally {
            System.clearProperty("dbrescue.state.dir");
        }
    }
}
