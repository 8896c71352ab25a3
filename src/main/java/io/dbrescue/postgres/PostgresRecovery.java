package io.dbrescue.postgres;

import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.run.StepExecutor;

import io.dbrescue.plan.Sandbox;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/** PostgreSQL's part of recoveries: its planner and the executors of its own step kinds. */
public final class PostgresRecovery implements EngineRecovery {
    @Override
    public List<EnginePlanner> planners() {
        return List.of(new PostgresPlanner());
    }

    @Override
    public Map<String, StepExecutor> executors() {
        Map<String, StepExecutor> all = new java.util.HashMap<>(Map.of("pg-stop", new PgDirectSteps.Stop(),
                "pg-start", new PgDirectSteps.Start(), "pg-create-db", new PgRestoreSteps.CreateDatabase(),
                "pg-drop-db", new PgRestoreSteps.DropDatabase(), "pg-restore", new PgRestoreSteps.Restore(),
                "pg-verify", new PgVerifyStep()));
        all.put("pg-config", new PgConfigStep());
        all.put("pg-extensions", new PgExtensionUpdate());
        all.put("pg-collations", new PgCollationStep());
        all.put("pg-clean-attver", new PgAttver.Clean());
        all.putAll(PgMoveSteps.all());
        all.putAll(PgUpgradeSteps.all());
        return all;
    }

    @Override
    public Optional<Sandbox> sandbox(Finding finding, Target target, TargetOptions options, Path workDir)
            throws Exception {
        return Optional.of(PgSandbox.create(finding, target, options, workDir));
    }
}
