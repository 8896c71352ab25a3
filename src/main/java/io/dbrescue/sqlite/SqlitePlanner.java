package io.dbrescue.sqlite;

import io.dbrescue.run.OsUsers;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Decision.Alternative;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.PlanContext;
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
import java.util.ArrayList;
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

    @Override
    public void plan(Finding f, Decision d, Target target, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        Path given = req.target().dataDir();
        Path source = f.in(req.backupRoot());
        if (given == null) {
            ctx.fail("target-data", "Say where the SQLite file goes: SQLite has no server whose folder dbrescue could "
                    + "ask for.", "Add --target-data FOLDER (the file keeps its name " + source.getFileName()
                    + ") or --target-data FILE.");
            return;
        }
        Path dest = req.target().fileIn(source.getFileName().toString());
        Path parent = dest.toAbsolutePath().getParent();
        // --target-data DIR/ that is not there yet: a folder to create (and remove again on rollback)
        boolean newFolder = req.target().dataIsFolder() && !Files.exists(given, LinkOption.NOFOLLOW_LINKS);
        if (req.target().dataIsFolder() && !newFolder && !Files.isDirectory(given)) {
            ctx.fail("target-data", given + " is a file, but --target-data ends in '/' (a folder).",
                    "Give a folder, or the file name without the '/'.");
            return;
        }
        Path nearest = newFolder ? io.dbrescue.machine.DiskSpace.existingAncestor(given) : parent;
        if (nearest == null || !Files.isDirectory(nearest)) {
            ctx.fail("target-data", "The folder " + parent + " does not exist.", "Create it, or give another "
                    + "--target-data (a path ending in / is created as a folder).");
            return;
        }
        boolean root = target.root();
        // a folder only root may write in (/var/lib/...): the writing steps run as root, the rest as the user
        boolean elevate = !root && !Files.isWritable(nearest);
        if (root && !Files.isWritable(nearest)) {
            ctx.fail("permission", "dbrescue cannot write in " + nearest + ".", "Choose another folder with --target-data.");
        } else if (elevate) {
            ctx.warn("permission", "Only root may write in " + nearest + ": the steps that write there run as root "
                    + "(dbrescue asks through your desktop's password dialog; without one it shows the command to run "
                    + "with sudo). The copy will be yours.", "Nothing to do, or choose a folder of your own with --target-data.");
        }
        String owner = req.target().runAs();
        if (owner != null && !root && !owner.equals(OsUsers.me())) {
            ctx.fail("permission", "Giving the file to " + owner + " needs root.", "Run dbrescue with sudo, or leave out --run-as.");
        }
        if (owner == null && root) {
            owner = ownerOf(nearest);
        } else if (owner == null && elevate) {
            owner = System.getProperty("user.name"); // copied by root, but yours: you open it (and it is verified as you)
        }
        root = root || elevate; // who writes: the owner parameter applies
        if (newFolder) {
            // the first missing folder on the way, so that undoing removes every folder the run made
            Path first = nearest.resolve(nearest.relativize(given.toAbsolutePath()).getName(0));
            ctx.step("make-dir", "Create the folder " + given).writes(given.toString()).param("path", first)
                    .param("owner", root ? owner : null).needsRoot(elevate).undo("delete " + first + " with what is in it").add();
        }
        List<String> companions = new ArrayList<>();
        for (String c : COMPANIONS) {
            if (Files.isRegularFile(SqliteFiles.companion(source, c), LinkOption.NOFOLLOW_LINKS)) {
                companions.add(c);
            }
        }
        ctx.diskSpace(parent, f.getSizeBytes());
        String stamp = LocalDateTime.now().format(STAMP);
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            Path existing = dest.resolveSibling(dest.getFileName() + suffix);
            if (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
                ctx.fail("target-data", existing + " is a folder.", "Give a file name or another folder with --target-data.");
                return;
            }
            if (req.safetyCopy()) {
                Path safety = dest.resolveSibling(dest.getFileName() + ".before-dbrescue-" + stamp + suffix);
                ctx.step("move-aside", "Keep the existing " + existing.getFileName() + " as the safety copy")
                        .reads(existing.toString()).writes(safety.toString()).param("path", existing)
                        .param("safety", safety).needsRoot(elevate).undo("move it back").add();
            } else {
                ctx.warn("safety-copy", existing + " is replaced without a safety copy (--no-safety-copy, or backup_existing_data = false in the settings).",
                        "Leave out --no-safety-copy (and set backup_existing_data = true) to keep it.");
                ctx.step("remove", "Remove the existing " + existing.getFileName()).writes(existing.toString())
                        .param("path", existing).needsRoot(elevate).undo("cannot be undone (no safety copy)").add();
            }
        }
        long companionBytes = 0;
        for (String c : companions) {
            try {
                companionBytes += Files.size(SqliteFiles.companion(source, c));
            } catch (IOException ignored) {
                // counted as 0
            }
        }
        ctx.step("copy-tree", "Copy the database file to " + dest).reads(source.toString()).writes(dest.toString())
                .bytes(Math.max(0, f.getSizeBytes() - companionBytes)).param("source", source).param("target", dest)
                .param("owner", root ? owner : null).needsRoot(elevate).undo("delete the copy").add();
        for (String c : companions) {
            Path from = SqliteFiles.companion(source, c);
            Path to = dest.resolveSibling(dest.getFileName() + c);
            long size;
            try {
                size = Files.size(from);
            } catch (IOException e) {
                size = 0;
            }
            ctx.step("copy-tree", "Copy its " + c.substring(1) + " file beside it (it holds the latest changes)")
                    .reads(from.toString()).writes(to.toString()).bytes(size).param("source", from).param("target", to)
                    .param("owner", root ? owner : null).needsRoot(elevate).undo("delete the copy").add();
        }
        ctx.step("sqlite-verify", "Open the copy read-only and count rows per table against the backup's file")
                .reads(dest + ", " + source).param("source", source).param("target", dest)
                .param("companions", String.join(",", companions)).add();
    }

    private static String ownerOf(Path dir) {
        try {
            return Files.getOwner(dir).getName();
        } catch (IOException e) {
            return null;
        }
    }

}
