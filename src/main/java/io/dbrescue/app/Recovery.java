package io.dbrescue.app;

import io.dbrescue.Engines;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Planner;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Secrets;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The planning part of the service: scan the backup, look at the target (with the request's overrides and the
 * passwords of this plan), and let the engines' planners decide and plan. Changes nothing.
 */
final class Recovery {
    private final Planner planner;
    private final Supplier<Target> discovery;

    Recovery(Planner planner, Supplier<Target> discovery) {
        this.planner = planner;
        this.discovery = discovery;
    }

    /** Scans the backup, discovers the target and plans: the command line's road (one call, no choices per finding). */
    Plan plan(RecoveryRequest request, Secrets secrets) throws IOException {
        ScanResult scan = Engines.scanner().scan(request.backupRoot());
        return plan(request, scan, discovery.get(), Map.of(), secrets);
    }

    /**
     * Plans with a scan and a target already at hand (the window's road: it shows both before it plans).
     * {@code chosen} holds a strategy per finding path; findings not in it take the request's.
     */
    Plan plan(RecoveryRequest request, ScanResult scan, Target target, Map<String, Strategy> chosen, Secrets secrets) {
        Target known = target.engines().isEmpty() ? target.withEngines(Engines.discoveries()) : target;
        return planner.plan(request, scan, known.withOptions(request.target()).withSecrets(secrets), chosen);
    }

    Target discover() {
        return discovery.get();
    }

    /** What this machine has, with the server binaries the settings name ({@code [binaries]}) added. */
    static Target discover(Map<String, Path> configuredBinaries) {
        Target target = Engines.discovery().discover();
        for (Path bin : configuredBinaries.values()) {
            target = target.withOptions(new TargetOptions(null, null, null, bin, null, null));
        }
        return target;
    }
}
