package io.dbrescue.postgres;

import io.dbrescue.postgres.restore.PgContainerPlan;

import io.dbrescue.container.ContainerRun;
import io.dbrescue.container.ContainerSteps;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;
import io.dbrescue.run.Runner;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.machine.Ports;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestImages;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The old server's container start, run by the real runner and step executors with real containers, ends as soon
 * as the answer is known, with the server's own FATAL line as the reason and the fix that fits it — not after
 * readySeconds (360 s here, what timeout_seconds 3600 gives) with "a long crash recovery can take longer":
 * <ul>
 * <li>a server that runs but answers every login with FATAL — a C.UTF-8 cluster in zonky's 16 image, which has no
 * locale files (the image as it is, without the locale layer dbrescue adds): before, the wait went on for the
 * whole readySeconds;</li>
 * <li>a server that stops while starting — PostgreSQL 16 data in the 15 image.</li>
 * </ul>
 */
class PgContainerFailFastIT {
    static Path work;
    static Path data;
    static Path state;

    @BeforeAll
    static void cluster() {
        TestImages.ensure(TestImages.POSTGRES_15);
        TestImages.ensure(TestImages.POSTGRES_16);
        work = TestUser.newDir("pg-fail-fast");
        data = work.resolve("copy");
        state = work.resolve("state");
        try (PgCluster c = PgCluster.init(16, data, "--locale=C.UTF-8").start()) {
            c.psql("postgres", "CREATE TABLE t AS SELECT 1 AS x");
        }
        System.setProperty("dbrescue.state.dir", state.toString());
    }

    @AfterAll
    static void cleanUp() {
        System.clearProperty("dbrescue.state.dir");
        TestUser.delete(work);
    }

    /** pg-prepare-copy then pg-container-start of the copy in this image, as PgContainerPlan plans them. */
    static RunResult start(String image) throws Exception {
        String runId = "failfast-" + System.nanoTime();
        RecoveryRequest req = new RecoveryRequest(work.resolve("no-backup"), List.of("copy"), Strategy.CONTAINER,
                TargetOptions.NONE, RecoveryRequest.Conflict.ASK, 1, true, false);
        PlanContext ctx = new PlanContext(req, "copy", 1, runId);
        int uid = Integer.parseInt(Cmd.run(List.of("id", "-u", TestUser.NAME)).strip());
        int gid = Integer.parseInt(Cmd.run(List.of("id", "-g", TestUser.NAME)).strip());
        int port = Ports.freeLoopback();
        String name = "dbrescue-" + runId;
        ctx.step("pg-prepare-copy", "prepare").param("dataDir", data.toString()).param("owner", TestUser.NAME).add();
        ctx.step("pg-container-start", "start")
                .argv(ContainerRun.of(image, runId).server(name).user(uid, gid).publish(port, 5432)
                        .mount(data.toString(), PgContainerPlan.DATA_IN_CONTAINER).stopSignal("SIGINT")
                        .command(List.of("postgres", "-D", PgContainerPlan.DATA_IN_CONTAINER)).argv())
                .param("name", name).param("host", "127.0.0.1").param("port", port).param("user", "postgres")
                .param("image", image).param("database", "postgres").param("readySeconds", 360).param("holds", name).add();
        Plan plan = new Plan(runId, "now", req, List.of(), ctx.checks(), ctx.steps());
        Map<String, StepExecutor> executors = new HashMap<>(new PostgresRecovery().executors());
        executors.put("container-stop", ContainerSteps.stop());
        RunResult r = new Runner(executors).run(plan, e -> { });
        assertThat(TestImages.containersOfRun(runId)).as("no container of the run is left").isEmpty();
        return r;
    }

    @Test
    void aServerThatAnswersFatalEndsTheWaitWithinSecondsWithItsLineAndTheLocaleFix() throws Exception {
        long t0 = System.nanoTime();
        RunResult r = start(TestImages.POSTGRES_16);
        double seconds = (System.nanoTime() - t0) / 1e9;
        RunResult.GroupResult g = r.groups().get(0);
        assertThat(g.outcome()).isEqualTo(Journal.Outcome.FAILED);
        assertThat(seconds).as("seconds until the failure").isLessThan(30);
        assertThat(g.errorKind()).isEqualTo("locale-missing");
        assertThat(g.message()).contains("answered dbrescue's login with:")
                .contains("FATAL:  database locale is incompatible with operating system")
                .contains("The database was initialized with LC_COLLATE \"C.UTF-8\"");
        assertThat(g.fix()).contains("uses the locale C.UTF-8, which the image " + TestImages.POSTGRES_16 + " lacks")
                .contains("RUN localedef -i C -c -f UTF-8 C.UTF-8").contains("images.postgresql");
        System.out.printf("locale FATAL reported after %.1f s:%n%s%nfix: %s%n", seconds, g.message(), g.fix());
    }

    @Test
    void aServerThatStopsIsReportedAtOnceWithItsFatalLine() throws Exception {
        long t0 = System.nanoTime();
        RunResult r = start(TestImages.POSTGRES_15);
        double seconds = (System.nanoTime() - t0) / 1e9;
        RunResult.GroupResult g = r.groups().get(0);
        assertThat(g.outcome()).isEqualTo(Journal.Outcome.FAILED);
        assertThat(seconds).isLessThan(30);
        assertThat(g.errorKind()).isEqualTo("version-mismatch");
        assertThat(g.message()).contains("stopped while starting:")
                .contains("FATAL:  database files are incompatible with server")
                .contains("DETAIL:  The data directory was initialized by PostgreSQL version 16");
        assertThat(g.fix()).contains("The image " + TestImages.POSTGRES_15 + " runs another PostgreSQL major version than "
                + "the data").contains("images.postgresql");
        System.out.printf("stopped server reported after %.1f s:%n%s%nfix: %s%n", seconds, g.message(), g.fix());
    }
}
