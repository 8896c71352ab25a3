package io.dbrescue.mysql;

import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.run.StepExecutor;

import java.util.List;
import java.util.Map;

/** MariaDB / MySQL recoveries: data directories (direct, or container for an older
 * major version) and dumps (dump-restore). */
public final class MySqlRecovery implements EngineRecovery {
    @Override
    public List<EnginePlanner> planners() {
        return List.of(new MySqlPlanner());
    }

    @Override
    public Map<String, StepExecutor> executors() {
        Map<String, StepExecutor> all = new java.util.HashMap<>(MySqlSteps.all());
        all.putAll(MySqlMoveSteps.all());
        all.putAll(MySqlAccountSteps.all());
        all.putAll(MySqlUpgradeSteps.all());
        return all;
    }
}
