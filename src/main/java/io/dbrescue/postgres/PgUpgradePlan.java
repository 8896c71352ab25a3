package io.dbrescue.postgres;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.scan.Finding;
import io.dbrescue.target.InstalledServer;
import io.dbrescue.target.Target;

/** Plans the pg_upgrade path of the container strategy. */
final class PgUpgradePlan {
    private PgUpgradePlan() {
    }

    static void plan(Finding f, Target target, PlanContext ctx, InstalledServer newer, PgUpgradeChoice how) {
        ctx.fail("pg-upgrade", "pg_upgrade is not wired up yet.", "Use --upgrade-method dump.");
    }
}
