package io.dbrescue.postgres;

import io.dbrescue.plan.Containers;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Secrets;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pg_upgrade with both versions' programs on this machine (no image): chosen by itself for an empty
 * target, planned to run as the run-as user with a short sockets folder, and the checksum, locale and
 * superuser of the old cluster carried into initdb. The programs are stand-ins that only print their
 * version: this machine has no pg_upgrade newer than 15 outside a container, so the real run of this
 * path is {@link PgUpgradeIT} (in an image).
 */
class PgUpgradeHostPlanTest {
    @TempDir
    Path tmp;

    private Path bin(String name, String version, String... programs) throws Exception {
        Path bin = tmp.resolve(name).resolve("bin");
        Files.createDirectories(bin);
        for (String p : programs) {
            Path f = bin.resolve(p);
            Files.writeString(f, "#!/bin/sh\necho \"" + p + " (PostgreSQL) " + version + "\"\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    @Test
    void bothVersionsHereMeansPgUpgradeHereAsTheRunAsUser() throws Exception {
        TestUser.ensure();
        Path oldBin = bin("pg16", "16.4", "postgres", "pg_ctl", "pg_controldata", "pg_resetwal");
        Path newBin = bin("pg18", "18.1", "postgres", "pg_ctl", "initdb", "pg_upgrade", "vacuumdb");
        Path data = tmp.resolve("target/data");
        Target target = new Target(List.of(new InstalledServer(Engine.POSTGRESQL, "16.4", oldBin, List.of()),
                new InstalledServer(Engine.POSTGRESQL, "18.1", newBin, List.of())), null, true);
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DATA_DIRECTORY).path("pg16").version("16").cleanShutdown(true)
                .databases(List.of("postgres", "shop")).detail("superuser", "alice").detail("dataChecksums", false)
                .detail("encoding", "UTF8").detail("lcCollate", "C.UTF-8").detail("lcCtype", "C.UTF-8")
                .detail("localeProvider", "libc");
        Files.createDirectories(tmp.resolve("backup/pg16"));
        RecoveryRequest req = new RecoveryRequest(tmp.resolve("backup"), List.of("pg16"), Strategy.AUTO,
                new TargetOptions(null, null, null, null, data, TestUser.NAME), RecoveryRequest.Conflict.ASK, 2, true,
                false, null, 3600, RecoveryRequest.DEFAULT_CHUNK_BYTES, Containers.DEFAULTS);

        Decision d = new PostgresPlanner().decide(f, Strategy.AUTO, target, req);
        assertThat(d.strategy()).isEqualTo(Strategy.CONTAINER);
        assertThat(d.reason()).contains("Chosen because the programs of both versions are here (" + oldBin + ", " + newBin);

        // the new cluster's superuser is alice: no OS user alice to log in as by peer, no password given — the
        // steps after the swap could not log in, so the pre-flight fails before anything is touched
        PlanContext refused = new PlanContext(req, "pg16", 1, "RUN");
        new PostgresPlanner().plan(f, d, target, refused);
        assertThat(refused.checks()).anyMatch(c -> c.level().name().equals("FAIL") && c.name().equals("login-after-upgrade")
                && c.message().contains("as alice"));
        assertThat(refused.checks().stream().filter(c -> c.level().name().equals("FAIL")).toList()).hasSize(1);

        // with alice's password of the old cluster the login is TCP + scram-sha-256 (warned: it cannot be tried first)
        req = new RecoveryRequest(tmp.resolve("backup"), List.of("pg16"), Strategy.AUTO,
                new TargetOptions(null, null, "alice", null, data, TestUser.NAME), RecoveryRequest.Conflict.ASK, 2, true,
                false, null, 3600, RecoveryRequest.DEFAULT_CHUNK_BYTES, Containers.DEFAULTS);
        Secrets alices = Secrets.environment().with(Map.of("PGPASSWORD", "alice-old-password"));
        PlanContext ctx = new PlanContext(req, "pg16", 1, "RUN", alices);
        new PostgresPlanner().plan(f, d, target.withSecrets(alices), ctx);
        assertThat(ctx.checks()).noneMatch(c -> c.level().name().equals("FAIL"));
        assertThat(ctx.checks()).anyMatch(c -> c.level().name().equals("WARN") && c.name().equals("login-after-upgrade"));
        Map<String, Step> byKind = new java.util.LinkedHashMap<>();
        ctx.steps().forEach(s -> byKind.putIfAbsent(s.kind() + (s.kind().equals("pg-upgrade") ? s.param("check") : ""), s));
        assertThat(byKind).doesNotContainKey("container-image");
        Step initdb = byKind.get("pg-initdb");
        assertThat(initdb.argv().get(0)).isEqualTo(newBin.resolve("initdb").toString());
        assertThat(initdb.argv()).contains("-U", "alice", "-E", "UTF8", "--lc-collate=C.UTF-8", "--no-data-checksums",
                "--auth-local=trust", "--auth-host=scram-sha-256");
        assertThat(initdb.param("runAs")).isEqualTo(TestUser.NAME);
        Step link = byKind.get("pg-upgradefalse");
        Path stage = data.resolveSibling("data.dbrescue-upgrade-RUN");
        assertThat(link.argv()).containsSequence("-b", oldBin.toString(), "-B", newBin.toString(), "-d",
                stage + "/old", "-D", stage + "/new", "-U", "alice");
        assertThat(link.argv()).contains("--socketdir=/tmp/dbrescue-RUN", "--link").doesNotContain("-j");
        assertThat(link.param("runAs")).isEqualTo(TestUser.NAME);
        assertThat(byKind.get("pg-upgradetrue").argv()).contains("--check");
        assertThat(ctx.steps()).anyMatch(s -> s.kind().equals("make-dir") && s.param("path").equals("/tmp/dbrescue-RUN"));
        assertThat(byKind.get("pg-analyze").argv()).contains(newBin.resolve("vacuumdb").toString(), "--missing-stats-only");
        assertThat(ctx.steps()).extracting(Step::kind).containsSubsequence("copy-tree", "pg-prepare-copy", "pg-initdb",
                "pg-upgrade", "pg-upgrade", "move", "pg-start", "pg-post-upgrade", "pg-analyze", "remove", "pg-verify");
    }

    @Test
    void aTargetReachedThroughALinkIntoTheBackupIsRefusedForPgUpgradeToo() throws Exception {
        TestUser.ensure();
        Path oldBin = bin("pg16", "16.4", "postgres", "pg_ctl", "pg_controldata", "pg_resetwal");
        Path newBin = bin("pg18", "18.1", "postgres", "pg_ctl", "initdb", "pg_upgrade", "vacuumdb");
        Path backup = Files.createDirectories(tmp.resolve("backup/pg16")).getParent();
        Path link = Files.createSymbolicLink(tmp.resolve("looks-outside"), backup);
        Target target = new Target(List.of(new InstalledServer(Engine.POSTGRESQL, "16.4", oldBin, List.of()),
                new InstalledServer(Engine.POSTGRESQL, "18.1", newBin, List.of())), null, true);
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DATA_DIRECTORY).path("pg16").version("16").cleanShutdown(true)
                .databases(List.of("postgres", "shop")).detail("superuser", "alice").detail("dataChecksums", false)
                .detail("encoding", "UTF8").detail("lcCollate", "C.UTF-8").detail("lcCtype", "C.UTF-8")
                .detail("localeProvider", "libc");
        // alice with her password of the old cluster: the later logins pass the pre-flight (with a warning)
        RecoveryRequest req = new RecoveryRequest(backup, List.of("pg16"), Strategy.AUTO,
                new TargetOptions(null, null, "alice", null, link.resolve("pg18"), TestUser.NAME),
                RecoveryRequest.Conflict.ASK, 2, true, false, null, 3600, RecoveryRequest.DEFAULT_CHUNK_BYTES,
                Containers.DEFAULTS);
        io.dbrescue.plan.Plan plan = io.dbrescue.Engines.planner().plan(req, new io.dbrescue.scan.ScanResult(
                backup.toString(), List.of(f), List.of(), new io.dbrescue.scan.ScanStats(1, 1, 0)),
                target.withSecrets(Secrets.environment().with(Map.of("PGPASSWORD", "alice-old-password"))));
        assertThat(plan.steps()).extracting(Step::kind).contains("pg-upgrade", "move");
        io.dbrescue.plan.Check first = plan.checks().get(0);
        assertThat(first.name()).as(plan.checks().toString()).isEqualTo("backup-read-only");
        assertThat(first.level().name()).isEqualTo("FAIL");
        assertThat(first.message()).contains(link.resolve("pg18").toString()).contains("(that is " + backup.resolve("pg18"))
                .contains("dbrescue-upgrade-");
        assertThat(first.fix()).contains("outside " + backup);
    }

    /** initdb and pg_upgrade paste folders into /bin/sh strings: $ ` " \ in them fail the pre-flight; spaces do not. */
    @Test
    void foldersAShellWouldActOnFailThePreflightNamingPathAndCharacters() throws Exception {
        TestUser.ensure();
        Path oldBin = bin("pg16 $(x)", "16.4", "postgres", "pg_ctl", "pg_controldata", "pg_resetwal");
        Path newBin = bin("pg18 'ok'", "18.1", "postgres", "pg_ctl", "initdb", "pg_upgrade", "vacuumdb");
        Path data = tmp.resolve("My Passport \"q\"/data");
        PlanContext ctx = plan(oldBin, newBin, data);
        List<String> fails = ctx.checks().stream().filter(c -> c.level().name().equals("FAIL"))
                .map(c -> c.name() + ": " + c.message() + " / " + c.fix()).toList();
        assertThat(fails).hasSize(2);
        assertThat(fails.get(0)).startsWith("shell-safe-path: The working folder next to the target data directory "
                + data.getParent()).contains("contains \": pg_upgrade passes it to /bin/sh")
                .contains("Choose a folder without $ ` \" \\ or line breaks, for --target-data, or use the dump path");
        assertThat(fails.get(1)).startsWith("shell-safe-path: The folder of PostgreSQL's old programs " + oldBin)
                .contains("contains $:");
        Step start = ctx.steps().stream().filter(s -> s.kind().equals("pg-start")).findFirst().orElseThrow();
        assertThat(start.argv()).startsWith(newBin.resolve("postgres").toString(), "-D", data.toString());
    }

    private PlanContext plan(Path oldBin, Path newBin, Path data) throws Exception {
        Target target = new Target(List.of(new InstalledServer(Engine.POSTGRESQL, "16.4", oldBin, List.of()),
                new InstalledServer(Engine.POSTGRESQL, "18.1", newBin, List.of())), null, true);
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DATA_DIRECTORY).path("pg16").version("16").cleanShutdown(true)
                .databases(List.of("postgres", "shop")).detail("superuser", "alice").detail("dataChecksums", false);
        Files.createDirectories(tmp.resolve("backup/pg16"));
        RecoveryRequest req = new RecoveryRequest(tmp.resolve("backup"), List.of("pg16"), Strategy.AUTO,
                new TargetOptions(null, null, null, null, data, TestUser.NAME), RecoveryRequest.Conflict.ASK, 2, true,
                false, null, 3600, RecoveryRequest.DEFAULT_CHUNK_BYTES, Containers.DEFAULTS);
        Decision d = new PostgresPlanner().decide(f, Strategy.AUTO, target, req);
        // the later logins: alice's password (a warning)
        Secrets alices = Secrets.environment().with(Map.of("PGPASSWORD", "alice-old-password"));
        PlanContext ctx = new PlanContext(req, "pg16", 1, "RUN", alices);
        new PostgresPlanner().plan(f, d, target.withSecrets(alices), ctx);
        return ctx;
    }
}
