package io.dbrescue.sqlite;

import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.run.StepExecutor;

import java.util.List;
import java.util.Map;

/** SQLite recoveries: the file copied into place (direct). */
public final class SqliteRecovery implements EngineRecovery {
    @Override
    public List<EnginePlanner> planners() {
        return List.of(new SqlitePlanner());
    }

    @Override
    public Map<String, StepExecutor> executors() {
        return SqliteSteps.all();
    }
}
