package io.dbrescue.container;

import io.dbrescue.machine.TargetOptions;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepKinds;
import io.dbrescue.plan.StepParams;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.TypedStep;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * container-image and container-locales are records: steps with the keys the string-keyed planners wrote (image;
 * image, tag, locales as a JSON object in its order, containerfile) read as them, and a step planned again from the
 * record has those very keys and command line; their executors read the records.
 */
class ContainerStepParamsTest {
    private static Step v1(String kind, List<String> argv, Map<String, String> params) {
        return new Step("1.1", "x", kind, "title", argv, "", "", 0, false, "", params);
    }

    private static Step replan(Step old) {
        RecoveryRequest req = new RecoveryRequest(Path.of("/BACKUP"), List.of("x"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 2, true, false);
        Class<? extends StepParams> type = StepKinds.type(old.kind()).orElseThrow();
        return new PlanContext(req, "x", 1).step(old.params(type), old.title()).add();
    }

    @Test
    void theImageStepReadsAndIsPlannedWithItsKeys() {
        Step old = v1("container-image", List.of(Podman.command(), "pull", "docker.io/library/postgres:9.6"),
                Map.of("image", "docker.io/library/postgres:9.6"));
        assertThat(old.params(ContainerSteps.ContainerImage.class).image()).isEqualTo("docker.io/library/postgres:9.6");
        Step now = replan(old);
        assertThat(now.params()).isEqualTo(old.params());
        assertThat(now.argv()).isEqualTo(old.argv());
    }

    @Test
    void theLocaleStepReadsAndIsPlannedWithItsKeysAndTheLocalesInTheirOrder() {
        List<String> argv = LocaleBuild.buildArgv("localhost/dbrescue-locales-ab12", "/usr/bin/podman",
                "/state/runs/R/image-ab12", true);
        Step old = v1("container-locales", argv, Map.of("image", "docker.io/library/postgres:9.6",
                "tag", "localhost/dbrescue-locales-ab12", "locales", "{\"sv_SE.UTF-8\":\"UTF-8\",\"de_DE\":\"ISO-8859-1\"}",
                "containerfile", "FROM docker.io/library/postgres:9.6\nUSER 0"));
        LocaleBuild.ContainerLocales p = old.params(LocaleBuild.ContainerLocales.class);
        assertThat(p.locales()).containsExactly(Map.entry("sv_SE.UTF-8", "UTF-8"), Map.entry("de_DE", "ISO-8859-1"));
        assertThat(p.argv()).isEqualTo(argv);
        Step now = replan(old);
        assertThat(now.params()).isEqualTo(old.params());
        assertThat(now.argv()).isEqualTo(argv);
    }

    @Test
    void theExecutorsReadTheRecords() {
        assertThat(((TypedStep<?>) ContainerSteps.image()).paramsType()).isEqualTo(ContainerSteps.ContainerImage.class);
        assertThat(((TypedStep<?>) LocaleBuild.executor()).paramsType()).isEqualTo(LocaleBuild.ContainerLocales.class);
    }
}
