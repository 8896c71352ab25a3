package io.dbrescue.postgres.restore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.container.ContainerSteps;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.TypedStep;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The typed steps of the container path (pg-prepare-copy, pg-container-start, pg-move-globals, pg-dump-db, pg-compare,
 * container-stop, pg-analyze) and of the pg_upgrade path (pg-initdb, pg-upgrade with its key "new", pg-post-upgrade)
 * and the others (pg-clean-attver in both modes, pg-config with its facts as JSON, pg-collations, pg-extensions)
 * read journals with the keys the string-keyed planners wrote (checked in as journal-v1-pg-container.json,
 * journal-v1-pg-upgrade.json and journal-v1-pg-other.json), and a step planned from each record has those very keys and command line.
 */
class PgContainerStepParamsTest {
    private static final Map<String, Class<? extends StepParams>> TYPES = Map.ofEntries(
            Map.entry("pg-prepare-copy", PgMoveSteps.PgPrepareCopy.class),
            Map.entry("pg-container-start", PgMoveSteps.PgContainerStart.class),
            Map.entry("pg-move-globals", PgMoveSteps.PgMoveGlobals.class), Map.entry("pg-dump-db", PgMoveSteps.PgDumpDb.class),
            Map.entry("pg-compare", PgMoveSteps.PgCompare.class),
            Map.entry("container-stop", ContainerSteps.ContainerStop.class),
            Map.entry("pg-analyze", PgMoveSteps.PgAnalyze.class), Map.entry("pg-initdb", PgUpgradeSteps.PgInitDb.class),
            Map.entry("pg-upgrade", PgUpgradeSteps.PgUpgrade.class),
            Map.entry("pg-post-upgrade", PgUpgradeSteps.PgPostUpgrade.class),
            Map.entry("pg-clean-attver", PgAttver.PgCleanAttver.class), Map.entry("pg-config", PgConfigStep.PgConfig.class),
            Map.entry("pg-collations", PgCollationStep.PgCollationsParams.class),
            Map.entry("pg-extensions", PgExtensionUpdate.PgExtensions.class));

