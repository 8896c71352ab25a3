package io.dbrescue.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The start-and-wait of a long-running server, with small stand-in servers (sh scripts: a test double;
 * dbrescue itself never runs a shell). The wait must end at the server's FATAL line or exit, not at a timeout.
 */
class ServerProcessTest {
    @TempDir
    Path dir;

    private static List<String> sh(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    @Test
    void aServerThatLogsFatalAndExitsEndsTheWaitAtOnceWithThatLine() {
        Path log = dir.resolve("server.log");
        long start = System.nanoTime();
        assertThatThrownBy(() -> ServerProcess.of(sh("echo 'LOG:  starting'; echo 'LOG:  reading the settings'; "
                        + "echo '2026-12-03 10:00:00 UTC [42] FATAL:  could not open the data folder' >&2; sleep 0.3; "
                        + "echo 'LOG:  shut down'; exit 1"))
                .log(log).readyWhen(p -> false).timeout(Duration.ofMinutes(5)).start(null))
                .isInstanceOfSatisfying(ServerProcess.NotReady.class, e -> {
                    assertThat(e.reason()).isEqualTo("2026-12-03 10:00:00 UTC [42] FATAL:  could not open the data folder");
                    assertThat(e.exited()).isTrue();
                    assertThat(e.logTail()).contains("reading the settings").endsWith("LOG:  shut down");
                });
        assertThat(seconds(start)).as("ended by the FATAL line and the exit, not the 5 minute timeout").isLessThan(3);
    }

    @Test
    void aServerThatExitsWithoutFatalGivesItsLastLines() {
        Path log = dir.resolve("server.log");
        assertThatThrownBy(() -> ServerProcess.of(sh("echo 'cannot read /etc/x.conf: No such file'; exit 2"))
                .log(log).readyWhen(p -> false).start(null))
                .isInstanceOfSatisfying(ServerProcess.NotReady.class, e -> {
                    assertThat(e.reason()).isEqualTo("cannot read /etc/x.conf: No such file");
                    assertThat(e.getMessage()).contains("exited (code 2)");
                });
    }

    @Test
    void aFatalLineOfAClientWhileTheServerStaysUpDoesNotEndTheStart() throws Exception {
        Path log = dir.resolve("server.log");
        Path ready = dir.resolve("ready");
        ServerProcess.Started s = ServerProcess.of(sh("echo 'FATAL:  the database system is starting up'; sleep 2.5; "
                        + "touch " + ready + "; exec sleep 30"))
                .log(log).readyWhen(p -> Files.exists(ready)).timeout(Duration.ofSeconds(20)).start(null);
        try {
            assertThat(s.process().isAlive()).isTrue();
            assertThat(Files.readString(log)).contains("starting up");
        } finally {
            s.process().destroyForcibly();
        }
    }

    @Test
    void aServerNotReadyInTimeIsStopped() {
        Path log = dir.resolve("server.log");
        long start = System.nanoTime();
        assertThatThrownBy(() -> ServerProcess.of(List.of("sleep", "60")).log(log).readyWhen(p -> false)
                .timeout(Duration.ofSeconds(1)).start(null))
                .isInstanceOfSatisfying(ServerProcess.NotReady.class, e -> {
                    assertThat(e.exited()).isFalse();
                    assertThat(e.getMessage()).contains("not ready within 1 seconds");
                });
        assertThat(seconds(start)).isLessThan(10);
        assertThat(ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").equals("sleep 60"))
                .filter(h -> h.parent().map(pp -> pp.pid() == ProcessHandle.current().pid()).orElse(false)).count())
                .isZero();
    }

    @Test
    void theLogIsAppendedAndTheServerRunsInItsOwnSessionWithoutAShell() throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, "an earlier start\n");
        Path marker = dir.resolve("marker");
        // an argument that a shell would run: here it is only an argument
        ServerProcess.Started s = ServerProcess.of(List.of("tail", "-f", "/dev/null", "$(touch " + marker + ")"))
                .log(log).readyWhen(p -> true).start(null);
        try {
            assertThat(s.commandLine().get(0)).isEqualTo("setsid");
            Thread.sleep(300);
            assertThat(Files.readString(log)).startsWith("an earlier start\n").contains("cannot open '$(touch");
            assertThat(marker).doesNotExist();
        } finally {
            s.process().destroyForcibly();
        }
    }

    @Test
    void aMissingProgramCannotStart() {
        assertThatThrownBy(() -> ServerProcess.of(List.of(dir.resolve("no-such-server").toString()))
                .log(dir.resolve("l")).start(null)).hasMessageStartingWith("could not start");
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
