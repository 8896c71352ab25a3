package io.dbrescue.elevate;

import io.dbrescue.postgres.PostgresRecovery;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.StepExecutor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A root step's undo goes to the helper only when its executor has one: typed executors ({@code TypedStep}) undo
 * through their record's method, so the check looks there — a typed kind without undo (remove, exec, pg-verify) asks
 * for no second password dialog, one with undo (copy-tree, pg-stop) still gets it.
 */
class ElevatedUndoTest {
    @Test
    void typedExecutorsUndoOnlyWhenTheyHaveAnUndo() {
        Map<String, StepExecutor> basic = BasicSteps.all();
        assertThat(ElevatedExecutor.overrides(basic.get("remove"), "undo")).isFalse();
        assertThat(ElevatedExecutor.overrides(basic.get("exec"), "undo")).isFalse();
        assertThat(ElevatedExecutor.overrides(basic.get("copy-tree"), "undo")).isTrue();
        assertThat(ElevatedExecutor.overrides(basic.get("move-aside"), "undo")).isTrue();
        Map<String, StepExecutor> pg = new PostgresRecovery().executors();
        assertThat(ElevatedExecutor.overrides(pg.get("pg-verify"), "undo")).isFalse();
        assertThat(ElevatedExecutor.overrides(pg.get("pg-stop"), "undo")).isTrue();
        assertThat(ElevatedExecutor.overrides(pg.get("pg-stop"), "release")).isFalse();
    }

    @Test
    void untypedExecutorsAreAskedAsBefore() {
        StepExecutor runOnly = (step, ctx) -> { };
        assertThat(ElevatedExecutor.overrides(runOnly, "undo")).isFalse();
        assertThat(ElevatedExecutor.overrides(runOnly, "release")).isFalse();
    }
}
