package io.dbrescue.redis;

import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.run.StepExecutor;

import java.util.List;
import java.util.Map;

/** Redis recoveries: RDB placement (direct). */
public final class RedisRecovery implements EngineRecovery {
    @Override
    public List<EnginePlanner> planners() {
        return List.of(new RedisPlanner());
    }

    @Override
    public Map<String, StepExecutor> executors() {
        return RedisSteps.all();
    }
}
