package io.dbrescue.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.plan.Strategy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that typed steps keep what string-keyed steps wrote: the steps of a plan --json made by the jar from
 * before the records (a test resource), each read as the record of its kind and planned again from it, must have
 * the same kind, keys, values and command line.
 */
public final class StepRecords {
    private StepRecords() {
    }

    /** The steps of a checked-in plan --json ({"steps": [...]}) next to the test class. */
    public static List<Step> steps(Class<?> near, String resource) throws IOException {
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = near.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return json.readValue(in, Steps.class).steps;
        }
    }

    /** The step planned again from its record (by the kind's class in types) equals the one the old jar planned. */
    public static void assertRebuilds(List<Step> before, Map<String, Class<? extends StepParams>> types) {
        assertThat(before).isNotEmpty();
        for (Step old : before) {
            Class<? extends StepParams> type = types.get(old.kind());
            assertThat(type).as("a record for " + old.kind()).isNotNull();
            Step now = plan(old.params(type), old.title());
            assertThat(now.kind()).as(old.title()).isEqualTo(old.kind());
            assertThat(now.params()).as(old.title()).isEqualTo(old.params());
            assertThat(now.argv()).as(old.title()).isEqualTo(old.argv());
        }
    }

    /** One step planned from a record, as a planner does. */
    public static Step plan(StepParams params, String title) {
        RecoveryRequest req = new RecoveryRequest(Path.of("/BACKUP"), List.of("x"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 2, true, false);
        return new PlanContext(req, "x", 1).step(params, title).add();
    }

    /** The part of a plan this test reads. */
    public static final class Steps {
        public List<Step> steps;
    }
}
