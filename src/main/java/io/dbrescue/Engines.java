package io.dbrescue;

import io.dbrescue.machine.Packages;
import io.dbrescue.machine.ServerDiscovery;
import io.dbrescue.machine.TargetDiscovery;
import io.dbrescue.mongodb.MongoEngine;
import io.dbrescue.mysql.MySqlEngine;
import io.dbrescue.plan.EngineDescriptor;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.plan.Planner;
import io.dbrescue.postgres.PostgresEngine;
import io.dbrescue.redis.RedisEngine;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.Runner;
import io.dbrescue.run.Secrets;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.EngineScanner;
import io.dbrescue.scan.Scanner;
import io.dbrescue.sqlite.SqliteEngine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where the engines are wired together: one descriptor per engine, each in its own package.
 * Adding an engine is a line here (and its constant in {@link Engine}); everything else asks the descriptors.
 */
public final class Engines {
    private static final List<EngineDescriptor> ALL = List.of(new PostgresEngine(), new MySqlEngine(),
            new MongoEngine(), new RedisEngine(), new SqliteEngine());

    private Engines() {
    }

    /** Every engine's descriptor, in the order the scan asks their detectors. */
    public static List<EngineDescriptor> all() {
        return ALL;
    }

    /** The descriptor of a scan's engine (MariaDB and MySQL share one). */
    public static EngineDescriptor of(Engine engine) {
        return ALL.stream().filter(d -> d.engines().contains(engine)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no descriptor for " + engine + " in Engines"));
    }

    public static List<EngineScanner> scanners() {
        return ALL.stream().map(EngineDescriptor::scanning).toList();
    }

    public static Scanner scanner() {
        return new Scanner(scanners());
    }

    /** How each engine's servers are found on this machine (engines without a server have none). */
    public static List<ServerDiscovery> discoveries() {
        return ALL.stream().flatMap(d -> d.discovery().stream()).toList();
    }

    /** Discovery of this machine through every engine's own. */
    public static TargetDiscovery discovery() {
        return new TargetDiscovery(discoveries());
    }

    /** What each engine contributes to recoveries (planners and their own step kinds). */
    public static List<EngineRecovery> recoveries() {
        return ALL.stream().map(EngineDescriptor::recovery).toList();
    }

    public static Planner planner() {
        List<EnginePlanner> planners = new ArrayList<>();
        recoveries().forEach(r -> planners.addAll(r.planners()));
        return new Planner(planners, discoveries());
    }

    /** A runner whose steps take passwords from the environment only (tests; see {@link #runner(Secrets)}). */
    public static Runner runner() {
        return runner(Secrets.environment());
    }

    /** Every step kind's executor: the basic ones and the engines' own; the steps log in with these passwords. */
    public static Runner runner(Secrets secrets) {
        return new Runner(io.dbrescue.elevate.Elevation.wrap(executors()), secrets);
    }

    /** Every step kind's executor as it runs in this process (the privileged helper runs them as root). */
    public static Map<String, StepExecutor> executors() {
        Map<String, StepExecutor> executors = new HashMap<>(BasicSteps.all());
        executors.put("container-image", io.dbrescue.container.ContainerSteps.image());
        executors.put("container-stop", io.dbrescue.container.ContainerSteps.stop());
        executors.put("container-locales", io.dbrescue.container.LocaleBuild.executor());
        recoveries().forEach(r -> executors.putAll(r.executors()));
        return executors;
    }

    /** The packages that provide a program: the engine's own, else a general one (podman, rsync...). */
    public static Optional<Packages.Suggestion> packages(String tool, String major) {
        if (tool == null) {
            return Optional.empty();
        }
        String name = Packages.name(tool);
        return ALL.stream().flatMap(d -> d.packages(name, major).stream()).findFirst()
                .or(() -> Packages.lookup(name, major));
    }
}
