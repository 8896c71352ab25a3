package io.dbrescue.mysql;

import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.TypedStep;
import io.dbrescue.testing.StepRecords;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The typed MySQL/MariaDB steps against plan-before-typed-dump.json, a plan --json of the jar from before the
 * records: a dump restored over TCP into MariaDB 10.11, replacing an existing database (safety dump, drop,
 * restore, verify). Every step planned again from its record has the same keys, values and command line.
 */
class MySqlStepParamsTest {
    private static final Map<String, Class<? extends StepParams>> TYPES = Map.of(
            "mysql-safety-dump", MySqlSteps.MySqlSafetyDump.class, "mysql-drop", MySqlSteps.MySqlDrop.class,
            "mysql-restore", MySqlSteps.MySqlRestore.class, "mysql-verify", MySqlSteps.MySqlVerify.class);

    @Test
    void stepsPlannedFromRecordsMatchThePlanOfTheStringKeyedVersion() throws IOException {
        List<Step> before = StepRecords.steps(getClass(), "plan-before-typed-dump.json");
        assertThat(before).extracting(Step::kind).containsExactly("mysql-safety-dump", "mysql-drop", "mysql-restore",
                "mysql-verify");
        StepRecords.assertRebuilds(before, TYPES);
    }

    @Test
    void recordsReadTheLoginAndValuesTheOldPlanWrote() throws IOException {
        List<Step> before = StepRecords.steps(getClass(), "plan-before-typed-dump.json");
        MySqlSteps.MySqlRestore restore = before.get(2).params(MySqlSteps.MySqlRestore.class);
        MySqlSteps.Login login = new MySqlSteps.Login(null, "127.0.0.1", 13391, null, "root");
        assertThat(restore.login()).isEqualTo(login);
        assertThat(restore.dump()).isEqualTo(Path.of("/tmp/to-maria/bk/home/u/shop.sql"));
        assertThat(restore.createFirst()).isNull();
        assertThat(restore.leaveOut()).isNull();
        MySqlSteps.MySqlDrop drop = before.get(1).params(MySqlSteps.MySqlDrop.class);
        assertThat(drop.database()).isEqualTo("shop");
        assertThat(drop.argv()).isEqualTo(before.get(1).argv());
        Step verify = StepRecords.plan(new MySqlSteps.MySqlVerify(login, "shop"), "v");
        assertThat(verify.params()).isEqualTo(before.get(3).params());
        MySqlClient client = login.client(null);
        assertThat(client.port()).isEqualTo(13391);
        assertThat(new MySqlSteps.Login(null, null, null, "/run/mysqld/mysqld.sock", null).client(null).user())
                .isEqualTo("root"); // a journal without a user logs in as root, as MySqlClient.from did
        assertThat(MySqlSteps.all().get("mysql-verify")).isInstanceOf(TypedStep.class);
        assertThat(MySqlSteps.all().get("mysql-restore")).isInstanceOf(TypedStep.class);
    }
}
