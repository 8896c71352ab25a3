package io.dbrescue.sqlite;

import io.dbrescue.run.OsUsers;
import io.dbrescue.plan.Checks;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Decision.Alternative;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Status;
import io.dbrescue.machine.Target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * SQLite: the database is a file, so it is copied (with the -wal or -journal beside it) to the place
 * the user names with --target-data (there is no server to ask), the file there kept as the safety
 * copy, and the copy opened read-only to count rows against the backup's file.
 */
public final class SqlitePlanner implements EnginePlanner {
    static final List<String> COMPANIONS = List.of("-wal", "-journal");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Override
    public boolean handles(Finding f) {
        return f.getEngine() == Engine.SQLITE;
    }

    @Override
    public Decision decide(Finding f, Strategy requested, Target target, RecoveryRequest request) {
        List<Alternative> alts = List.of(
                new Alternative(Strategy.CONTAINER, false, "SQLite has no server: any SQLite 3 reads the file"),
                new Alternative(Strategy.DUMP_RESTORE, false, "not needed: the file itself is copied"));
        if (f.getStatus() == Status.DAMAGED) {
            return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), null,
                    "This SQLite file is damaged (" + String.join(" ", f.getWarnings()) + ")", alts);
        }
        if (requested != Strategy.AUTO && requested != Strategy.DIRECT) {
            return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), null,
                    "A SQLite database is restored with direct (the file is copied).", alts);
        }
        return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), Strategy.DIRECT,
                "A SQLite database is one file (with its -wal or -journal beside it): it is copied to --target-data "
                        + "and opened to count rows.", alts);
    }

    /**
     * Where the file goes: --target-data as a file, or a folder (made first when it ends in '/' and is not there
     * yet) that keeps the file's name; the nearest folder that exists is what must be written in.
     */
    private record Where(Path given, Path dest, Path parent, boolean newFolder, Path nearest) {
    }

    /**
     * Who writes and who owns the copy: {@code elevate} when only root may write in the folder and dbrescue is not
     * root (the writing steps then run as root); {@code owner} the owner the copy gets, null for dbrescue's user.
     */
    private record Writer(boolean elevate, String owner) {
    }

    @Override
    public void plan(Finding f, Decision d, Target target, PlanContext ctx) {
        Path source = f.in(ctx.request().backupRoot());
        Where w = where(ctx, source);
        if (w == null) {
            return;
        }
        Writer who = writer(ctx, target.root(), w.nearest());
        if (w.newFolder()) {
            // the first missing folder on the way, so that undoing removes every folder the run made
            Path first = w.nearest().resolve(w.nearest().relativize(w.given().toAbsolutePath()).getName(0));
            ctx.step(new BasicSteps.MakeDir(first, who.owner(), null), "Create the folder " + w.given())
                    .writes(w.given().toString()).needsRoot(who.elevate())
                    .undo("delete " + first + " with what is in it").add();
        }
        List<String> companions = COMPANIONS.stream()
                .filter(c -> Files.isRegularFile(SqliteFiles.companion(source, c), LinkOption.NOFOLLOW_LINKS)).toList();
        Checks.diskSpace(ctx, w.parent(), f.getSizeBytes());
        if (!replaceExisting(ctx, w.dest(), who.elevate())) {
            return;
        }
        copySteps(f, ctx, source, w.dest(), companions, who);
        ctx.step(new SqliteSteps.SqliteVerify(source, w.dest(), String.join(",", companions)),
                "Open the copy read-only and count rows per table against the backup's file")
                .reads(w.dest() + ", " + source).add();
    }

    /** Where the file goes, or null after a failing target-data check. */
    private static Where where(PlanContext ctx, Path source) {
        Path given = ctx.request().target().dataDir();
        if (given == null) {
            ctx.fail("target-data", "Say where the SQLite file goes: SQLite has no server whose folder dbrescue could "
                    + "ask for.", "Add --target-data FOLDER (the file keeps its name " + source.getFileName()
                    + ") or --target-data FILE.");
            return null;
        }
        Path dest = ctx.request().target().fileIn(source.getFileName().toString());
        Path parent = dest.toAbsolutePath().getParent();
        // --target-data DIR/ that is not there yet: a folder to create (and remove again on rollback)
        boolean folder = ctx.request().target().dataIsFolder();
        boolean newFolder = folder && !Files.exists(given, LinkOption.NOFOLLOW_LINKS);
        if (folder && !newFolder && !Files.isDirectory(given)) {
            ctx.fail("target-data", given + " is a file, but --target-data ends in '/' (a folder).",
                    "Give a folder, or the file name without the '/'.");
            return null;
        }
        Path nearest = newFolder ? io.dbrescue.machine.DiskSpace.existingAncestor(given) : parent;
        if (nearest == null || !Files.isDirectory(nearest)) {
            ctx.fail("target-data", "The folder " + parent + " does not exist.", "Create it, or give another "
                    + "--target-data (a path ending in / is created as a folder).");
            return null;
        }
        return new Where(given, dest, parent, newFolder, nearest);
    }

    /** A folder only root may write in (/var/lib/...): the writing steps run as root, the rest as the user. */
    private static Writer writer(PlanContext ctx, boolean root, Path nearest) {
        boolean elevate = !root && !Files.isWritable(nearest);
        if (root && !Files.isWritable(nearest)) {
            ctx.fail("permission", "dbrescue cannot write in " + nearest + ".", "Choose another folder with --target-data.");
        } else if (elevate) {
            ctx.warn("permission", "Only root may write in " + nearest + ": the steps that write there run as root "
                    + "(dbrescue asks through your desktop's password dialog; without one it shows the command to run "
                    + "with sudo). The copy will be yours.", "Nothing to do, or choose a folder of your own with --target-data.");
        }
        String owner = ctx.request().target().runAs();
        Checks.mayGive(ctx, owner, root, "the file");
        if (owner == null && root) {
            owner = ownerOf(nearest);
        } else if (owner == null && elevate) {
            owner = OsUsers.me(); // copied by root, but yours: you open it (and it is verified as you)
        }
        // who writes: the owner parameter applies only when root does
        return new Writer(elevate, root || elevate ? owner : null);
    }

    /**
     * The file (and its -wal, -shm, -journal) already there: kept as the safety copy, or removed when none is
     * wanted; false when one is a folder.
     */
    private static boolean replaceExisting(PlanContext ctx, Path dest, boolean elevate) {
        String stamp = LocalDateTime.now().format(STAMP);
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            Path existing = dest.resolveSibling(dest.getFileName() + suffix);
            if (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
                ctx.fail("target-data", existing + " is a folder.", "Give a file name or another folder with --target-data.");
                return false;
            }
            if (ctx.request().safetyCopy()) {
                Path safety = dest.resolveSibling(dest.getFileName() + ".before-dbrescue-" + stamp + suffix);
                ctx.step(new BasicSteps.MoveAside(existing, safety),
                                "Keep the existing " + existing.getFileName() + " as the safety copy")
                        .reads(existing.toString()).writes(safety.toString()).needsRoot(elevate)
                        .undo("move it back").add();
            } else {
                ctx.warn("safety-copy", existing + " is replaced without a safety copy (--no-safety-copy, or "
                                + "backup_existing_data = false in the settings).",
                        "Leave out --no-safety-copy (and set backup_existing_data = true) to keep it.");
                ctx.step(new BasicSteps.Remove(existing), "Remove the existing " + existing.getFileName())
                        .writes(existing.toString()).needsRoot(elevate).undo("cannot be undone (no safety copy)").add();
            }
        }
        return true;
    }

    /** The file, then each companion beside it (they hold the latest changes). */
    private static void copySteps(Finding f, PlanContext ctx, Path source, Path dest, List<String> companions,
                                  Writer who) {
        long companionBytes = companions.stream().mapToLong(c -> sizeOf(SqliteFiles.companion(source, c))).sum();
        ctx.step(new BasicSteps.Copy(source, dest, who.owner(), null), "Copy the database file to " + dest)
                .reads(source.toString()).writes(dest.toString())
                .bytes(Math.max(0, f.getSizeBytes() - companionBytes)).needsRoot(who.elevate())
                .undo("delete the copy").add();
        for (String c : companions) {
            Path from = SqliteFiles.companion(source, c);
            Path to = dest.resolveSibling(dest.getFileName() + c);
            ctx.step(new BasicSteps.Copy(from, to, who.owner(), null),
                            "Copy its " + c.substring(1) + " file beside it (it holds the latest changes)")
                    .reads(from.toString()).writes(to.toString()).bytes(sizeOf(from)).needsRoot(who.elevate())
                    .undo("delete the copy").add();
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String ownerOf(Path dir) {
        try {
            return Files.getOwner(dir).getName();
        } catch (IOException e) {
            return null;
        }
    }

}
