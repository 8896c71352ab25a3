package io.dbrescue.mysql;

import io.dbrescue.plan.Check;
import io.dbrescue.plan.Containers;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Secrets;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.machine.TargetOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-place upgrades by the projects' documented rules, at the plan level (no MySQL server can run here):
 * MySQL goes one series at a time (5.7.9+ to 8.0, 8.0 to 8.4, 8.4 to 9.x; 5.6 to 8.0 is not possible in place)
 * and 8.0.16+ upgrades its data itself on start; MariaDB goes from any 10.x/11.x to a newer series with its
 * mariadb-upgrade, but not after a crash. The target is a MySqlTarget as the planner would have asked it.
 */
class MySqlInPlaceRulesTest {
    @TempDir
    Path backup;

    @Test
    void mysqlGoesOneSeriesAtATime() {
        assertThat(MySqlUpgradeRules.whyNot(false, "5.7.44", "8.0.36", true)).isNull();
        assertThat(MySqlUpgradeRules.whyNot(false, "8.0.36", "8.4.3", true)).isNull();
        assertThat(MySqlUpgradeRules.whyNot(false, "8.4.3", "9.1.0", true)).isNull();
        assertThat(MySqlUpgradeRules.whyNot(false, "5.6.51", "8.0.36", true)).contains("5.6 goes to 5.7 first");
        assertThat(MySqlUpgradeRules.whyNot(false, "5.7.8", "8.0.36", true)).contains("only from 5.7.9 on");
        assertThat(MySqlUpgradeRules.whyNot(false, "5.7.44", "8.4.3", true)).contains("one series at a time");
        assertThat(MySqlUpgradeRules.whyNot(false, "8.0.36", "9.1.0", true)).contains("one series at a time");
        assertThat(MySqlUpgradeRules.whyNot(false, "5.7.44", "8.0.36", false)).contains("not shut down cleanly");
        assertThat(MySqlUpgradeRules.serverUpgradesItself(false, "8.0.16")).isTrue();
        assertThat(MySqlUpgradeRules.serverUpgradesItself(false, "8.0.15")).isFalse();
        assertThat(MySqlUpgradeRules.serverUpgradesItself(true, "11.4.5")).isFalse();
    }

    @Test
    void mariaDbGoesToAnyNewerSeriesButNotAfterACrash() {
        assertThat(MySqlUpgradeRules.whyNot(true, "10.5.23", "10.11.19", true)).isNull();
        assertThat(MySqlUpgradeRules.whyNot(true, "10.3.39", "11.4.5", null)).as("unknown: the start on the copy tells")
                .isNull();
        assertThat(MySqlUpgradeRules.whyNot(true, "10.11.19", "11.4.5", false)).contains("not shut down cleanly");
        assertThat(MySqlUpgradeRules.whyNot(true, "5.5.68", "10.11.19", true)).contains("predates MariaDB 10");
        assertThat(MySqlUpgradeRules.whyNot(true, "10.11.19", "10.11.20", true)).contains("not newer");
    }

    static MySqlTarget mysql80(List<String> databases) {
        MySqlClient conn = new MySqlClient(null, null, null, "/run/mysqld/mysqld.sock", "root", Secrets.NONE);
        return new MySqlTarget(conn, new MySqlClient.ServerVersion(false, "8.0.36"), Path.of("/var/lib/mysql"),
                Path.of("/usr"), Path.of("/usr/lib/mysql/plugin"), MySqlSettings.of("0", "16384", "utf8mb4",
                "utf8mb4_0900_ai_ci", "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES"), databases,
                new MySqlTarget.ServerProcessInfo(4242, Path.of("/usr/sbin/mysqld"), List.of("/usr/sbin/mysqld",
                        "--daemonize", "--pid-file=/run/mysqld/mysqld.pid"), "mysql"));
    }

    Finding data(String version) {
        return new Finding(Engine.MYSQL, Kind.DATA_DIRECTORY).path("var/lib/mysql").version(version)
                .cleanShutdown(true).sizeBytes(1 << 20).databases(List.of("shop")).detail("innodbPageSize", 16384);
    }

