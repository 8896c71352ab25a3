package io.dbrescue.app;

import io.dbrescue.Engines;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Planner;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Sandbox;
import io.dbrescue.run.Journal;
import io.dbrescue.run.Leftovers;
import io.dbrescue.run.RunResult;
import io.dbrescue.run.Secrets;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Status;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verifying part of the service ({@code verify}): is this finding restorable? Without a restore test, what
 * the scan can tell (damage, missing parts). With one, the finding is really restored — by the same plan and
 * steps as a recovery — into a throwaway target that is removed afterwards; the answer is RESTORABLE with the
 * verification's counts, or exactly why not. A restore test is no recovery: it leaves no history.
 */
public final class Verification {
    private Verification() {
    }

    /** The verdict on one finding. */
    public record Verdict(String path, boolean restorable, String how, String why, String fix, Map<String, Object> report) {
    }

    /**
     * The verdicts on the selected findings. {@code containers}: the images of the container strategy (an older
     * PostgreSQL data directory is test-restored into a throwaway newer server through it); {@code secrets}: the
     * passwords of this verification.
     */
    static List<Verdict> verify(Path backupRoot, List<String> selections, boolean restoreTest, TargetOptions options,
                                io.dbrescue.plan.Containers containers, Secrets secrets) throws IOException {
        ScanResult scan = Engines.scanner().scan(backupRoot);
        Target target = Engines.discovery().discover().withOptions(options).withSecrets(secrets);
        List<Verdict> verdicts = new ArrayList<>();
        for (Finding f : Planner.select(scan, selections)) {
            if (f.getStatus() == Status.DAMAGED) {
                verdicts.add(new Verdict(f.getPath(), false, "scan", String.join(" ", f.getWarnings()),
                        "Look for another copy; this one cannot be restored whole.", Map.of()));
            } else if (!restoreTest) {
                verdicts.add(new Verdict(f.getPath(), f.getStatus() == Status.OK, "scan",
                        f.getStatus() == Status.OK ? "The scan found nothing wrong (no restore was tried: add --restore-test)."
                                : String.join(" ", f.getWarnings()), null, Map.of()));
            } else {
                verdicts.add(restoreTest(backupRoot, f, target, options, containers));
            }
        }
        return verdicts;
    }

    private static Verdict restoreTest(Path backupRoot, Finding f, Target target, TargetOptions options,
                                       io.dbrescue.plan.Containers containers) throws IOException {
        // in the system's temp folder: a throwaway server runs as an unprivileged user, who must reach it
        Path work = Files.createTempDirectory("dbrescue-verify-");
        // if this process is killed, the next dbrescue stops the throwaway server and deletes the folder
        try (Leftovers left = Leftovers.open(work.getFileName().toString(), "a restore test of " + f.getPath()).folder(work)) {
            return restoreTest(backupRoot, f, target, options, containers, work);
        }
    }

    private static Verdict restoreTest(Path backupRoot, Finding f, Target target, TargetOptions options,
                                       io.dbrescue.plan.Containers containers, Path work) throws IOException {
        Optional<Sandbox> made;
        try {
            made = sandboxFor(f, target, options, work);
        } catch (Exception e) {
            deleteQuietly(work);
            return new Verdict(f.getPath(), false, "restore test", "No throwaway server could be made: " + e.getMessage(),
                    "Install the server the message names, or give its folder with --target-bin.", Map.of());
        }
        if (made.isEmpty()) {
            deleteQuietly(work);
            return new Verdict(f.getPath(), f.getStatus() == Status.OK, "scan",
                    "A restore test of " + f.getEngine().displayName() + " " + f.getKind().id()
                            + " findings is not available yet; the scan found " + (f.getStatus() == Status.OK
                            ? "nothing wrong." : "problems: " + String.join(" ", f.getWarnings())), null, Map.of());
        }
        try (Sandbox sandbox = made.get()) {
            // a throwaway server takes what the old one holds: the dump path, never pg_upgrade (nothing to replace)
            RecoveryRequest request = new RecoveryRequest(backupRoot, List.of(f.getPath()),
                    io.dbrescue.plan.Strategy.AUTO, sandbox.options(), RecoveryRequest.Conflict.RENAME, 2, false, true,
                    null, RecoveryRequest.DEFAULT_TIMEOUT_SECONDS, RecoveryRequest.DEFAULT_CHUNK_BYTES,
                    containers.withMethod(io.dbrescue.plan.Containers.UpgradeMethod.DUMP));
            Plan plan = Engines.planner().plan(request, Engines.scanner().scan(backupRoot),
                    target.withOptions(sandbox.options()));
            if (plan.preflightFailed()) {
                String why = plan.checks().stream().filter(c -> c.level() == io.dbrescue.plan.Check.Level.FAIL)
                        .map(c -> c.message()).reduce((a, b) -> a + " " + b).orElse("");
                String fix = plan.checks().stream().filter(c -> c.level() == io.dbrescue.plan.Check.Level.FAIL)
                        .map(c -> c.fix()).filter(x -> x != null).findFirst().orElse(null);
                return new Verdict(f.getPath(), false, "restore test into " + sandbox.description(), why, fix, Map.of());
            }
            // the journal stays in the sandbox folder, so nothing of the test run outlives it
            RunResult result = Engines.runner(target.secrets()).run(plan, work.resolve("runs"), e -> { });
            RunResult.GroupResult g = result.groups().get(0);
            Map<String, Object> report = new LinkedHashMap<>(g.report());
            report.remove("safetyCopy");
            boolean ok = g.outcome() == Journal.Outcome.RESTORED;
            return new Verdict(f.getPath(), ok, "restore test into " + sandbox.description(),
                    ok ? "Restored and verified in the throwaway target, which was then removed." : g.message(),
                    ok ? null : g.fix(), report);
        } finally {
            deleteQuietly(work);
        }
    }

    private static Optional<Sandbox> sandboxFor(Finding f, Target target, TargetOptions options, Path work)
            throws Exception {
        for (EngineRecovery r : Engines.recoveries()) {
            if (r.planners().stream().anyMatch(p -> p.handles(f))) {
                return r.sandbox(f, target, options, work);
            }
        }
        return Optional.empty();
    }

    private static void deleteQuietly(Path dir) {
        try {
            io.dbrescue.run.CopyTree.delete(dir);
        } catch (IOException ignored) {
            // a leftover in the state folder; harmless
        }
    }
}
