package io.dbrescue.plan;

import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.ScanStats;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the user said about one engine's server reaches the findings of that engine only. */
class PlannerPerServerTest {
    @Test
    void eachFindingSeesItsOwnServersOptionsOnly() {
        Map<String, TargetOptions> seenByDecide = new java.util.HashMap<>();
        Map<String, TargetOptions> seenByTarget = new java.util.HashMap<>();
        Map<String, TargetOptions> seenByPlan = new java.util.HashMap<>();
        EnginePlanner recording = new EnginePlanner() {
            @Override
            public boolean handles(Finding finding) {
                return true;
            }

            @Override
            public Decision decide(Finding f, Strategy requested, Target target, RecoveryRequest request) {
                seenByDecide.put(f.getPath(), request.target());
                seenByTarget.put(f.getPath(), target.options());
                return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), null, Strategy.DUMP_RESTORE, "ok",
                        List.of());
            }

            @Override
            public void plan(Finding finding, Decision decision, Target target, PlanContext ctx) {
                seenByPlan.put(finding.getPath(), ctx.request().target());
            }
        };
        List<Finding> findings = List.of(new Finding(Engine.POSTGRESQL, Kind.DUMP).path("shop.dump"),
                new Finding(Engine.REDIS, Kind.RDB).path("dump.rdb"),
                new Finding(Engine.SQLITE, Kind.SQLITE_FILE).path("notes.db"));
        ScanResult scan = new ScanResult("/b", findings, List.of(), new ScanStats(3, 1, 0));
        Map<Engine, TargetOptions> servers = new EnumMap<>(Engine.class);
        servers.put(Engine.POSTGRESQL, new TargetOptions(null, 5433, "alex", null, null, null));
        servers.put(Engine.SQLITE, new TargetOptions(null, null, null, null, Path.of("/srv/files"), null, true));
        TargetOptions common = new TargetOptions(null, null, null, null, null, "dbuser");
        RecoveryRequest req = new RecoveryRequest(Path.of("/b"), List.of("shop.dump", "dump.rdb", "notes.db"),
                Strategy.AUTO, common, RecoveryRequest.Conflict.ASK, 1, true, false, null, 60, 1 << 20,
                Containers.DEFAULTS, servers);
        Plan plan = new Planner(List.of(recording)).plan(req, scan, new Target(List.of(), null, false));

        assertThat(seenByDecide.get("shop.dump").port()).isEqualTo(5433);
        assertThat(seenByDecide.get("shop.dump").user()).isEqualTo("alex");
        assertThat(seenByDecide.get("shop.dump").dataDir()).isNull();
        assertThat(seenByDecide.get("shop.dump").runAs()).as("what holds for all stays").isEqualTo("dbuser");
        assertThat(seenByTarget.get("shop.dump").port()).as("the target the planner looks at, too").isEqualTo(5433);
        assertThat(seenByPlan.get("shop.dump").port()).isEqualTo(5433);
        assertThat(seenByDecide.get("dump.rdb")).as("nothing said about Redis").isEqualTo(common);
        assertThat(seenByPlan.get("dump.rdb").dataDir()).isNull();
        assertThat(seenByDecide.get("notes.db").dataDir()).isEqualTo(Path.of("/srv/files"));
        assertThat(seenByDecide.get("notes.db").dataIsFolder()).isTrue();
        assertThat(seenByDecide.get("notes.db").port()).isNull();
        assertThat(plan.request()).as("the plan keeps the whole request").isSameAs(req);
    }
}
