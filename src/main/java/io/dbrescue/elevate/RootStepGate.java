package io.dbrescue.elevate;

import io.dbrescue.plan.BackupGuard;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Step;
import io.dbrescue.run.Journal;
import io.dbrescue.run.ShellSafety;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a step meets before root runs it: it is in the plan, the planner said it needs root, it is due (the
 * runner marked it running), it is not a free-form command, it writes nothing in the backup
 * ({@link BackupGuard}), its paths are safe to hand to programs that use /bin/sh ({@link ShellSafety}), and the
 * program it runs (and its binaries' folder) can only have been put there by root.
 */
final class RootStepGate {
    /** "exec" runs whatever command line the plan names: never as root through the helper. */
    private static final Set<String> NEVER_AS_ROOT = Set.of("exec");
    private static final List<String> SYSTEM_PATH = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final int GROUP_OR_OTHER_WRITE = 0022;

    private RootStepGate() {
    }

    static Step check(Journal journal, String stepId, Operation op) throws Refused {
        Plan plan = journal.plan();
        Step step = plan.steps().stream().filter(s -> s.id().equals(stepId)).findFirst()
                .orElseThrow(() -> new Refused("Step " + stepId + " is not in the plan of run " + plan.runId()
                        + ": only the steps you confirmed are run."));
        if (!step.needsRoot()) {
            throw new Refused("Step " + stepId + " (" + step.title() + ") does not need root: dbrescue runs it as you.");
        }
        if (NEVER_AS_ROOT.contains(step.kind())) {
            throw new Refused("Step " + stepId + " runs a free-form command (" + step.kind() + "): the helper never "
                    + "runs those as root. Run dbrescue itself with sudo if you want it.");
        }
        Journal.StepState state = journal.state(step);
        if (!op.allows(state)) {
            throw new Refused("Step " + stepId + " is " + state.id() + " in the journal, so there is nothing to "
                    + op.verb() + " now: root steps are run when the run reaches them.");
        }
        Path runDir = journal.file().resolveSibling(plan.runId());
        Optional<String> inside = BackupGuard.refusal(plan, step.group(), runDir);
        if (inside.isPresent()) {
            throw new Refused(inside.get());
        }
        for (Path p : BackupGuard.writtenBy(step)) {
            String problem = ShellSafety.problem("The path", p, "a program this step runs");
            if (problem != null) {
                throw new Refused(problem);
            }
        }
        if (!step.argv().isEmpty()) {
            rootOwned(program(step.argv().get(0)), "The program " + step.argv().get(0));
        }
        String binDir = step.params().get("binDir");
        if (binDir != null && !binDir.isBlank()) {
            rootOwned(Path.of(binDir), "The programs' folder " + binDir);
        }
        return step;
    }

    private static Path program(String name) throws Refused {
        if (name.startsWith("/")) {
            return Path.of(name);
        }
        for (String dir : SYSTEM_PATH) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new Refused("The program " + name + " is not in " + String.join(", ", SYSTEM_PATH) + ".");
    }

    /** The file and every folder above it: owned by root and writable by no one else (else anyone could swap it). */
    private static void rootOwned(Path path, String what) throws Refused {
        try {
            for (Path p = path.toRealPath(); p != null; p = p.getParent()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
                boolean sticky = ((Integer) a.get("mode") & 01000) != 0;
                if ((Integer) a.get("uid") != 0 || ((Integer) a.get("mode") & GROUP_OR_OTHER_WRITE) != 0 && !sticky) {
                    throw new Refused(what + " is not owned by root alone (" + p + " is not): refused, since root "
                            + "would run it.");
                }
            }
        } catch (IOException e) {
            throw new Refused(what + " cannot be checked: " + e.getMessage());
        }
    }
}
