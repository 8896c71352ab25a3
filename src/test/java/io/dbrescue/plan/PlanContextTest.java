package io.dbrescue.plan;

import io.dbrescue.machine.TargetOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanContextTest {
    /** plan --json and the journal list a step's parameters as the planner gave them, in every run alike. */
    @Test
    void aStepKeepsItsParametersInTheOrderTheyWereGiven() {
        RecoveryRequest req = new RecoveryRequest(Path.of("/nonexistent-backup"), List.of("x"), Strategy.AUTO,
                TargetOptions.NONE, RecoveryRequest.Conflict.ASK, 1, true, false);
        PlanContext ctx = new PlanContext(req, "x", 1, "RUN");
        List<String> keys = List.of("zeta", "alpha", "mid", "beta", "omega", "gamma", "delta", "kappa", "eta", "iota");
        PlanContext.StepBuilder b = ctx.step("exec", "ordered");
        keys.forEach(k -> b.param(k, k.length()));
        Step s = b.add();
        assertThat(s.params().keySet()).containsExactlyElementsOf(keys);
    }
}
