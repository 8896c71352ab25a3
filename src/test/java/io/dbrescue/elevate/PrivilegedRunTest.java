package io.dbrescue.elevate;

import io.dbrescue.machine.TargetOptions;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The helper's own rules, in process and without polkit (the tests run as root, as the helper does; the
 * invoking user is then root): what it runs and what it refuses, each refusal with its reason. The same
 * rules through a real pkexec are in {@link PrivilegedRunIT}.
 */
class PrivilegedRunTest {
    @TempDir
    Path dir;
    Path backup;
    Path runs;
    Path made;
    Journal journal;
    ByteArrayOutputStream said = new ByteArrayOutputStream();

    @BeforeEach
    void journal() throws Exception {
        backup = Files.createDirectories(dir.resolve("backup"));
        runs = Files.createDirectories(dir.resolve("runs"));
        made = dir.resolve("var-lib/restored");
        journal = Journal.create(plan(List.of(
                step("1.1", "make-dir", true, Map.of("path", made.toString())),
                step("1.2", "sqlite-verify", false, Map.of("target", made.resolve("a.db").toString())),
                step("1.3", "exec", true, Map.of()),
                // the backup rule judges a finding's steps together, as the runner does: these two are other findings
                step("2.1", "b.db", "make-dir", true, Map.of("path", backup.resolve("inside").toString())),
                step("3.1", "c.db", "make-dir", true, Map.of("path", dir.resolve("$(reboot)").toString())),
                step("4.1", "d.db", "copy-tree", true, Map.of("source", big().toString(),
                        "target", dir.resolve("copy.bin").toString())))), runs);
        for (String id : List.of("1.1", "1.2", "1.3", "2.1", "3.1", "4.1")) {
            journal.mark(journal.plan().steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(),
                    Journal.StepState.RUNNING);
        }
    }

    /** 256 MB to copy (sparse: made at once), so a cancel finds the copy going. */
    private Path big() throws java.io.IOException {
        Path big = backup.resolve("big.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(256L << 20);
        }
        return big;
    }

    private Plan plan(List<Step> steps) {
        RecoveryRequest req = new RecoveryRequest(backup, List.of("a.db"), Strategy.DIRECT, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 1, true, false);
        return new Plan("20261203-120000-abcd", "2026-12-03T12:00:00Z", req, List.of(), List.of(), steps);
    }

    private static Step step(String id, String kind, boolean root, Map<String, String> params) {
        return step(id, "a.db", kind, root, params);
    }

    private static Step step(String id, String group, String kind, boolean root, Map<String, String> params) {
        return new Step(id, group, kind, "step " + id, kind.equals("exec") ? List.of("/bin/true") : List.of(), "", "",
                0, root, "", params);
    }

    private int helper(String step, String digest) {
        said.reset();
        return new PrivilegedRun(journal.file(), step, digest, Operation.RUN,
                new PrintStream(said, true, StandardCharsets.UTF_8), io.dbrescue.Engines.executors()).execute(null);
    }

    private String said() {
        return said.toString(StandardCharsets.UTF_8);
    }

    private String digest() {
        return PlanDigest.of(journal.plan());
    }

    @Test
    void aDueRootStepOfTheConfirmedPlanIsRun() {
        assertThat(helper("1.1", digest())).as(said()).isEqualTo(PrivilegedRun.DONE);
        assertThat(made).isDirectory();
    }

    @Test
    void aCancelFromTheRunnerOrTheRunnerGoingAwayStopsTheStepAndSaysSo() throws Exception {
        for (boolean runnerGone : new boolean[] {false, true}) {
            Path socket = dir.resolve("reply-" + runnerGone + ".sock");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> new PrivilegedRun(journal.file(),
                        "4.1", digest(), Operation.RUN, new PrintStream(said, true, StandardCharsets.UTF_8), io.dbrescue.Engines.executors()).execute(socket));
                try (HelperLink link = new HelperLink(server.accept())) {
                    if (runnerGone) {
                        link.close();
                    } else {
                        link.sendLine(HelperLink.CANCEL);
                        HelperLink.Message m;
                        do {
                            m = link.receive();
                        } while (m != null && !m.type().equals("result"));
                        assertThat(m).isNotNull();
                        assertThat(m.outcome()).isEqualTo("cancelled");
                    }
                }
                assertThat(code.get(1, TimeUnit.MINUTES)).as(said()).isEqualTo(PrivilegedRun.CANCELLED);
            }
            java.nio.file.Files.deleteIfExists(dir.resolve("copy.bin"));
        }
    }

    @Test
    void aStepNotInThePlanIsRefused() {
        assertThat(helper("7.7", digest())).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(said()).contains("Step 7.7 is not in the plan of run 20261203-120000-abcd");
    }

    @Test
    void anotherPlanIsRefused() throws Exception {
        String confirmed = digest();
        journal.data().plan = plan(List.of(step("1.1", "make-dir", true, Map.of("path", dir.resolve("other").toString()))));
        journal.save(); // the journal changed after the user confirmed its plan
        assertThat(helper("1.1", confirmed)).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(said()).contains("is not the plan you confirmed");
        assertThat(dir.resolve("other")).doesNotExist();
    }

    @Test
    void stepsThatNeedNoRootOrRunFreeFormCommandsAreRefused() {
        assertThat(helper("1.2", digest())).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(said()).contains("does not need root: dbrescue runs it as you");
        assertThat(helper("1.3", digest())).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(said()).contains("runs a free-form command (exec)");
    }

    @Test
    void aStepThatIsNotDueIsRefused() throws Exception {
        journal.mark(journal.plan().steps().get(0), Journal.StepState.DONE);
        assertThat(helper("1.1", digest())).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(said()).contains("Step 1.1 is done in the journal");
        assertThat(made).doesNotExist();
    }

    @Test
    void aJournalOthersMayWriteIsRefused() throws Exception {
        Files.setPosixFilePermissions(journal.file(), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(helper("1.1", digest())).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(said()).contains("can be written by other users (mode 0666)");
        Files.setPosixFilePermissions(journal.file(), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(runs, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(helper("1.1", digest())).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(said()).contains("The folder " + runs.toRealPath() + " that holds the journal can be written by other users");
        assertThat(made).doesNotExist();
    }

    @Test
    void aJournalGivenThroughALinkIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), journal.file());
        said.reset();
        int code = new PrivilegedRun(link, "1.1", digest(), Operation.RUN, new PrintStream(said, true,
                StandardCharsets.UTF_8), io.dbrescue.Engines.executors()).execute(null);
        assertThat(code).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(said()).contains("is a symbolic link");
    }

    @Test
    void aStepWritingInsideTheBackupOrWithAShellUnsafePathIsRefused() {
        assertThat(helper("2.1", digest())).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(said()).contains("writes inside the backup");
        assertThat(backup.resolve("inside")).doesNotExist();
        assertThat(helper("3.1", digest())).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(said()).contains("contains $");
        assertThat(dir.resolve("$(reboot)")).doesNotExist();
    }
}
