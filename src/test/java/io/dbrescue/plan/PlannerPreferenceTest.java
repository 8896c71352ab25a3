package io.dbrescue.plan;

import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.ScanStats;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** preferred_migration_strategy: with AUTO, the preferred strategy wins when it is one of the possible ones. */
class PlannerPreferenceTest {
    /** A stand-in engine planner for which both direct and dump-restore would work, direct first. */
    static final EnginePlanner BOTH = new EnginePlanner() {
        @Override
        public boolean handles(Finding finding) {
            return true;
        }

        @Override
        public Decision decide(Finding f, Strategy requested, Target target, RecoveryRequest request) {
            Strategy s = requested == Strategy.AUTO ? Strategy.DIRECT : requested;
            return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), s, "chosen: " + s.id(),
                    List.of(new Decision.Alternative(Strategy.DIRECT, true, "works"),
                            new Decision.Alternative(Strategy.DUMP_RESTORE, true, "works too"),
                            new Decision.Alternative(Strategy.CONTAINER, false, "not here")));
        }

        @Override
        public void plan(Finding finding, Decision decision, Target target, PlanContext ctx) {
        }
    };

    private static Decision decide(Strategy preferred) {
        Finding f = new Finding(Engine.SQLITE, Kind.SQLITE_FILE).path("a.db").version("3");
        ScanResult scan = new ScanResult("/b", List.of(f), List.of(), new ScanStats(1, 1, 0));
        RecoveryRequest req = new RecoveryRequest(Path.of("/b"), List.of("a.db"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 1, true, false, preferred, 60, 1 << 20);
        return new Planner(List.of(BOTH)).plan(req, scan, new Target(List.of(), null, false)).decisions().get(0);
    }

    @Test
    void thePreferredStrategyIsTakenWhenPossible() {
        assertThat(decide(null).strategy()).isEqualTo(Strategy.DIRECT);
        assertThat(decide(Strategy.DUMP_RESTORE).strategy()).isEqualTo(Strategy.DUMP_RESTORE);
        assertThat(decide(Strategy.DUMP_RESTORE).reason()).contains("preferred_migration_strategy");
        assertThat(decide(Strategy.CONTAINER).strategy()).as("not possible: ignored").isEqualTo(Strategy.DIRECT);
    }

    @Test
    void anUnknownSelectionSaysWhatTheScanFound() {
        Finding f = new Finding(Engine.SQLITE, Kind.SQLITE_FILE).path("a.db");
        ScanResult scan = new ScanResult("/b", List.of(f), List.of(), new ScanStats(1, 1, 0));
        RecoveryRequest req = new RecoveryRequest(Path.of("/b"), List.of("b.db"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 1, true, false);
        assertThatThrownBy(() -> new Planner(List.of(BOTH)).plan(req, scan, new Target(List.of(), null, false)))
                .isInstanceOf(Planner.UnknownSelection.class).hasMessageContaining("a.db");
    }
}
