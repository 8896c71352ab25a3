package io.dbrescue.mongodb;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Replacement;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepKinds;
import io.dbrescue.plan.StepParams;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.TypedStep;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MongoDB's steps (and the container-image and basic steps its plans use) are records: the plans the string-keyed
 * planners wrote (checked in as plans-v1-mongo.json: a direct copy, the container chain 6.0 → 7.0 and a dump, each
 * with --on-conflict replace and a login) read as records, a step planned again from each record has the very keys
 * and command line, and what the plans replace reads the same.
 */
class MongoStepParamsTest {
    /** One saved plan: what Replacements reads, and what the planner said it replaces. */
    record Saved(String runId, List<Decision> decisions, List<Step> steps, List<Replacement> replacements) {
    }

    static Map<String, Saved> saved() throws IOException {
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = MongoStepParamsTest.class.getResourceAsStream("plans-v1-mongo.json")) {
            return json.readValue(in, json.getTypeFactory().constructMapType(Map.class, String.class, Saved.class));
        }
    }

    @Test
    void everyStepOfTheThreePathsIsPlannedAgainFromItsRecordWithTheSameKeysAndCommandLine() throws IOException {
        RecoveryRequest req = new RecoveryRequest(Path.of("/WORK/backup"), List.of("x"), Strategy.AUTO,
                TargetOptions.NONE, RecoveryRequest.Conflict.REPLACE, 2, true, false);
        Map<String, Saved> plans = saved();
        assertThat(plans.get("container").steps()).extracting(Step::kind).contains("container-image",
                "mongo-container-start", "exec", "container-stop", "mongo-tool", "remove", "copy-tree");
        assertThat(plans.get("direct").steps()).extracting(Step::kind).contains("move-aside", "copy-tree", "exec");
        for (Saved plan : plans.values()) {
            PlanContext ctx = new PlanContext(req, "x", 1);
            for (Step old : plan.steps()) {
                Class<? extends StepParams> type = StepKinds.type(old.kind()).orElse(null);
                assertThat(type).as(old.kind() + " has a record").isNotNull();
                Step now = ctx.step(old.params(type), old.title()).add();
                assertThat(now.kind()).isEqualTo(old.kind());
                assertThat(now.params()).as(old.kind()).isEqualTo(old.params());
                assertThat(withoutPodman(now.argv())).as(old.kind()).isEqualTo(withoutPodman(old.argv()));
            }
        }
    }

    /** podman's own path is this machine's: the rest of a podman command line is the record's. */
    private static List<String> withoutPodman(List<String> argv) {
        return !argv.isEmpty() && argv.get(0).endsWith("podman") ? argv.subList(1, argv.size()) : argv;
    }

    @Test
    void theRecordsReadTheValuesTheStringKeyedPlannerWrote() throws IOException {
        List<Step> chain = saved().get("container").steps();
        MongoContainerPlan.MongoContainerStart start = chain.get(3).params(MongoContainerPlan.MongoContainerStart.class);
        assertThat(start.major()).isEqualTo("6.0");
        assertThat(start.port()).isEqualTo(45667);
        assertThat(start.holds()).isEqualTo(start.name()).startsWith("dbrescue-");
        assertThat(start.readySeconds()).isZero(); // not planned: the usual two minutes
        assertThat(chain.get(8).params(MongoTool.MongoToolRun.class).passEnv()).isNull(); // the old server: no login
        MongoTool.MongoToolRun restore = chain.get(10).params(MongoTool.MongoToolRun.class);
        assertThat(restore.passEnv()).isEqualTo(MongoEngine.PASSWORD_VARIABLE);
        assertThat(restore.argv()).contains("--username", "admin", "--drop");
    }

    @Test
    void whatThePlansReplaceReadsAsTheStringKeyedPlannerSaidIt() throws IOException {
        for (Saved s : saved().values()) {
            Plan plan = new Plan(s.runId(), "now", null, s.decisions(), List.of(), s.steps());
            assertThat(plan.replacements()).isEqualTo(s.replacements()).isNotEmpty();
        }
    }

    @Test
    void mongoDbsExecutorsReadTheirRecords() {
        Map<String, StepExecutor> executors = new MongoRecovery().executors();
        assertThat(((TypedStep<?>) executors.get("mongo-tool")).paramsType()).isEqualTo(MongoTool.MongoToolRun.class);
        assertThat(((TypedStep<?>) executors.get("mongo-container-start")).paramsType())
                .isEqualTo(MongoContainerPlan.MongoContainerStart.class);
    }
}
