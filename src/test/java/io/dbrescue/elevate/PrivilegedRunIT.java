package io.dbrescue.elevate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbrescue.run.Journal;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.Polkit;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A desktop user (the unprivileged test user) restores a SQLite file into a folder only root may write in
 * (/var/lib/dbrescue-it-*): the plan marks the writing steps as root steps, the runner hands each to
 * {@code dbrescue privileged-run} through a real pkexec and polkitd (the shipped policy, a rule allowing the test
 * user), and the file arrives, the user's. The helper, again through pkexec, refuses what is not a due root step of
 * the confirmed plan: an unknown step, a step that needs no root, a done step, another fingerprint, a changed
 * journal, a journal others may write or another user owns, a step that writes into the backup. Without pkexec
 * the run shows the sudo command and goes on once it has run; with pkexec but no polkit agent to ask for the
 * password it shows the command too, and cancel while it waits leaves nothing behind.
 */
class PrivilegedRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Polkit polkit;
    private static String uid;
    private Path home;
    private Path backup;
    private Path target;
    private Map<String, String> backupBefore;

    @BeforeAll
    static void polkit() throws Exception {
        polkit = Polkit.start(Path.of("installer/io.dbrescue.DbRescue.policy"), Jar.path());
        uid = Cmd.run(List.of("id", "-u", TestUser.NAME)).trim();
    }

    @AfterAll
    static void stopPolkit() {
        if (polkit != null) {
            polkit.close();
        }
    }

    @BeforeEach
    void fixtures() throws IOException {
        home = TestUser.newDir("elevate");
        backup = home.resolve("backup");
        Path app = Files.createDirectories(backup.resolve("app"));
        Cmd.run(List.of("sqlite3", app.resolve("app.db").toString(), "CREATE TABLE t(x); INSERT INTO t VALUES (1),(2),(3);"));
        Files.createDirectories(home.resolve("state"));
        TestUser.chown(home);
        backupBefore = Trees.snapshot(backup);
        target = Files.createTempDirectory(Path.of("/var/lib"), "dbrescue-it-");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x")); // root's: only root writes
    }

    @AfterEach
    void cleanUp() {
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(backupBefore);
        Cmd.run(List.of("rm", "-rf", "--one-file-system", target.toString()));
        TestUser.delete(home);
    }

    @Test
    void rootStepsOfAPlanRunThroughPkexecAndTheFileIsTheUsers() throws Exception {
        Jar.Run r = recover(true);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("needs root: asking through pkexec").contains("(needs root)");
        Path copy = target.resolve("restored/app.db");
        assertThat(copy).exists();
        assertThat(Files.getOwner(copy).getName()).isEqualTo(TestUser.NAME);
        assertThat(Cmd.run(List.of("sqlite3", copy.toString(), "SELECT count(*) FROM t;")).trim()).isEqualTo("3");
        assertThat(Files.getOwner(target).getName()).as("the folder stays root's").isEqualTo("root");
        Path journal = journal();
        assertThat(Files.getOwner(journal).getName()).as("the helper never writes the journal").isEqualTo(TestUser.NAME);
        assertThat(JSON.readTree(journal.toFile()).get("steps").toString()).doesNotContain("pending", "running");
    }

    @Test
    void theHelperRefusesWhatIsNotADueRootStepOfTheConfirmedPlan() throws Exception {
        assertThat(recover(true).exitCode()).isZero();
        Path journal = journal();
        String digest = PlanDigest.of(Journal.read(journal).plan());
        assertRefused(helper(journal, "9.9", digest), "Step 9.9 is not in the plan of run");
        String verify = Journal.read(journal).plan().steps().stream().filter(s -> !s.needsRoot()).findFirst().orElseThrow().id();
        assertRefused(helper(journal, verify, digest), "does not need root");
        assertRefused(helper(journal, "1.2", digest), "Step 1.2 is done in the journal, so there is nothing to run now");
        assertRefused(helper(journal, "1.2", "0".repeat(64)), "is not the plan you confirmed");

        Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertRefused(helper(journal, "1.2", digest), "can be written by other users (mode 0666)");
        Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rw-------"));
        Cmd.run(List.of("chown", "nobody", journal.toString()));
        assertRefused(helper(journal, "1.2", digest), "belongs to another user");
        Cmd.run(List.of("chown", TestUser.NAME, journal.toString()));

        // changed after the confirmation: the copy now goes elsewhere, and the step is due again
        String changedTarget = target.resolve("elsewhere.db").toString();
        edit(journal, "1.2", "target", changedTarget);
        assertRefused(helper(journal, "1.2", digest), "is not the plan you confirmed");
        assertThat(Path.of(changedTarget)).doesNotExist();

        // a journal made to write into the backup, fingerprint and all: the safety rules still say no
        String intoBackup = backup.resolve("app/copy.db").toString();
        edit(journal, "1.2", "target", intoBackup);
        assertRefused(helper(journal, "1.2", PlanDigest.of(Journal.read(journal).plan())), "writes inside the backup");
        assertThat(Path.of(intoBackup)).doesNotExist();
    }

    @Test
    void withoutPkexecTheRunShowsTheSudoCommandAndGoesOnOnceItRan() throws Exception {
        Path out = home.resolve("out.txt");
        Process run = startRecover(out);
        int ran = 0;
        java.util.Set<String> digests = new java.util.HashSet<>();
        for (String line; (line = nextSudoLine(out, ran, run)) != null; ran++) {
            digests.add(line.replaceAll(".*--plan-sha256 ([0-9a-f]+).*", "$1"));
            // what the user pastes into a terminal: sudo sets SUDO_UID, the rest is the line as shown
            Cmd.run(List.of("sh", "-c", line.substring("sudo ".length())), null, Map.of("SUDO_UID", uid));
        }
        assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(run.exitValue()).as(Files.readString(out)).isZero();
        assertThat(ran).as("one command per root step (make the folder, copy the file)").isEqualTo(2);
        assertThat(digests).as("the confirmed plan's fingerprint does not change while the run makes folders").hasSize(1);
        assertThat(Files.readString(out)).contains("pkexec is not installed. Run this in a terminal");
        assertThat(Cmd.run(List.of("sqlite3", target.resolve("restored/app.db").toString(), "SELECT count(*) FROM t;"))
                .trim()).isEqualTo("3");
    }

    @Test
    void withNoPolkitAgentTheCommandIsShownAndCancelWhileItWaitsLeavesNothingBehind() throws Exception {
        Path out = home.resolve("out.txt");
        polkit.allowTestUser(false); // polkit now wants a password, and no agent runs here to ask for it
        Process run;
        try {
            run = startRecover(out, true);
            assertThat(nextSudoLine(out, 0, run)).isNotNull();
        } finally {
            polkit.allowTestUser(true);
        }
        assertThat(Files.readString(out)).contains("Step 1.1 needs root: asking through pkexec")
                .contains("needs root and pkexec could not ask (no polkit agent is running)");
        for (ProcessHandle h : run.descendants().toList()) {
            if (h.info().command().orElse("").endsWith("java")) {
                Cmd.run(List.of("kill", "-TERM", Long.toString(h.pid()))); // Ctrl-C / a window's Cancel
            }
        }
        assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(run.exitValue()).as(Files.readString(out)).isEqualTo(130);
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left).as("nothing was made in the root-only folder").isEmpty();
        }
    }

    private Jar.Run recover(boolean pkexec) throws Exception {
        Path out = home.resolve("recover.out");
        Process p = new ProcessBuilder(recoverArgv(pkexec)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("recover finished").isTrue();
        return new Jar.Run(p.exitValue(), Files.readString(out), "");
    }

    private Process startRecover(Path out) throws IOException {
        return startRecover(out, false);
    }

    private Process startRecover(Path out, boolean pkexec) throws IOException {
        Process p = new ProcessBuilder(recoverArgv(pkexec)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        return p;
    }

    private List<String> recoverArgv(boolean pkexec) {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", TestUser.NAME, "--", "env",
                "HOME=" + home, "XDG_STATE_HOME=" + home.resolve("state"), "XDG_CONFIG_HOME=" + home.resolve("config"),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + Elevation.LAUNCHER_PROPERTY + "=" + polkit.launcher()));
        if (!pkexec) {
            argv.add("-D" + Elevation.PKEXEC_PROPERTY + "=none");
        }
        argv.addAll(List.of("-jar", polkit.launcher().resolveSibling("dbrescue.jar").toString(), "recover",
                backup.toString(), "--select", "app/app.db", "--target-data", target + "/restored/", "--yes"));
        return argv;
    }

    /** The (skip+1)-th "sudo ..." line the run printed, waiting for it; null when the run ended first. */
    private static String nextSudoLine(Path out, int skip, Process run) throws Exception {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < end) {
            List<String> lines = Files.exists(out) ? Files.readAllLines(out, StandardCharsets.UTF_8) : List.of();
            List<String> sudo = lines.stream().map(String::trim).filter(l -> l.startsWith("sudo ")).toList();
            if (sudo.size() > skip) {
                return sudo.get(skip);
            }
            if (!run.isAlive()) {
                return null;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no sudo command printed:\n" + Files.readString(out));
    }

    private Jar.Run helper(Path journal, String step, String digest) throws Exception {
        List<String> argv = List.of("runuser", "-u", TestUser.NAME, "--", "pkexec", polkit.launcher().toString(),
                "privileged-run", "--journal", journal.toString(), "--step", step, "--plan-sha256", digest);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Jar.Run(p.exitValue(), said, "");
    }

    private static void assertRefused(Jar.Run r, String why) {
        assertThat(r.exitCode()).as(r.stdout()).isEqualTo(PrivilegedRun.REFUSED);
        assertThat(r.stdout()).contains(why);
    }

    private Path journal() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("state/dbrescue/runs"))) {
            return files.filter(f -> f.toString().endsWith(".json") && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .findFirst().orElseThrow();
        }
    }

    /** Sets a parameter of a step in the journal's plan and marks the step running (due), as an attacker would. */
    private static void edit(Path journal, String stepId, String param, String value) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(journal.toFile());
        root.get("plan").get("steps").forEach(s -> {
            if (s.get("id").asText().equals(stepId)) {
                ((ObjectNode) s.get("params")).put(param, value);
            }
        });
        ((ObjectNode) root.get("steps")).put(stepId, "running");
        Files.writeString(journal, JSON.writeValueAsString(root)); // the file keeps its owner and mode
    }
}
