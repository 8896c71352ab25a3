package io.dbrescue.mongodb;

import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.EngineRecovery;

import java.util.List;

/** MongoDB recoveries (planned with the basic step kinds; not verified against a real server here). */
public final class MongoRecovery implements EngineRecovery {
    @Override
    public List<EnginePlanner> planners() {
        return List.of(new MongoPlanner());
    }
}
