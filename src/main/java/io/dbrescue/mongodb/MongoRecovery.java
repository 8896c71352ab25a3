package io.dbrescue.mongodb;

import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.EngineRecovery;

import io.dbrescue.run.StepExecutor;

import java.util.List;
import java.util.Map;

/** MongoDB recoveries (planned with the basic step kinds; not verified against a real server here). */
public final class MongoRecovery implements EngineRecovery {
    @Override
    public List<EnginePlanner> planners() {
        return List.of(new MongoPlanner());
    }

    @Override
    public Map<String, StepExecutor> executors() {
        return MongoContainerPlan.executors();
    }
}
