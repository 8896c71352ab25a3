package io.dbrescue.postgres.restore;

import io.dbrescue.run.StepExecutor;

import java.util.HashMap;
import java.util.Map;

/** PostgreSQL's step kinds and the executor of each (what a plan's or a journal's step runs with). */
public final class PgStepKinds {
    private PgStepKinds() {
    }

    public static Map<String, StepExecutor> executors() {
        Map<String, StepExecutor> all = new HashMap<>(Map.of("pg-stop", new PgDirectSteps.Stop(),
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
}
