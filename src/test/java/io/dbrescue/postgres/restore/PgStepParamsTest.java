package io.dbrescue.postgres.restore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.Strategy;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.Journal;
import io.dbrescue.run.TypedStep;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL's typed steps read the steps of a journal written before they existed (checked in as
 * src/test/resources/io/dbrescue/postgres/restore/journal-v1-pg.json: pg-stop by pg_ctl and by systemd, pg-start
 * with and without Debian's configuration file, an exec, pg-verify through a socket with tables and over TCP): each record builds the very command line that journal
 * previewed, and a step planned from a record has the keys version 1 wrote.
 */
class PgStepParamsTest {
    private static List<Step> v1Steps() throws IOException {
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = PgStepParamsTest.class.getResourceAsStream("journal-v1-pg.json")) {
            return json.readValue(in, Journal.Data.class).plan.steps();
        }
    }

    @Test
    void recordsBuildTheCommandLinesAVersionOneJournalPreviewed() throws IOException {
        List<Step> steps = v1Steps();
        assertThat(steps).extracting(Step::kind).containsExactly("pg-stop", "pg-stop", "pg-start", "pg-start", "exec",
                "pg-verify", "pg-verify");
        for (Step s : steps.subList(0, 5)) {
            List<String> built = switch (s.kind()) {
                case "pg-stop" -> s.params(PgDirectSteps.PgStop.class).argv();
                case "pg-start" -> s.params(PgDirectSteps.PgStart.class).argv();
                default -> s.params(BasicSteps.Run.class).argv();
            };
            assertThat(built).as(s.title()).isEqualTo(s.argv());
        }
        PgDirectSteps.PgStart start = steps.get(2).params(PgDirectSteps.PgStart.class);
        assertThat(start.port()).isEqualTo(5433);
        assertThat(start.dataDir()).isEqualTo(Path.of("/srv/pg/main"));
        assertThat(steps.get(4).params(BasicSteps.Run.class).passEnv()).isEqualTo("PGPASSWORD");
    }

    @Test
    void verificationReadsTheLoginAndListsAVersionOneJournalWrote() throws IOException {
        List<Step> steps = v1Steps();
        PgVerifyStep.PgVerify bySocket = steps.get(5).params(PgVerifyStep.PgVerify.class);
        assertThat(bySocket.login()).isEqualTo(new PgRestoreTarget.Login("127.0.0.1", 5433, "postgres",
                "/var/run/postgresql", "postgres", "PGPASSWORD"));
        assertThat(bySocket.mode()).isEqualTo("dump");
        assertThat(bySocket.databases()).containsExactly("shop");
        assertThat(bySocket.tables()).containsExactly(java.util.Map.entry("shop", List.of("public.items", "public.orders")));
        PgVerifyStep.PgVerify overTcp = steps.get(6).params(PgVerifyStep.PgVerify.class);
        assertThat(overTcp.login().socket()).isNull();
        assertThat(overTcp.tables()).isNull();
        assertThat(overTcp.databases()).containsExactly("postgres", "shop");

        RecoveryRequest req = new RecoveryRequest(Path.of("/BACKUP"), List.of("x"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 2, true, false);
        PlanContext ctx = new PlanContext(req, "x", 1);
        assertThat(ctx.step(bySocket, "v").add().params()).isEqualTo(steps.get(5).params());
        assertThat(ctx.step(overTcp, "v").add().params()).isEqualTo(steps.get(6).params());
    }

    @Test
    void executorsOfTheTypedKindsReadTheirRecords() {
        assertThat(PgStepKinds.executors().get("pg-stop")).isInstanceOf(TypedStep.class);
        assertThat(PgStepKinds.executors().get("pg-start")).isInstanceOf(TypedStep.class);
        assertThat(PgStepKinds.executors().get("pg-verify")).isInstanceOf(TypedStep.class);
        assertThat(BasicSteps.all().values()).allMatch(e -> e instanceof TypedStep<?>);
    }

    @Test
    void aStepPlannedFromARecordHasTheKeysAndPreviewOfVersionOne() throws IOException {
        Step v1 = v1Steps().get(2);
        RecoveryRequest req = new RecoveryRequest(Path.of("/BACKUP"), List.of("x"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 2, true, false);
        PlanContext ctx = new PlanContext(req, "x", 1);
        Step now = ctx.step(new PgDirectSteps.PgStart(Path.of("/srv/pg/main"), Path.of("/usr/lib/postgresql/15/bin"),
                "postgres", 5433, "localhost", "/var/run/postgresql", "/etc/postgresql/15/main/postgresql.conf"),
                v1.title()).add();
        assertThat(now.kind()).isEqualTo(v1.kind());
        assertThat(now.params()).isEqualTo(v1.params());
        assertThat(now.argv()).isEqualTo(v1.argv());
        Step stop = ctx.step(new PgDirectSteps.PgStop(Path.of("/srv/pg/main"), Path.of("/usr/lib/postgresql/15/bin"),
                "postgres", null), "stop").add();
        assertThat(stop.params()).isEqualTo(v1Steps().get(0).params());
        assertThat(stop.argv()).isEqualTo(v1Steps().get(0).argv());
    }
}
