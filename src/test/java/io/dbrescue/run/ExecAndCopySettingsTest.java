package io.dbrescue.run;

import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.machine.TargetOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** timeout_seconds and chunk_size_mb as the engine uses them: a program is stopped, a copy reports per chunk. */
class ExecAndCopySettingsTest {
    @TempDir
    Path dir;

    private StepContext context(long timeoutSeconds, long chunkBytes) {
        RecoveryRequest req = new RecoveryRequest(dir, List.of(), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 1, true, false, null, timeoutSeconds, chunkBytes);
        Plan plan = new Plan("t", "now", req, List.of(), List.of(), List.of());
        return new StepContext(plan, dir, new ProgressTracker("t", 0, 0, e -> { }), () -> false, Secrets.environment());
    }

    @Test
    void aProgramRunningLongerThanTimeoutSecondsIsStopped() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Exec.of(List.of("sleep", "30")).run(context(1, 1 << 20)))
                .isInstanceOf(IOException.class).hasMessageContaining("timeout_seconds");
        assertThat((System.nanoTime() - start) / 1_000_000_000.0).isLessThan(10);
    }

    @Test
    void aCopyReportsProgressOncePerChunk() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.write(src.resolve("big"), new byte[8 << 20]);
        List<Long> coarse = new ArrayList<>();
        CopyTree.copy(src, dir.resolve("a"), null, coarse::add, () -> { }, context(60, 8 << 20).chunkBytes());
        List<Long> fine = new ArrayList<>();
        CopyTree.copy(src, dir.resolve("b"), null, fine::add, () -> { }, context(60, 1 << 20).chunkBytes());
        assertThat(coarse).containsExactly(8L << 20);
        assertThat(fine).hasSize(8).endsWith(8L << 20);
        assertThat(Files.mismatch(src.resolve("big"), dir.resolve("b/big"))).isEqualTo(-1);
    }
}
