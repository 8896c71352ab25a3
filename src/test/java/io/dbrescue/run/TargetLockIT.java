package io.dbrescue.run;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code recover} processes of the built program into one target: the first (a 400 MB SQLite file,
 * paused with SIGSTOP once its run has started) holds the target; the second is refused before it changes
 * anything, naming the first run, its process and since when, and the first then finishes. A dry run takes
 * no lock. A run killed with SIGKILL leaves no lock behind.
 */
class TargetLockIT {
    @TempDir
    Path base;
    Path backup;
    Map<String, String> env;

    @BeforeEach
    void bigSqliteFile() throws Exception {
        backup = base.resolve("backup");
        Path dir = Files.createDirectories(backup.resolve("data"));
        Cmd.run(List.of("sqlite3", dir.resolve("big.db").toString(), "CREATE TABLE t(b); WITH RECURSIVE c(x) AS "
                + "(SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400) INSERT INTO t SELECT randomblob(1000000) FROM c;"));
        env = Map.of("XDG_STATE_HOME", base.resolve("state").toString(), "XDG_CONFIG_HOME", base.resolve("config").toString());
    }

    private String[] args(Path target, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("recover", backup.toString(), "--select", "data/big.db",
                "--target-data", target.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** Starts a run and returns once it holds its target (its journal exists), with the journal's run id. */
    private Process startAndWaitForItsJournal(Path target, String[] runId) throws Exception {
        Process p = Jar.start(env, base.resolve("first-" + System.nanoTime() + ".out"), args(target, "--yes"));
        Path runs = base.resolve("state/dbrescue/runs");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Optional<Path> journal = journal(runs);
            if (journal.isPresent()) {
                runId[0] = journal.get().getFileName().toString().replace(".json", "");
                return p;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the first run did not start (alive: " + p.isAlive() + ")");
    }

    private static Optional<Path> journal(Path runs) throws Exception {
        if (!Files.isDirectory(runs)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(f -> f.getFileName().toString().matches("[0-9-a-f]+\\.json")).findFirst();
        }
    }

    private static void signal(Process p, String sig) {
        Cmd.run(List.of("kill", "-" + sig, Long.toString(p.pid())));
    }

    @Test
    void theSecondRunIntoTheSameTargetIsRefusedNamingTheFirst() throws Exception {
        Path target = base.resolve("restored.db");
        String[] runId = new String[1];
        Process first = startAndWaitForItsJournal(target, runId);
        signal(first, "STOP");
        try {
            assertThat(first.isAlive()).as("the first run is still going (paused)").isTrue();
            Jar.Run second = Jar.run(env, args(target, "--yes"));
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(4);
            assertThat(second.stderr()).contains("Another dbrescue run is restoring into " + target)
                    .contains("run " + runId[0]).contains("process " + first.pid()).contains("since ")
                    .contains("Nothing was changed").contains("Wait until that run has finished")
                    .doesNotContain("Exception");
            try (Stream<Path> s = Files.list(base.resolve("state/dbrescue/runs"))) {
                assertThat(s.filter(f -> f.toString().endsWith(".json")).count()).as("no journal of the second").isEqualTo(1);
            }
            Jar.Run dry = Jar.run(env, args(target, "--dry-run"));
            assertThat(dry.exitCode()).as("a dry run takes no lock: " + dry).isZero();
        } finally {
            signal(first, "CONT");
        }
        assertThat(first.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(first.exitValue()).isZero();
        assertThat(Cmd.run(List.of("sqlite3", target.toString(), "SELECT count(*) FROM t")).strip()).isEqualTo("400");
        try (Stream<Path> s = Files.list(base)) {
            assertThat(s.filter(f -> f.getFileName().toString().contains("before-dbrescue"))).as("nothing moved aside").isEmpty();
        }
    }

    @Test
    void aKilledRunLeavesNoLock() throws Exception {
        Path target = base.resolve("again.db");
        Process first = startAndWaitForItsJournal(target, new String[1]);
        signal(first, "KILL");
        assertThat(first.waitFor(1, TimeUnit.MINUTES)).isTrue();
        Jar.Run next = Jar.run(env, args(target, "--yes"));
        assertThat(next.stderr()).doesNotContain("Another dbrescue run");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(Cmd.run(List.of("sqlite3", target.toString(), "SELECT count(*) FROM t")).strip()).isEqualTo("400");
    }
}
