package io.dbrescue.sqlite;

import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.plan.Sandbox;
import io.dbrescue.run.CopyTree;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.nio.file.Path;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQLite recoveries: the file copied into place (direct). */
public final class SqliteRecovery implements EngineRecovery {
    @Override
    public List<EnginePlanner> planners() {
        return List.of(new SqlitePlanner());
    }

    @Override
    public Map<String, StepExecutor> executors() {
        return SqliteSteps.all();
    }

    /** A test restore needs no server: the copy goes into the sandbox folder and is opened and counted there. */
    @Override
    public Optional<Sandbox> sandbox(Finding finding, Target target, TargetOptions options, Path workDir) {
        TargetOptions o = new TargetOptions(null, null, null, null, workDir, options.runAs());
        return Optional.of(new Sandbox() {
            @Override
            public TargetOptions options() {
                return o;
            }

            @Override
            public String description() {
                return "a temporary folder " + workDir;
            }

            @Override
            public void close() {
                try {
                    CopyTree.delete(workDir);
                } catch (java.io.IOException e) {
                    org.slf4j.LoggerFactory.getLogger(SqliteRecovery.class).warn("could not remove {}: {}", workDir,
                            e.getMessage());
                }
            }
        });
    }
}
