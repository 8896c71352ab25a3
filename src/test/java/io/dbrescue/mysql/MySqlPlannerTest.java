package io.dbrescue.mysql;

import io.dbrescue.plan.Decision;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The version rules against Debian's real MariaDB 10.11 server program (its --version is read; nothing runs). */
class MySqlPlannerTest {
    static Decision decide(Engine engine, String version) {
        Finding f = new Finding(engine, Kind.DATA_DIRECTORY).version(version).path("var/lib/mysql");
        RecoveryRequest req = new RecoveryRequest(Path.of("/nonexistent"), List.of("var/lib/mysql"), Strategy.AUTO,
                new TargetOptions(null, null, null, Path.of("/usr/sbin"), null, null), RecoveryRequest.Conflict.ASK, 1,
                true, false);
        return new MySqlPlanner().decide(f, Strategy.AUTO, new Target(List.of(), null, false), req);
    }

    @Test
    void sameMajorIsDirect() {
        assertThat(decide(Engine.MARIADB, "10.11.2").strategy()).isEqualTo(Strategy.DIRECT);
    }

    @Test
    void newerDataIsRefused() {
        Decision d = decide(Engine.MARIADB, "11.4.5");
        assertThat(d.refused()).isTrue();
        assertThat(d.reason()).contains("MariaDB 11.4.5 data is newer than the installed MariaDB 10.11");
    }

    @Test
    void olderMajorGoesThroughTheContainerStrategy() {
        Decision d = decide(Engine.MARIADB, "10.6.18");
        assertThat(d.refused()).isFalse();
        assertThat(d.strategy()).isEqualTo(Strategy.CONTAINER);
        assertThat(d.reason()).contains("MariaDB 10.6.18 data").contains("Podman container");
    }

    @Test
    void mysqlDataIntoMariaDbIsRefused() {
        Decision d = decide(Engine.MYSQL, "8.0.36");
        assertThat(d.refused()).isTrue();
        assertThat(d.reason()).contains("MySQL data cannot be started by MariaDB 10.11");
    }
}
