package io.dbrescue;

import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.target.Target;
import io.dbrescue.target.TargetDiscovery;

import java.io.IOException;

/** The engine's front door for both front ends: scan the backup, look at the target, plan. */
public final class Recovery {
    private Recovery() {
    }

    /** Scans the backup, discovers the target (with the request's overrides) and plans. Changes nothing. */
    public static Plan plan(RecoveryRequest request) throws IOException {
        ScanResult scan = Engines.scanner().scan(request.backupRoot());
        Target target = new TargetDiscovery().discover().withOptions(request.target());
        return Engines.planner().plan(request, scan, target);
    }
}
