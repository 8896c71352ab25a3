package io.dbrescue.postgres;

import io.dbrescue.plan.Check;
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
import io.dbrescue.testing.ServicePg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direct path proves its verification login against the rules the restored cluster WILL have — the old
 * pg_hba.conf carried, with the server's OS user's peer line added where it was missing — not against the backup's
 * file as it was: a scram-only old pg_hba.conf with a password-less postgres no longer means "cannot verify" (the
 * carry lets the OS user postgres in by peer), while a --target-user the carried rules only let in with a password
 * that was not given still does. Planning only: no server runs (as root, the OS user postgres exists).
 */
class PgCarriedLoginPlanTest {
    @TempDir
    Path tmp;

    private Target target() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("pg15/bin"));
        for (String p : List.of("postgres", "pg_ctl")) {
            Files.writeString(bin.resolve(p), "#!/bin/sh\necho \"" + p + " (PostgreSQL) 15.20\"\n");
            Files.setPosixFilePermissions(bin.resolve(p), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new Target(List.of(new InstalledServer(Engine.POSTGRESQL, "15.20", bin, List.of())), null, true);
    }

    private Finding finding() throws Exception {
        Path old = Files.createDirectories(tmp.resolve("backup/pg15"));
        Files.writeString(old.resolve("postgresql.conf"), "max_connections = 50\n");
        Files.writeString(old.resolve("pg_hba.conf"), "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n");
        return new Finding(Engine.POSTGRESQL, Kind.DATA_DIRECTORY).path("pg15").version("15").cleanShutdown(true)
                .databases(List.of("postgres", "crm")).detail("superuser", "postgres").detail("configPath",
                        "pg15/postgresql.conf").detail("roles", List.of("postgres", "crm_app"));
    }

    private PlanContext plan(String user) throws Exception {
        return plan(user, Secrets.NONE);
    }

    private PlanContext plan(String user, Secrets secrets) throws Exception {
        ServicePg.ensureOsUser();
        Finding f = finding();
        RecoveryRequest req = new RecoveryRequest(tmp.resolve("backup"), List.of("pg15"), Strategy.DIRECT,
                new TargetOptions(null, 54329, user, null, tmp.resolve("target/data"), "postgres"),
                RecoveryRequest.Conflict.ASK, 2, true, false, null, 3600, RecoveryRequest.DEFAULT_CHUNK_BYTES,
                Containers.DEFAULTS);
        Target target = target().withSecrets(secrets);
        Decision d = new PostgresPlanner().decide(f, Strategy.DIRECT, target, req);
        assertThat(d.strategy()).isEqualTo(Strategy.DIRECT);
        PlanContext ctx = new PlanContext(req, "pg15", 1, "RUN", secrets);
        new PostgresPlanner().plan(f, d, target, ctx);
        return ctx;
    }

    private static Check check(PlanContext ctx, String name) {
        return ctx.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + ctx.checks()));
    }

    @Test
    void aScramOnlyOldPgHbaStillVerifiesByPeerBecauseTheCarryLetsTheOwnerIn() throws Exception {
        PlanContext ctx = plan(null);
        Check verify = check(ctx, "verify-login");
        assertThat(verify.level()).as(verify.message()).isEqualTo(Check.Level.PASS);
        assertThat(verify.message()).contains("through the socket").contains("the carried pg_hba.conf ("
                + tmp.resolve("target/data/pg_hba.conf") + ") lets postgres in by peer");
        Step v = ctx.steps().stream().filter(s -> s.kind().equals("pg-verify")).findFirst().orElseThrow();
        assertThat(v.param("peer")).isEqualTo("postgres");
        assertThat(v.param("socket")).isNotEmpty();
    }

    @Test
    void aTargetUserTheCarriedRulesAskAPasswordOfIsNotVerifiedWithoutOne() throws Exception {
        PlanContext ctx = plan("crm_app");
        Check verify = check(ctx, "verify-login");
        assertThat(verify.level()).isEqualTo(Check.Level.WARN);
        assertThat(verify.message()).contains("no OS user crm_app").contains("asks crm_app for 'scram-sha-256' and no "
                + "password was given over TCP").contains("exit code 5");

        Check withPassword = check(plan("crm_app", Secrets.NONE.with(java.util.Map.of("PGPASSWORD", "crm-secret"))),
                "verify-login");
        assertThat(withPassword.level()).isEqualTo(Check.Level.PASS);
        assertThat(withPassword.message()).contains("over TCP").contains("lets crm_app in by scram-sha-256");
    }
}
