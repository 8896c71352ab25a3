package io.dbrescue.plan;

import io.dbrescue.run.StepExecutor;

import io.dbrescue.scan.Finding;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/** What one engine contributes to recoveries: its planners and the executors of its own step kinds. */
public interface EngineRecovery {
    List<EnginePlanner> planners();

    default Map<String, StepExecutor> executors() {
        return Map.of();
    }

    /**
     * A throwaway target this finding can be test-restored into ({@code verify --restore-test}), started
     * and ready; empty when this engine cannot make one.
     *
     * @param options the user's --target-* options (binaries, run-as user) to honour
     * @param workDir an empty folder of dbrescue's own for the sandbox's files
     * @throws Exception with a plain-words message when making it fails (missing binaries...)
     */
    default Optional<Sandbox> sandbox(Finding finding, Target target, TargetOptions options, Path workDir)
            throws Exception {
        return Optional.empty();
    }
}
