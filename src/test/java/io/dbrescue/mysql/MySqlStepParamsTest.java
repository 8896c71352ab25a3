package io.dbrescue.mysql;

import io.dbrescue.plan.Destination;
import io.dbrescue.plan.Replacement;
import io.dbrescue.plan.Replacements;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepKinds;
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
 * The typed MySQL/MariaDB steps against plans of the string-keyed version: plan-before-typed-dump.json, a plan --json
 * of the jar from before the records (a dump restored over TCP into MariaDB 10.11, replacing an existing database:
 * safety dump, drop, restore, verify), and plans-before-typed-mysql.json (the direct, container and in-place paths,
 * see {@link MySqlPlansBeforeTypedTest}). Every step read as the record of its kind and planned again from it has the
 * same keys, values and command line (mysql-stop less its login: its one port is the server's), and every MySQL
 * executor reads the record of its kind.
 */
class MySqlStepParamsTest {
    private static final Map<String, Class<? extends StepParams>> TYPES = Map.of(
            "mysql-safety-dump", MySqlSteps.MySqlSafetyDump.class, "mysql-drop", MySqlSteps.MySqlDrop.class,
            "mysql-restore", MySqlSteps.MySqlRestore.class, "mysql-verify", MySqlSteps.MySqlVerify.class);

    /** The kinds typed after the dump path's, with the steps of the string-keyed planners in plans-before-typed-mysql.json. */
    private static final Map<String, Class<? extends StepParams>> MORE = Map.ofEntries(
            Map.entry("mysql-stop", MySqlSteps.MySqlStop.class), Map.entry("mysql-start", MySqlSteps.MySqlStart.class),
            Map.entry("mysql-verify", MySqlSteps.MySqlVerify.class),
            Map.entry("mysql-safety-dump", MySqlSteps.MySqlSafetyDump.class),
            Map.entry("mysql-drop", MySqlSteps.MySqlDrop.class), Map.entry("mysql-restore", MySqlSteps.MySqlRestore.class),
            Map.entry("mysql-container-start", MySqlMoveSteps.MySqlContainerStart.class),
            Map.entry("mysql-dump-old", MySqlMoveSteps.MySqlDumpOld.class),
            Map.entry("mysql-compare", MySqlMoveSteps.MySqlCompare.class),
            Map.entry("mysql-accounts-read", MySqlAccountSteps.MySqlAccountsRead.class),
            Map.entry("mysql-accounts-load", MySqlAccountSteps.MySqlAccountsLoad.class),
            Map.entry("mysql-upgrade-copy", MySqlUpgradeSteps.MySqlUpgradeCopy.class),
            Map.entry("mysql-target-stop", MySqlUpgradeSteps.MySqlTargetStop.class),
            Map.entry("mysql-target-start", MySqlUpgradeSteps.MySqlTargetStart.class),
            Map.entry("mysql-upgrade-verify", MySqlUpgradeSteps.MySqlUpgradeVerify.class));

    /** The MySQL steps of the direct, container and in-place plans of the string-keyed version. */
    private static List<Step> mysqlStepsBefore() throws IOException {
        return MySqlPlansBeforeTypedTest.before().values().stream().flatMap(List::stream)
                .filter(s -> s.kind().startsWith("mysql-")).toList();
    }

    @Test
    void everyKindReadFromTheStringKeyedPlanAndPlannedAgainHasItsKeysValuesAndCommandLine() throws IOException {
        List<Step> before = mysqlStepsBefore();
        assertThat(before).extracting(Step::kind).containsAll(MORE.keySet());
        for (Step old : before) {
            Step now = StepRecords.plan(old.params(MORE.get(old.kind())), old.title());
            Map<String, String> expected = new java.util.HashMap<>(old.params());
            if (old.kind().equals("mysql-stop")) {
                MySqlPlansBeforeTypedTest.STOP_LOGIN.forEach(expected::remove);
            }
            assertThat(now.kind()).isEqualTo(old.kind());
            assertThat(now.params()).as(old.kind()).isEqualTo(expected);
            assertThat(now.argv()).as(old.kind()).isEqualTo(old.argv());
        }
    }

    @Test
    void theRecordsReadTheValuesTheStringKeyedPlannersWrote() throws IOException {
        Map<String, List<Step>> before = MySqlPlansBeforeTypedTest.before();
        Step stop = first(before.get("direct"), "mysql-stop");
        MySqlSteps.MySqlStop s = stop.params(MySqlSteps.MySqlStop.class);
        assertThat(s.local().port()).as("the server's port, not the login's").isEqualTo(13306);
        assertThat(s.local().runAs()).isEqualTo("dbrescue-test");
        assertThat(s.local().service()).isNull();
        assertThat(s.argv()).contains("--socket=/run/mysqld/mysqld.sock").endsWith("shutdown");
        MySqlSteps.MySqlStart start = first(before.get("direct"), "mysql-start").params(MySqlSteps.MySqlStart.class);
        assertThat(start.local()).isEqualTo(s.local());
        assertThat(start.local().startArgv()).isEqualTo(start.argv().subList(0, start.local().startArgv().size()));

        List<Step> container = before.get("container");
        MySqlMoveSteps.MySqlContainerStart cs = first(container, "mysql-container-start")
                .params(MySqlMoveSteps.MySqlContainerStart.class);
        assertThat(cs.login().port()).isEqualTo(Integer.valueOf(MySqlPlansBeforeTypedTest.OLD_PORT));
        assertThat(cs.login().host()).isEqualTo("127.0.0.1");
        assertThat(cs.readySeconds()).isEqualTo(360);
        assertThat(cs.holds()).isEqualTo(cs.name());
        MySqlAccountSteps.MySqlAccountsRead read = first(container, "mysql-accounts-read")
                .params(MySqlAccountSteps.MySqlAccountsRead.class);
        assertThat(read.conflict()).isEqualTo(io.dbrescue.plan.RecoveryRequest.Conflict.REPLACE);
        assertThat(read.old().client(null).port()).isEqualTo(cs.login().port());
        assertThat(read.login().port()).isEqualTo(3307);
        MySqlMoveSteps.MySqlCompare cmp = first(container, "mysql-compare").params(MySqlMoveSteps.MySqlCompare.class);
        assertThat(cmp.old()).isEqualTo(new MySqlSteps.OldLogin(null, null, null, null, null));
        assertThat(MySqlMoveSteps.lines(cmp.databases())).containsExactly("shop", "crm");
        MySqlMoveSteps.MySqlDumpOld dump = first(container, "mysql-dump-old").params(MySqlMoveSteps.MySqlDumpOld.class);
        assertThat(dump.counts()).isEqualTo(cmp.oldCounts());

        List<Step> inPlace = before.get("inPlace");
        MySqlUpgradeSteps.MySqlUpgradeCopy up = first(inPlace, "mysql-upgrade-copy")
                .params(MySqlUpgradeSteps.MySqlUpgradeCopy.class);
        assertThat(up.mariadb()).isTrue();
        assertThat(up.serverArgv(true)).startsWith("/usr/sbin/mariadbd", "--no-defaults").endsWith("--skip-grant-tables");
        assertThat(up.serverArgv(false)).doesNotContain("--skip-grant-tables");
        MySqlUpgradeSteps.MySqlTargetStop ts = first(inPlace, "mysql-target-stop")
                .params(MySqlUpgradeSteps.MySqlTargetStop.class);
        assertThat(ts.pid()).isEqualTo(4242);
        assertThat(ts.target().startArgv()).containsExactly("/usr/sbin/mariadbd", "--pid-file=/run/mysqld/mysqld.pid");
        assertThat(first(inPlace, "mysql-target-start").params(MySqlUpgradeSteps.MySqlTargetStart.class).target())
                .isEqualTo(ts.target());
        assertThat(first(inPlace, "mysql-upgrade-verify").params(MySqlUpgradeSteps.MySqlUpgradeVerify.class).counts())
                .isEqualTo(up.counts());
    }

    /** What plan readers of every engine ask through roles: the container held, where it ends up, what it replaces. */
    @Test
    void theRecordsPlayTheRolesTheRunnerAndTheSummariesAsk() throws IOException {
        List<Step> container = MySqlPlansBeforeTypedTest.before().get("container");
        Step start = first(container, "mysql-container-start");
        assertThat(StepKinds.as(start, StepParams.Holds.class).map(StepParams.Holds::holds))
                .contains("dbrescue-run-1-mariadb10.5-1");
        Step safety = first(container, "mysql-safety-dump");
        Replacement r = StepKinds.as(safety, StepParams.Replaces.class).orElseThrow()
                .replacement(safety, new Replacements.Where("data-directory", Path.of("/runs/r1")));
        assertThat(r).isEqualTo(new Replacement("var/lib/mysql", "database", "shop on 127.0.0.1:3307",
                "/runs/r1/safety-shop-STAMP.sql"));
        Step verify = first(container, "mysql-verify");
        Destination d = StepKinds.as(verify, StepParams.Verifies.class).orElseThrow().destination(verify, null);
        assertThat(d.client()).as("the client program in clientBin, not the folder's name")
                .containsExactly("mariadb", "-h", "127.0.0.1", "-P", "3307", "-u", "root", "shop");
        assertThat(d.where()).isEqualTo("MariaDB/MySQL on 127.0.0.1:3307, databases shop, crm");
    }

    private static Step first(List<Step> steps, String kind) {
        return steps.stream().filter(s -> s.kind().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void everyMySqlExecutorReadsTheRecordOfItsKind() {
        Map<String, io.dbrescue.run.StepExecutor> all = new java.util.HashMap<>();
        all.putAll(MySqlSteps.all());
        all.putAll(MySqlMoveSteps.all());
        all.putAll(MySqlAccountSteps.all());
        all.putAll(MySqlUpgradeSteps.all());
        assertThat(all.keySet()).containsExactlyInAnyOrderElementsOf(MORE.keySet());
        all.forEach((kind, e) -> {
            assertThat(e).as(kind).isInstanceOf(TypedStep.class);
            assertThat(((TypedStep<?>) e).paramsType()).as(kind).isEqualTo(MORE.get(kind));
        });
    }

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
