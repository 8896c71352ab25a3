package io.dbrescue.plan;

import io.dbrescue.run.StepExecutor;

import java.util.List;
import java.util.Map;

/** What one engine contributes to recoveries: its planners and the executors of its own step kinds. */
public interface EngineRecovery {
    List<EnginePlanner> planners();

    default Map<String, StepExecutor> executors() {
        return Map.of();
    }
}
