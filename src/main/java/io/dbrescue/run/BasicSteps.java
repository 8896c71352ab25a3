package io.dbrescue.run;

import io.dbrescue.plan.Step;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;

/**
 * The step kinds every engine uses:
 * <ul>
 * <li>{@code move-aside} (path, safety): moves what is at path to the safety copy; undo moves it back;</li>
 * <li>{@code copy-tree} (source, target, [owner], [mode]): copies like cp -a with progress; undo deletes the copy;</li>
 * <li>{@code exec} (the step's argv, [runAs], [passEnv]): runs a program; fails with a plain-words reason;</li>
 * <li>{@code remove} (path): deletes what is there (only planned when safety copies are off);</li>
 * <li>{@code make-dir} (path, [owner], [mode]): a working folder of the run; undo deletes it with what is in it;</li>
 * <li>{@code move} (from, to): a rename on the same disk (a finished cluster into its place); undo moves it back.</li>
 * </ul>
 */
public final class BasicSteps {
    private BasicSteps() {
    }

    public static Map<String, StepExecutor> all() {
        return Map.of("move-aside", new MoveAside(), "copy-tree", new CopyTreeStep(), "exec", new ExecStep(),
                "remove", (step, ctx) -> CopyTree.delete(Path.of(step.param("path"))), "make-dir", new MakeDir(),
                "move", new Move());
    }

    static final class MakeDir implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            Path dir = Path.of(step.param("path"));
            Files.createDirectories(dir);
            String mode = step.params().get("mode");
            if (mode != null) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
            }
            String owner = step.params().get("owner");
            if (owner != null && !owner.equals(System.getProperty("user.name"))) {
                Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner));
            }
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            CopyTree.delete(Path.of(step.param("path")));
        }
    }

    static final class Move implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            Path from = Path.of(step.param("from"));
            Path to = Path.of(step.param("to"));
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                    return; // moved in an earlier attempt
                }
                throw new StepFailure("conflict", to + " exists already, so " + from + " cannot take its place.",
                        "Move " + to + " aside and run again.");
            }
            CopyTree.move(from, to);
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            Path from = Path.of(step.param("from"));
            Path to = Path.of(step.param("to"));
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS) && !Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                CopyTree.move(to, from);
            }
        }
    }

    static final class MoveAside implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            Path path = Path.of(step.param("path"));
            Path safety = Path.of(step.param("safety"));
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(safety, LinkOption.NOFOLLOW_LINKS)) {
                    throw new StepFailure("conflict", "The safety copy " + safety + " already exists.",
                            "Move it somewhere else (it may be from an earlier run) and run again.");
                }
                CopyTree.move(path, safety);
                ctx.report("safetyCopy", safety.toString());
            }
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            Path path = Path.of(step.param("path"));
            Path safety = Path.of(step.param("safety"));
            if (Files.exists(safety, LinkOption.NOFOLLOW_LINKS)) {
                CopyTree.delete(path);
                CopyTree.move(safety, path);
            }
        }
    }

    static final class CopyTreeStep implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            Path source = step.path("source");
            Path target = Path.of(step.param("target"));
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new StepFailure("conflict", target + " already exists, so the copy would mix two databases.",
                        "Move it aside (dbrescue does this when safety copies are on), then run again.");
            }
            UserPrincipal owner = null;
            String ownerName = step.params().get("owner");
            if (ownerName != null && !ownerName.equals(System.getProperty("user.name"))) {
                owner = target.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(ownerName);
            }
            try {
                if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                    CopyTree.copy(source, target, owner, ctx::progress, ctx::checkCancelled, ctx.chunkBytes());
                } else {
                    Files.createDirectories(target.getParent());
                    CopyTree.copy(source, target, owner, ctx::progress, ctx::checkCancelled, ctx.chunkBytes());
                }
            } catch (IOException e) {
                throw diskFailure(e, target);
            }
            String mode = step.params().get("mode");
            if (mode != null) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));
            }
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            CopyTree.delete(Path.of(step.param("target")));
        }
    }

    static final class ExecStep implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            Exec exec = Exec.of(step.argv()).as(ctx.runAs(step));
            for (String name : step.param("passEnv", "").split(",")) {
                if (!name.isBlank()) {
                    exec.env(name, ctx.secrets().get(name));
                }
            }
            Exec.Result r;
            try {
                r = exec.run(ctx);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("could not start")) {
                    throw Failures.missingProgram(step.argv().get(0), null);
                }
                throw e;
            }
            if (!r.ok()) {
                throw Failures.of(step.title(), r);
            }
        }
    }

    /** An IOException while writing, said in words: disk full and permission are the common ones. */
    static StepFailure diskFailure(IOException e, Path target) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("No space left on device")) {
            return new StepFailure("disk-full", "The disk of " + target + " filled up during the copy.",
                    "Free space there (or choose another place with --target-data) and run again; the partial copy "
                            + "was removed.", e);
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return new StepFailure("permission", "Permission denied writing " + e.getMessage() + ".",
                    "Run dbrescue as root (sudo) or as the owner of the target folder.", e);
        }
        return new StepFailure("io", "Copying to " + target + " failed: " + m, "See the log for details.", e);
    }
}
