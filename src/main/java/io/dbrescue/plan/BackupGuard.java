package io.dbrescue.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one rule "nothing under the backup is ever created, changed or deleted", checked in one place.
 * <ul>
 * <li>What a step writes is declared by its planner: the parameters named in {@link #WRITTEN}, plus
 * {@link Step#writePaths()} for paths that only appear on a command line.</li>
 * <li>{@link Planner} calls {@link #check} for every finding before the plan is returned: a FAIL
 * pre-flight check with the paths and the fix.</li>
 * <li>The runner calls {@link #refusal} before a finding's steps run (a resumed or hand-edited journal).</li>
 * <li>Files written outside a plan ({@code --save-debug-log}, exported reports) go through
 * {@link #requireOutside}.</li>
 * </ul>
 * Symbolic links are followed on both sides (a target reached through a link into the backup, a backup
 * given through a link), a path that does not exist yet is judged by its nearest existing parent, and a
 * folder seen at two places (a bind mount) is recognised by its device and inode.
 */
public final class BackupGuard {
    /** Step parameters that name a file or folder the step creates, changes, moves or deletes. */
    public static final Set<String> WRITTEN = Set.of("target", "safety", "path", "from", "to", "dataDir", "dir",
            "new", "old", "workDir", "emptyMarker", "serverSocket", "socketDir");
    /**
     * Of those, folders a step only adds an entry to (a server's socket): they may hold the backup, as may
     * the {@link Step#writePaths()} (a log, a server's folder it writes files into).
     */
    private static final Set<String> ADDS_ONLY = Set.of("socketDir");
    private static final int MAX_LINKS = 40;
    private static final int SHOWN = 3;

    private BackupGuard() {
    }

    /** Thrown when a file would be written inside the backup; the message is one line for the user. */
    public static final class InsideBackup extends IOException {
        public InsideBackup(String message) {
            super(message);
        }
    }

    /**
     * Adds, as the first check of the finding, a FAIL when any of its steps writes inside the backup (or
     * would move or delete a folder that holds it).
     */
    static void check(PlanContext ctx) {
        Path root = ctx.request().backupRoot();
        List<String> bad = new ArrayList<>();
        for (Step step : ctx.steps()) {
            bad.addAll(violations(root, step));
        }
        if (!bad.isEmpty()) {
            ctx.checks().add(0, Check.fail(ctx.group(), "backup-read-only", "This restore would write inside the backup "
                    + root + ": " + shortList(bad) + ". dbrescue never changes anything in the backup.",
                    "Choose a place outside " + root + " with --target-data (for a server: one whose data directory "
                            + "is outside it), or copy the backup somewhere else first."));
        }
    }

    /** A FAIL for the whole run when dbrescue's own folder (journals, logs, safety dumps) is inside the backup. */
    static Optional<Check> checkStateFolder(Path backupRoot, Path runsDir) {
        if (!inside(runsDir, backupRoot)) {
            return Optional.empty();
        }
        return Optional.of(Check.fail(null, "backup-read-only", "dbrescue's own folder " + runsDir + " (journals, logs, "
                + "safety dumps) is inside the backup " + backupRoot + ", which is never written to.",
                "Set XDG_STATE_HOME to a folder outside the backup."));
    }

    /**
     * Why the runner must not run this finding's steps (a path of one of them is inside the backup, or the
     * run's own folder is), or empty when nothing is wrong.
     */
    public static Optional<String> refusal(Plan plan, String group, Path runDir) {
        Path root = plan.request().backupRoot();
        List<String> bad = new ArrayList<>();
        if (inside(runDir, root)) {
            bad.add(runDir + " (the run's folder)");
        }
        for (Step step : plan.steps(group)) {
            violations(root, step).forEach(v -> bad.add(v + " (step " + step.id() + ")"));
        }
        return bad.isEmpty() ? Optional.empty() : Optional.of("Refused: the plan writes inside the backup " + root
                + " (" + shortList(bad) + "); dbrescue never changes anything in the backup.");
    }

    /** Throws {@link InsideBackup} when {@code file} is inside the backup (the {@code what} names it: "--save-debug-log FILE"). */
    public static void requireOutside(Path backupRoot, Path file, String what) throws InsideBackup {
        if (backupRoot != null && file != null && inside(file, backupRoot)) {
            throw new InsideBackup(what + " " + file + " is inside the backup " + backupRoot
                    + ", which dbrescue never writes to; give a path outside it.");
        }
    }

    /** The paths a step writes: its {@link #WRITTEN} parameters and its declared {@link Step#writePaths()}. */
    public static List<Path> writtenBy(Step step) {
        Set<Path> paths = new LinkedHashSet<>(replacedBy(step));
        paths.addAll(addedToBy(step));
        return List.copyOf(paths);
    }

    /** What the step creates, replaces, moves or deletes as a whole: it must neither be in the backup nor hold it. */
    private static List<Path> replacedBy(Step step) {
        return step.params().entrySet().stream()
                .filter(p -> WRITTEN.contains(p.getKey()) && !ADDS_ONLY.contains(p.getKey()) && !p.getValue().isBlank())
                .map(p -> StepParamsCodec.path(p.getValue())).toList();
    }

    /** Files and folders the step only writes into (a socket's folder, a log, a server's dir): not in the backup. */
    private static List<Path> addedToBy(Step step) {
        List<Path> paths = new ArrayList<>();
        step.params().forEach((k, v) -> {
            if (ADDS_ONLY.contains(k) && !v.isBlank()) {
                paths.add(StepParamsCodec.path(v));
            }
        });
        step.writePaths().stream().filter(s -> !s.isBlank()).forEach(s -> paths.add(Path.of(s)));
        return paths;
    }

    /** What of this step touches the backup, each as "path" or "path (holds the backup)". */
    private static List<String> violations(Path root, Step step) {
        List<String> bad = new ArrayList<>();
        for (Path p : replacedBy(step)) {
            if (inside(p, root)) {
                bad.add(p + reached(p));
            } else if (inside(root, p)) {
                bad.add(p + reached(p) + " (holds the backup)");
            }
        }
        for (Path p : addedToBy(step)) {
            if (inside(p, root)) {
                bad.add(p + reached(p));
            }
        }
        return bad;
    }

    /** Where a path given through a link really is, for the message ("" when it is where it says). */
    private static String reached(Path p) {
        Path real = resolve(p);
        return real.equals(p.toAbsolutePath().normalize()) ? "" : " (that is " + real + ")";
    }

    /** Whether {@code path} is {@code folder} or lies under it, links followed on both sides. */
    public static boolean inside(Path path, Path folder) {
        Path p = resolve(path, 0);
        Path f = resolve(folder, 0);
        if (p.startsWith(f)) {
            return true;
        }
        Object key = fileKey(f);
        if (key == null) {
            return false;
        }
        // the same folder mounted at another place (bind mount): compare device and inode up the tree
        for (Path a = p; a != null; a = a.getParent()) {
            if (key.equals(fileKey(a))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The path as the system would reach it: links followed; for a part that does not exist yet, its
     * nearest existing parent resolved and the rest appended (through a dangling link: where it points).
     */
    public static Path resolve(Path path) {
        return resolve(path, 0);
    }

    private static Path resolve(Path path, int links) {
        Path abs = path.toAbsolutePath();
        try {
            return abs.toRealPath();
        } catch (IOException notThereYet) {
            // resolved below, part by part
        }
        Path parent = abs.getParent();
        Path name = abs.getFileName();
        if (parent == null || name == null || links > MAX_LINKS) {
            return abs.normalize();
        }
        if (Files.isSymbolicLink(abs)) {
            try {
                return resolve(parent.resolve(Files.readSymbolicLink(abs)), links + 1);
            } catch (IOException e) {
                return abs.normalize();
            }
        }
        Path base = resolve(parent, links);
        if (name.toString().equals("..")) {
            return base.getParent() == null ? base : base.getParent();
        }
        return name.toString().equals(".") ? base : base.resolve(name);
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static String shortList(List<String> items) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(items));
        String shown = String.join(", ", distinct.subList(0, Math.min(SHOWN, distinct.size())));
        return distinct.size() > SHOWN ? shown + " and " + (distinct.size() - SHOWN) + " more" : shown;
    }
}