    static List<Step> steps(String resource) throws IOException {
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = PgContainerStepParamsTest.class.getResourceAsStream(resource)) {
            return json.readValue(in, Journal.Data.class).plan.steps();
        }
    }

    static PlanContext planContext() {
        RecoveryRequest req = new RecoveryRequest(Path.of("/BACKUP"), List.of("x"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 2, true, false);
        return new PlanContext(req, "x", 1);
    }

    @Test
    void aStepPlannedFromEachRecordHasTheKeysAndCommandLineOfVersionOne() throws IOException {
        List<Step> v1 = steps("journal-v1-pg-container.json");
        assertThat(v1).extracting(Step::kind).containsExactly("pg-prepare-copy", "pg-container-start", "pg-move-globals",
                "pg-dump-db", "pg-dump-db", "pg-compare", "container-stop", "pg-analyze");
        replan(v1);
    }

    @Test
    void theUpgradePathsStepsPlannedFromRecordsHaveTheKeysAndCommandLinesOfVersionOne() throws IOException {
        List<Step> v1 = steps("journal-v1-pg-upgrade.json");
        assertThat(v1).extracting(Step::kind).containsExactly("pg-prepare-copy", "pg-initdb", "pg-upgrade", "pg-upgrade",
                "pg-post-upgrade", "pg-analyze");
        replan(v1);
        PgUpgradeSteps.PgUpgrade link = v1.get(3).params(PgUpgradeSteps.PgUpgrade.class);
        assertThat(link.check()).isFalse();
        assertThat(link.newCluster()).isEqualTo(Path.of("/srv/pg/dbrescue-stage/new"));
        assertThat(link.localAuth()).isEqualTo("peer");
        assertThat(v1.get(2).params(PgUpgradeSteps.PgUpgrade.class).check()).isTrue();
        assertThat(v1.get(1).params(PgUpgradeSteps.PgInitDb.class).workDir()).isEqualTo(Path.of("/srv/pg/dbrescue-stage"));
        PgUpgradeSteps.PgPostUpgrade post = v1.get(4).params(PgUpgradeSteps.PgPostUpgrade.class);
        assertThat(post.login().socket()).isNull();
        assertThat(post.databases()).containsExactly("postgres", "shop");
        assertThat(v1.get(0).params(PgMoveSteps.PgPrepareCopy.class).preload()).isNull();
    }

    @Test
    void theOtherKindsPlannedFromRecordsHaveTheKeysAndCommandLinesOfVersionOne() throws IOException {
        List<Step> v1 = steps("journal-v1-pg-other.json");
        assertThat(v1).extracting(Step::kind).containsExactly("pg-clean-attver", "pg-clean-attver", "pg-config",
                "pg-collations", "pg-extensions");
        replan(v1);
        PgAttver.PgCleanAttver onServer = v1.get(0).params(PgAttver.PgCleanAttver.class);
        assertThat(onServer.port()).isEqualTo(55432);
        assertThat(onServer.sql()).isEqualTo(PgAttver.CLEAN);
        PgAttver.PgCleanAttver single = v1.get(1).params(PgAttver.PgCleanAttver.class);
        assertThat(single.port()).isNull();
        assertThat(single.argv("shop")).endsWith("/srv/stage/old", "shop");
        PgConfigStep.PgConfig config = v1.get(2).params(PgConfigStep.PgConfig.class);
        assertThat(config.facts().port()).isEqualTo(5433);
        assertThat(config.facts().keep()).containsExactly(Map.entry("cluster_name", "15/main"));
        assertThat(v1.get(3).params(PgCollationStep.PgCollationsParams.class).state())
                .isEqualTo(PgCollations.State.CHANGED);
        assertThat(v1.get(4).params(PgExtensionUpdate.PgExtensions.class).login().peer()).isEqualTo("postgres");
    }

    /** Each step planned again from the record it reads as: the same kind, keys and command line. */
    private static void replan(List<Step> v1) {
        PlanContext ctx = planContext();
        for (Step old : v1) {
            StepParams p = old.params(TYPES.get(old.kind()));
            Step now = ctx.step(p, old.title()).add();
            assertThat(now.kind()).isEqualTo(old.kind());
            assertThat(now.params()).as(old.kind()).isEqualTo(old.params());
            // podman's own path is this machine's: the rest of container-stop's command line is the record's
            List<String> argv = old.kind().equals("container-stop") ? now.argv().subList(1, now.argv().size()) : now.argv();
            assertThat(argv).as(old.kind())
                    .isEqualTo(old.kind().equals("container-stop") ? old.argv().subList(1, 5) : old.argv());
        }
    }

    @Test
    void theRecordsReadTheValuesAVersionOneJournalWrote() throws IOException {
        List<Step> v1 = steps("journal-v1-pg-container.json");
        PgMoveSteps.PgContainerStart start = v1.get(1).params(PgMoveSteps.PgContainerStart.class);
        assertThat(start.port()).isEqualTo(55432);
        assertThat(start.readySeconds()).isEqualTo(8640);
        assertThat(start.holds()).isEqualTo("dbrescue-r1");
        assertThat(v1.get(2).params(PgMoveSteps.PgMoveGlobals.class).login()).isEqualTo(new PgRestoreTarget.Login(
                "127.0.0.1", 5433, "postgres", "/var/run/postgresql", "postgres", "PGPASSWORD"));
        assertThat(v1.get(3).params(PgMoveSteps.PgDumpDb.class).emptyMarker())
                .isEqualTo(Path.of("/var/lib/dbrescue/work/r1/dumps/postgres.empty"));
        assertThat(v1.get(4).params(PgMoveSteps.PgDumpDb.class).emptyMarker()).isNull();
        assertThat(v1.get(5).params(PgMoveSteps.PgCompare.class).databases())
                .containsExactly(Map.entry("postgres", "postgres"), Map.entry("shop", "shop_old"));
        PgMoveSteps.PgAnalyze analyze = v1.get(7).params(PgMoveSteps.PgAnalyze.class);
        assertThat(analyze.argv("shop_old")).endsWith("-d", "shop_old");
        assertThat(analyze.databases()).containsExactly("postgres", "shop_old");
        assertThat(v1.get(6).params(ContainerSteps.ContainerStop.class)).isEqualTo(new ContainerSteps.ContainerStop(
                "dbrescue-r1"));
    }

    @Test
    void theExecutorsOfTheContainerPathReadTheirRecords() {
        Map<String, io.dbrescue.run.StepExecutor> pg = PgStepKinds.executors();
        for (String kind : TYPES.keySet()) {
            io.dbrescue.run.StepExecutor e = kind.equals("container-stop") ? ContainerSteps.stop() : pg.get(kind);
            assertThat(e).as(kind).isInstanceOf(TypedStep.class);
            assertThat(((TypedStep<?>) e).paramsType()).as(kind).isEqualTo(TYPES.get(kind));
        }
    }
}
