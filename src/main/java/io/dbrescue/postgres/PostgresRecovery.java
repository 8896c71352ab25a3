package io.dbrescue.postgres;

import io.dbrescue.postgres.restore.PgSandbox;
import io.dbrescue.postgres.restore.PgStepKinds;

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
        return PgStepKinds.executors();
    }

    @Override
    public Optional<Sandbox> sandbox(Finding finding, Target target, TargetOptions options, Path workDir)
            throws Exception {
        return Optional.of(PgSandbox.create(finding, target, options, workDir));
    }
}
