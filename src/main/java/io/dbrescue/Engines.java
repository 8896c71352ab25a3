package io.dbrescue;

import io.dbrescue.mongodb.MongoRecovery;
import io.dbrescue.mongodb.MongoScanning;
import io.dbrescue.mysql.MySqlRecovery;
import io.dbrescue.mysql.MySqlScanning;
import io.dbrescue.postgres.PostgresRecovery;
import io.dbrescue.postgres.PostgresScanning;
import io.dbrescue.redis.RedisRecovery;
import io.dbrescue.redis.RedisScanning;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.plan.Planner;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.Runner;
import io.dbrescue.run.Secrets;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.scan.EngineScanner;
import io.dbrescue.scan.Scanner;
import io.dbrescue.sqlite.SqliteRecovery;
import io.dbrescue.sqlite.SqliteScanning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The one place where the engines are wired together. */
public final class Engines {
    private Engines() {
    }

    public static List<EngineScanner> scanners() {
        return List.of(new PostgresScanning(), new MySqlScanning(), new MongoScanning(), new RedisScanning(),
                new SqliteScanning());
    }

    public static Scanner scanner() {
        return new Scanner(scanners());
    }

    /** What each engine contributes to recoveries (planners and their own step kinds). */
    public static List<EngineRecovery> recoveries() {
        return List.of(new PostgresRecovery(), new MySqlRecovery(), new RedisRecovery(), new SqliteRecovery(),
                new MongoRecovery());
    }

    public static Planner planner() {
        List<EnginePlanner> planners = new ArrayList<>();
        recoveries().forEach(r -> planners.addAll(r.planners()));
        return new Planner(planners);
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
}
