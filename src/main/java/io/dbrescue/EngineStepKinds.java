package io.dbrescue;

import io.dbrescue.plan.StepKinds;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.TypedStep;

import java.util.HashMap;
import java.util.Map;

/**
 * The record class of every typed step kind, from the executors {@link Engines} wires together: what
 * {@link StepKinds} reads plans with (registered in META-INF/services, since the plan package cannot import this one).
 */
public final class EngineStepKinds implements StepKinds.Source {
    @Override
    public Map<String, Class<? extends StepParams>> types() {
        Map<String, Class<? extends StepParams>> types = new HashMap<>();
        Engines.executors().forEach((kind, e) -> {
            if (e instanceof TypedStep<?> t) {
                types.put(kind, t.paramsType());
            }
        });
        return types;
    }
}
