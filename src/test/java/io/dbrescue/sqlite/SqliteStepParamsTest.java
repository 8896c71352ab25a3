package io.dbrescue.sqlite;

import io.dbrescue.plan.Step;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.TypedStep;
import io.dbrescue.testing.StepRecords;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite's typed steps against plan-before-typed.json, a plan --json of the jar from before the records (a file
 * with a -wal companion replacing an existing file): every step planned again from its record has the same keys,
 * values and command line, and the verify step's record reads the comma-separated companions it always wrote.
 */
class SqliteStepParamsTest {
    @Test
    void stepsPlannedFromRecordsMatchThePlanOfTheStringKeyedVersion() throws IOException {
        List<Step> before = StepRecords.steps(getClass(), "plan-before-typed.json");
        assertThat(before).extracting(Step::kind).containsExactly("move-aside", "copy-tree", "copy-tree",
                "sqlite-verify");
        StepRecords.assertRebuilds(before, Map.of("move-aside", BasicSteps.MoveAside.class,
                "copy-tree", BasicSteps.Copy.class, "sqlite-verify", SqliteSteps.SqliteVerify.class));
    }

    @Test
    void verifyRecordReadsTheKeysOfTheOldPlan() throws IOException {
        Step old = StepRecords.steps(getClass(), "plan-before-typed.json").get(3);
        SqliteSteps.SqliteVerify v = old.params(SqliteSteps.SqliteVerify.class);
        assertThat(v.source()).isEqualTo(Path.of("/tmp/to-bk/home/u/app/app.db"));
        assertThat(v.target()).isEqualTo(Path.of("/tmp/to-dest/app.db"));
        assertThat(v.companionList()).containsExactly("-wal");
        Step fresh = StepRecords.plan(new SqliteSteps.SqliteVerify(v.source(), v.target(), "-wal"), old.title());
        assertThat(fresh.params()).isEqualTo(old.params());
        assertThat(new SqliteSteps.SqliteVerify(v.source(), v.target(), "").companionList()).isEmpty();
        assertThat(SqliteSteps.all().values()).allMatch(e -> e instanceof TypedStep<?>);
    }
}
