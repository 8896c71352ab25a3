package io.dbrescue.run;

import io.dbrescue.plan.Replacement;
import io.dbrescue.plan.Replacements;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;

/**
 * The step kinds every engine uses, each a record of its parameters (what planners build with
 * {@code ctx.step(new BasicSteps.Copy(...), title)}) beside its executor:
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
        return Map.of("move-aside", new MoveAsideStep(), "copy-tree", new CopyTreeStep(), "exec", new ExecStep(),
                "remove", new RemoveStep(), "make-dir", new MakeDirStep(), "move", new MoveStep());
    }

    /** {@code make-dir}: a working folder of the run, with its owner and mode (rwx------) when given. */
    public record MakeDir(Path path, String owner, String mode) implements StepParams {
        @Override
        public String kind() {
            return "make-dir";
        }
    }

    /** {@code move}: a rename on the same disk. */
    public record Move(Path from, Path to) implements StepParams {
        @Override
        public String kind() {
            return "move";
        }
    }

    /** {@code move-aside}: what is at path moved to the safety copy. */
    public record MoveAside(Path path, Path safety) implements StepParams, StepParams.Replaces {
        @Override
        public String kind() {
            return "move-aside";
        }

        @Override
        public Replacement replacement(Step step, Replacements.Where where) {
            return new Replacement(step.group(), where.thing(path), path.toString(), safety.toString());
        }
    }

    /** {@code copy-tree}: source copied to target like cp -a, owned by owner, target's mode set when given. */
    public record Copy(Path source, Path target, String owner, String mode) implements StepParams {
        @Override
        public String kind() {
            return "copy-tree";
        }
    }

    /** {@code remove}: what is at path deleted. */
    public record Remove(Path path) implements StepParams, StepParams.Replaces {
        @Override
        public String kind() {
            return "remove";
        }

        /** Only a removal that cannot be undone (safety copies off) replaces something; the run's folders do not. */
        @Override
        public Replacement replacement(Step step, Replacements.Where where) {
            return step.undo().contains(Replacements.NO_SAFETY_UNDO)
                    ? new Replacement(step.group(), where.thing(path), path.toString(), null) : null;
        }
    }

    /**
     * {@code exec}: a program run as runAs (null: as dbrescue), with the secrets named in passEnv (comma-separated)
     * in its environment.
     */
    public record Run(List<String> argv, String runAs, String passEnv) implements StepParams {
        @Override
        public String kind() {
            return "exec";
        }
    }

    static final class RemoveStep implements TypedStep<Remove> {
        @Override
        public void run(Remove p, Step step, StepContext ctx) throws Exception {
            CopyTree.delete(p.path());
        }
    }

    static final class MakeDirStep implements TypedStep<MakeDir> {
        @Override
        public void run(MakeDir p, Step step, StepContext ctx) throws Exception {
            Path dir = p.path();
            Files.createDirectories(dir);
            if (p.mode() != null) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(p.mode()));
            }
            String owner = p.owner();
            if (owner != null && !owner.equals(OsUsers.me())) {
                Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner));
            }
        }

        @Override
        public void undo(MakeDir p, Step step, StepContext ctx) throws Exception {
            CopyTree.delete(p.path());
        }
    }

    static final class MoveStep implements TypedStep<Move> {
        @Override
        public void run(Move p, Step step, StepContext ctx) throws Exception {
            Path from = p.from();
            Path to = p.to();
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
        public void undo(Move p, Step step, StepContext ctx) throws Exception {
            Path from = p.from();
            Path to = p.to();
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS) && !Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                CopyTree.move(to, from);
            }
        }
    }

    static final class MoveAsideStep implements TypedStep<MoveAside> {
        @Override
        public void run(MoveAside p, Step step, StepContext ctx) throws Exception {
            Path path = p.path();
            Path safety = p.safety();
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
        public void undo(MoveAside p, Step step, StepContext ctx) throws Exception {
            Path path = p.path();
            Path safety = p.safety();
            if (Files.exists(safety, LinkOption.NOFOLLOW_LINKS)) {
                CopyTree.delete(path);
                CopyTree.move(safety, path);
            }
        }
    }

    static final class CopyTreeStep implements TypedStep<Copy> {
        @Override
        public void run(Copy p, Step step, StepContext ctx) throws Exception {
            Path source = p.source();
            Path target = p.target();
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new StepFailure("conflict", target + " already exists, so the copy would mix two databases.",
                        "Move it aside (dbrescue does this when safety copies are on), then run again.");
            }
            UserPrincipal owner = null;
            String ownerName = p.owner();
            if (ownerName != null && !ownerName.equals(OsUsers.me())) {
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
            if (p.mode() != null) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(p.mode()));
            }
        }

        @Override
        public void undo(Copy p, Step step, StepContext ctx) throws Exception {
            CopyTree.delete(p.target());
        }
    }

    static final class ExecStep implements TypedStep<Run> {
        @Override
        public void run(Run p, Step step, StepContext ctx) throws Exception {
            Exec exec = Exec.of(p.argv()).as(p.runAs());
            for (String name : (p.passEnv() == null ? "" : p.passEnv()).split(",")) {
                if (!name.isBlank()) {
                    exec.env(name, ctx.secrets().get(name));
                }
            }
            Exec.Result r;
            try {
                r = exec.run(ctx);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("could not start")) {
                    throw Failures.missingProgram(p.argv().get(0), null);
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