    RecoveryRequest request(Containers.UpgradeMethod method) {
        return new RecoveryRequest(backup, List.of("var/lib/mysql"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 1, true, false, null, 3600, 1 << 20,
                Containers.DEFAULTS.withMethod(method));
    }

    @Test
    void mysql57IntoAnEmpty80IsUpgradedInPlaceByTheServerItself() {
        Finding f = data("5.7.44");
        RecoveryRequest req = request(Containers.UpgradeMethod.AUTO);
        MySqlSettings old = MySqlSettings.ofBackup(f, backup);
        MySqlUpgradeChoice how = MySqlUpgradeChoice.choose(f, mysql80(List.of("mysql", "sys")), old, req);
        assertThat(how.inPlace()).as(how.reason()).isTrue();
        assertThat(how.upgrader()).as("8.0.16+ upgrades on start: no mysql_upgrade").isNull();
        assertThat(how.reason()).contains("upgrades it itself on start").contains("holds no databases yet");

        PlanContext ctx = new PlanContext(req, f.getPath(), 1, "run-1");
        MySqlUpgradePlan.plan(f, ctx, mysql80(List.of("mysql", "sys")), how, old);
        assertThat(ctx.checks()).extracting(Check::name).contains("unverified", "in-place", "lower-case-table-names");
        assertThat(ctx.steps()).extracting(Step::kind).containsExactly("make-dir", "copy-tree", "mysql-upgrade-copy",
                "mysql-target-stop", "move-aside", "move", "mysql-target-start", "mysql-upgrade-verify", "remove",
                "mysql-verify");
        Step up = ctx.steps().get(2);
        assertThat(up.argv()).as("no upgrade program: mysqld 8.0.36 upgrades on start").isEmpty();
        assertThat(up.params()).containsEntry("program", "/usr/sbin/mysqld");
        assertThat(ctx.steps().get(6).argv()).containsExactly("/usr/sbin/mysqld", "--daemonize",
                "--pid-file=/run/mysqld/mysqld.pid");
    }

    @Test
    void mysql56Into80GoesThroughTheContainerAndSaysWhy() {
        Finding f = data("5.6.51");
        MySqlSettings old = MySqlSettings.ofBackup(f, backup);
        MySqlUpgradeChoice auto = MySqlUpgradeChoice.choose(f, mysql80(List.of()), old,
                request(Containers.UpgradeMethod.AUTO));
        assertThat(auto.inPlace()).isFalse();
        assertThat(auto.reason()).contains("runs in a Podman container").contains("5.6 goes to 5.7 first");

        RecoveryRequest forced = request(Containers.UpgradeMethod.IN_PLACE);
        MySqlUpgradeChoice how = MySqlUpgradeChoice.choose(f, mysql80(List.of()), old, forced);
        PlanContext ctx = new PlanContext(forced, f.getPath(), 1, "run-1");
        MySqlUpgradePlan.plan(f, ctx, mysql80(List.of()), how, old);
        assertThat(ctx.checks()).anySatisfy(c -> {
            assertThat(c.level()).isEqualTo(Check.Level.FAIL);
            assertThat(c.message()).contains("5.6 goes to 5.7 first");
        });
        assertThat(ctx.steps()).isEmpty();
    }

    @Test
    void aTargetWithDatabasesIsNotReplacedUnlessAsked() {
        Finding f = data("8.0.36");
        MySqlTarget t84 = new MySqlTarget(mysql80(List.of()).conn(), new MySqlClient.ServerVersion(false, "8.4.3"),
                Path.of("/var/lib/mysql"), Path.of("/usr"), Path.of("/usr/lib/mysql/plugin"),
                MySqlSettings.of("0", "16384", null, null, null), List.of("mysql", "sys", "crm"),
                mysql80(List.of()).process());
        MySqlSettings old = MySqlSettings.ofBackup(f, backup);
        MySqlUpgradeChoice auto = MySqlUpgradeChoice.choose(f, t84, old, request(Containers.UpgradeMethod.AUTO));
        assertThat(auto.inPlace()).isFalse();
        assertThat(auto.reason()).contains("holds databases already: crm").contains("--upgrade-method in-place forces it");
        assertThat(MySqlUpgradeChoice.choose(f, t84, old, request(Containers.UpgradeMethod.IN_PLACE)).inPlace()).isTrue();
    }
}
