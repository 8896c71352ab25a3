package io.dbrescue.postgres;

import io.dbrescue.plan.Decision;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The planner's rules, on findings and targets built by hand (Debian 15's real pg_restore for the version check). */
class PostgresPlannerDecideTest {
    static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");
    @TempDir
    Path backup;

    private RecoveryRequest request(TargetOptions o) {
        return new RecoveryRequest(backup, List.of("x"), Strategy.AUTO, o, RecoveryRequest.Conflict.ASK, 2, true, false);
    }

    private static Target target15() {
        return new Target(List.of(new InstalledServer(Engine.POSTGRESQL, "15.20", DEBIAN_15, List.of())), null, true);
    }

    private static Finding dataDir(String version) {
        return new Finding(Engine.POSTGRESQL, Kind.DATA_DIRECTORY).path("pg").version(version).cleanShutdown(true);
    }

    @Test
    void sameMajorIsDirectAndCopiedWhileRunningSaysOnlyTheSameMajorReplaysWal() {
        Finding f = dataDir("15").cleanShutdown(false).detail("copiedWhileRunning", true);
        Decision d = new PostgresPlanner().decide(f, Strategy.AUTO, target15(), request(TargetOptions.NONE));
        assertThat(d.strategy()).isEqualTo(Strategy.DIRECT);
        assertThat(d.reason()).contains("only PostgreSQL 15 can replay its write-ahead log");
    }

    @Test
    void olderMajorTakesTheContainerStrategyAndSaysWhichWay() {
        Decision d = new PostgresPlanner().decide(dataDir("14"), Strategy.AUTO, target15(), request(TargetOptions.NONE));
        assertThat(d.strategy()).isEqualTo(Strategy.CONTAINER);
        // no PostgreSQL 14 programs here and no upgrade image: the dump path, and why not pg_upgrade
        assertThat(d.reason()).contains("The old server runs in a Podman container on a copy")
                .contains("pg_upgrade would be faster, but needs the programs of both versions in one place");
        assertThat(d.alternatives()).anyMatch(a -> a.strategy() == Strategy.DIRECT && !a.possible());
    }

    @Test
    void theContainerStrategyIsRefusedWhenTheTargetHasTheSameMajor() {
        Decision d = new PostgresPlanner().decide(dataDir("15"), Strategy.CONTAINER, target15(), request(TargetOptions.NONE));
        assertThat(d.refused()).isTrue();
        assertThat(d.reason()).contains("no container is needed").contains("--strategy direct");
    }

    @Test
    void newerThanEveryTargetIsRefused() {
        Decision d = new PostgresPlanner().decide(dataDir("16"), Strategy.AUTO, target15(), request(TargetOptions.NONE));
        assertThat(d.refused()).isTrue();
        assertThat(d.reason()).contains("no downgrades of data directories");
    }

    @Test
    void targetBinOverridesDiscovery() {
        TargetOptions o = new TargetOptions(null, null, null, DEBIAN_15, null, null);
        Decision d = new PostgresPlanner().decide(dataDir("15"), Strategy.AUTO, new Target(List.of(), null, true), request(o));
        assertThat(d.strategy()).isEqualTo(Strategy.DIRECT);
    }

    @Test
    void dumpTooNewForTheClientHereIsStillADumpRestoreThePreflightFindsTheClient() {
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DUMP).path("d.dump").format("custom").version("17.2")
                .detail("archiveVersion", "1.16").detail("pgDumpVersion", "17.2").detail("pgRestoreNeeded", "17");
        Decision d = new PostgresPlanner().decide(f, Strategy.AUTO, target15(), request(TargetOptions.NONE));
        assertThat(d.strategy()).isEqualTo(Strategy.DUMP_RESTORE);
    }

    @Test
    void dumpIsDumpRestoreAndDirectIsRefusedForIt() {
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DUMP).path("d.sql").format("plain").version("15.20");
        PostgresPlanner p = new PostgresPlanner();
        assertThat(p.decide(f, Strategy.AUTO, target15(), request(TargetOptions.NONE)).strategy())
                .isEqualTo(Strategy.DUMP_RESTORE);
        assertThat(p.decide(f, Strategy.DIRECT, target15(), request(TargetOptions.NONE)).refused()).isTrue();
    }
}
