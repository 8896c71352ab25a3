package io.dbrescue;

import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.target.Target;
import io.dbrescue.target.TargetDiscovery;

import io.dbrescue.target.TargetOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The engine's front door for both front ends: scan the backup, look at the target, plan. */
public final class Recovery {
    private Recovery() {
    }

    /** Scans the backup, discovers the target (with the request's overrides) and plans. Changes nothing. */
    public static Plan plan(RecoveryRequest request) throws IOException {
        return plan(request, Map.of());
    }

    /**
     * As {@link #plan(RecoveryRequest)}, with server binaries configured in the settings
     * ({@code [binaries]}) added to what discovery finds; the request's {@code --target-bin} still wins.
     */
    public static Plan plan(RecoveryRequest request, Map<String, Path> configuredBinaries) throws IOException {
        ScanResult scan = Engines.scanner().scan(request.backupRoot());
        return Engines.planner().plan(request, scan, discover(configuredBinaries).withOptions(request.target()));
    }

    /** What this machine has, with the server binaries the settings name ({@code [binaries]}) added. */
    public static Target discover(Map<String, Path> configuredBinaries) {
        Target target = new TargetDiscovery().discover();
        for (Path bin : configuredBinaries.values()) {
            target = target.withOptions(new TargetOptions(null, null, null, bin, null, null));
        }
        return target;
    }
}
