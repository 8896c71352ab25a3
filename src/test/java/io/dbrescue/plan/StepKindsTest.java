package io.dbrescue.plan;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The step kinds' records as plans of every engine are read with: the engines' table is found, and a record that
 * carries a holds / releases component says so through its role, since the runner asks only the role (a container
 * start that did not would not be started again on resume, and the steps after it would find no server).
 */
class StepKindsTest {
    @Test
    void theEnginesKindsAreKnown() {
        for (String kind : List.of("move-aside", "copy-tree", "exec", "remove", "container-image", "container-stop",
                "container-locales", "pg-container-start", "mongo-container-start", "mongo-tool", "pg-verify",
                "sqlite-verify", "redis-verify")) {
            assertThat(StepKinds.type(kind)).as(kind).isPresent();
        }
        assertThat(StepKinds.type("no-such-kind")).isEmpty();
    }

    @Test
    void everyRecordWithAHoldOrAReleaseSaysSoThroughItsRole() {
        assertThat(StepKinds.kinds()).hasSizeGreaterThan(30);
        for (String kind : StepKinds.kinds()) {
            StepKinds.type(kind).ifPresent(type -> {
                List<String> names = Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toList();
                if (names.contains("holds")) {
                    assertThat(StepParams.Holds.class.isAssignableFrom(type)).as(kind + " holds").isTrue();
                }
                if (names.contains("releases")) {
                    assertThat(StepParams.Releases.class.isAssignableFrom(type)).as(kind + " releases").isTrue();
                }
            });
        }
    }
}
