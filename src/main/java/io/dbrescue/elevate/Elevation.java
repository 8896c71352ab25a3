package io.dbrescue.elevate;

import io.dbrescue.plan.Step;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.text.Shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How this dbrescue reaches root for a step: which program the helper is (the installed launcher, which the shipped
 * polkit policy {@code io.dbrescue.DbRescue.policy} names, so pkexec shows dbrescue's own message), whether pkexec
 * is there, and the exact command for a terminal when it is not.
 */
public final class Elevation {
    /** The launcher the helper runs as; set by packagers and tests. jpackage's launcher sets jpackage.app-path. */
    public static final String LAUNCHER_PROPERTY = "dbrescue.launcher";
    /** pkexec's path; "none" makes dbrescue show the terminal command instead (tests of that path). */
    public static final String PKEXEC_PROPERTY = "dbrescue.pkexec";

    private Elevation() {
    }

    /** The executors as a runner uses them: a root step, when dbrescue is not root, goes to the helper. */
    public static Map<String, StepExecutor> wrap(Map<String, StepExecutor> executors) {
        Map<String, StepExecutor> wrapped = new HashMap<>();
        executors.forEach((kind, e) -> wrapped.put(kind, new ElevatedExecutor(e)));
        return wrapped;
    }

    /** Whether this step goes to the helper here. */
    static boolean needed(Step step) {
        return step.needsRoot() && !io.dbrescue.run.OsUsers.isRoot();
    }

    /** The helper's command line (without pkexec or sudo) for one step. */
    public static List<String> helperCommand(Path journal, String stepId, String digest, Path reply, Operation op) {
        List<String> argv = new ArrayList<>(launcher());
        argv.addAll(List.of("privileged-run", "--journal", journal.toAbsolutePath().toString(), "--step", stepId,
                "--plan-sha256", digest));
        if (reply != null) {
            argv.addAll(List.of("--reply", reply.toString()));
        }
        if (!op.flag().isEmpty()) {
            argv.add(op.flag());
        }
        return argv;
    }

    /** The same, as a line to paste into a terminal. */
    public static String terminalCommand(List<String> helper) {
        return "sudo " + Shell.quote(helper);
    }

    /** pkexec, or null when it is not installed (or turned off). */
    static Path pkexec() {
        String p = System.getProperty(PKEXEC_PROPERTY, "/usr/bin/pkexec");
        Path path = Path.of(p.equals("none") ? "/nonexistent/pkexec" : p);
        return Files.isExecutable(path) ? path : null;
    }

    /** The installed launcher; from a jar: this Java and the jar (pkexec then uses its generic "run a program" action). */
    static List<String> launcher() {
        String set = System.getProperty(LAUNCHER_PROPERTY, System.getProperty("jpackage.app-path"));
        if (set != null && !set.isBlank()) {
            return List.of(set);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Path jar = Path.of(Elevation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return List.of(java, "-jar", jar.toString());
        } catch (java.net.URISyntaxException | SecurityException e) {
            return List.of("dbrescue");
        }
    }
}
