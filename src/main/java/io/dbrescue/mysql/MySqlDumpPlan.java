package io.dbrescue.mysql;

import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.machine.Versions;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.run.StepFailure;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The dump-restore strategy for a MariaDB / MySQL dump: into the running target server through its client,
 * what the target already has skipped, replaced after a safety dump, or restored under another name.
 */
final class MySqlDumpPlan {
    private MySqlDumpPlan() {
    }

    /** The target server as the client reached it: its version and the databases it has. */
    private record Reached(MySqlClient conn, MySqlClient.ServerVersion version, Set<String> databases) {
    }

    /**
     * What the dump restores: its databases (under the new name for a rename), the ones replaced after a safety
     * dump, those its load leaves out, and whether it names its databases itself (--databases).
     */
    private record Restore(List<String> databases, String renameTo, List<String> replace, Set<String> leaveOut,
                           boolean named) {
    }

    static void plan(Finding f, PlanContext ctx, MySqlTarget.Found found) {
        TargetOptions opts = ctx.request().target();
        String user = opts.user() != null ? opts.user() : "root";
        MySqlClient conn = found.tried() != null ? found.tried() : new MySqlClient(opts.binDir(),
                opts.hostOr("127.0.0.1"), opts.port() != null ? opts.port() : 3306, null, user, ctx.secrets());
        if (conn.client() == null) {
            ctx.fail("tools", "The MariaDB/MySQL client (mariadb or mysql) is not installed.",
                    "apt install mariadb-client (Debian/Ubuntu), dnf install mariadb (Fedora), pacman -S "
                            + "mariadb-clients (Arch); or give its folder with --target-bin.");
            return;
        }
        ctx.pass("tools", "client " + conn.client());
        Reached target = reach(ctx, conn, user);
        if (target == null) {
            return;
        }
        checkProduct(f, ctx, target.version());
        Path dump = ctx.request().backupRoot().resolve(f.getPath());
        Restore what = restore(f, ctx, target.databases(), MySqlSteps.namesItsDatabases(dump));
        if (what == null) {
            return;
        }
        if (conn.dumper() == null && !what.replace().isEmpty()) {
            ctx.fail("tools", "mariadb-dump is needed for the safety dump before replacing.",
                    "Install the client (apt install mariadb-client).");
        }
        replaceSteps(ctx, conn, what.replace());
        restoreSteps(f, ctx, target, what, dump);
    }

    private static Reached reach(PlanContext ctx, MySqlClient conn, String user) {
        try {
            MySqlClient.ServerVersion sv = conn.serverVersion();
            Set<String> existing = new LinkedHashSet<>();
            for (String[] row : conn.query("SHOW DATABASES")) {
                existing.add(row[0]);
            }
            ctx.pass("target", sv.product() + " " + sv.version() + " answers at " + conn.where() + " as " + user + ".");
            return new Reached(conn, sv, existing);
        } catch (StepFailure e) {
            ctx.fail("target", "Cannot reach the target server at " + conn.where() + " as " + user + ": "
                    + e.getMessage(), e.fix());
        } catch (IOException | InterruptedException e) {
            ctx.fail("target", "Cannot reach the target server at " + conn.where() + ": " + e.getMessage(),
                    "Start it, or point dbrescue at it with --target-host / --target-port / --target-user.");
        }
        return null;
    }

    private static void checkProduct(Finding f, PlanContext ctx, MySqlClient.ServerVersion sv) {
        String product = f.getEngine().displayName();
        if ((f.getEngine() == Engine.MARIADB) != sv.mariadb()) {
            ctx.warn("product", "This is a " + product + " dump going into " + sv.product()
                    + ": most SQL loads across the two, but collations and features of one (e.g. MySQL 8's "
                    + "utf8mb4_0900_* collations, MariaDB's sequences) are unknown to the other.",
                    "If the restore stops on such a statement, edit a copy of the dump or install " + product + ".");
        } else if (f.getVersion() != null && Versions.compare(InstalledServer.majorOf(f.getEngine(), f.getVersion()),
                sv.major()) > 0) {
            ctx.warn("version", "The dump comes from " + product + " " + f.getVersion()
                    + ", newer than the target's " + sv.version() + ": newer collations or syntax may be refused.",
                    "If the restore stops, install " + product + " " + f.getVersion() + " or newer.");
        }
    }

    /** The databases to restore after the system ones and the --on-conflict choice; null when nothing is. */
    private static Restore restore(Finding f, PlanContext ctx, Set<String> existing, boolean named) {
        List<String> dbs = new ArrayList<>(f.getDatabases());
        @SuppressWarnings("unchecked")
        List<String> system = (List<String>) f.getDetails().getOrDefault("systemDatabases", List.of());
        Set<String> leaveOut = new LinkedHashSet<>(system);
        if (!system.isEmpty()) {
            ctx.warn("system-databases", "The dump holds the system database(s) " + String.join(", ", system)
                    + " (users, grants): they are left out so that the target's own users stay as they are.",
                    "Re-create the users you need by hand (CREATE USER / GRANT).");
        }
        if (dbs.isEmpty()) {
            ctx.fail("databases", "The dump does not say which database it holds, so dbrescue cannot tell where to "
                    + "load it.", "Restore it by hand: mariadb DBNAME < dump.");
            return null;
        }
        List<String> clash = dbs.stream().filter(existing::contains).toList();
        Restore r = clash.isEmpty() ? new Restore(dbs, null, List.of(), leaveOut, named)
                : onConflict(ctx, dbs, clash, existing, leaveOut, named);
        if (r != null && r.databases().isEmpty()) {
            ctx.pass("nothing-to-do", "Every database of this dump is already in the target and was skipped.");
            return null;
        }
        return r;
    }

    private static Restore onConflict(PlanContext ctx, List<String> dbs, List<String> clash, Set<String> existing,
                                      Set<String> leaveOut, boolean named) {
        String clashing = String.join(", ", clash);
        switch (ctx.request().onConflict()) {
            case ASK -> {
                ctx.fail("conflict", "The target already has a database named " + clashing + ".",
                        "Choose what to do with --on-conflict skip (leave it, restore the others), replace "
                                + "(safety dump, drop, restore)" + (named ? "" : " or rename (restore as "
                                + clash.get(0) + "_restored)") + ".");
                return null;
            }
            case SKIP -> {
                List<String> restore = new ArrayList<>(dbs);
                restore.removeAll(clash);
                leaveOut.addAll(clash);
                ctx.pass("conflict", "Skipped (already in the target): " + clashing + ".");
                return new Restore(restore, null, List.of(), leaveOut, named);
            }
            case RENAME -> {
                return rename(ctx, clash, existing, leaveOut, named);
            }
            case REPLACE -> {
                ctx.pass("conflict", "Replaced after a safety dump: " + clashing + ".");
                return new Restore(dbs, null, clash, leaveOut, named);
            }
            default -> throw new IllegalStateException("unknown conflict choice " + ctx.request().onConflict());
        }
    }

    private static Restore rename(PlanContext ctx, List<String> clash, Set<String> existing, Set<String> leaveOut,
                                  boolean named) {
        if (named) {
            ctx.fail("conflict", "Rename is not supported for MariaDB/MySQL dumps made with --databases "
                            + "or --all-databases: they name their databases in USE and CREATE DATABASE "
                            + "statements (and views and triggers may too), which cannot be rewritten "
                            + "safely. The target already has " + String.join(", ", clash) + ".",
                    "Use --on-conflict skip or replace, or rename the existing database first.");
            return null;
        }
        String renameTo = clash.get(0) + "_restored";
        if (existing.contains(renameTo)) {
            ctx.fail("conflict", "Both " + clash.get(0) + " and " + renameTo + " already exist in the target.",
                    "Rename or drop " + renameTo + " first, or use --on-conflict replace.");
            return null;
        }
        ctx.pass("conflict", clash.get(0) + " exists: the dump is restored as " + renameTo + ".");
        return new Restore(List.of(renameTo), renameTo, List.of(), leaveOut, named);
    }

    /** A safety dump of each database the restore replaces, then its drop (undone by loading the dump back). */
    static void replaceSteps(PlanContext ctx, MySqlClient conn, List<String> replace) {
        String stamp = LocalDateTime.now().format(MySqlPlanner.STAMP);
        for (String db : replace) {
            String file = "safety-" + db + "-" + stamp + ".sql";
            MySqlSteps.Login login = MySqlSteps.Login.of(conn);
            ctx.step(new MySqlSteps.MySqlSafetyDump(login, db, file, MySqlPlanner.concat(conn.dumper(),
                            conn.connection(), "--single-transaction", "--routines", "--events", "--triggers",
                            "--databases", db)), "Safety dump of the existing database " + db)
                    .reads(conn.where()).writes("the run folder: " + file)
                    .undo("nothing (the safety dump is kept)").add();
            ctx.step(new MySqlSteps.MySqlDrop(login, db, file, MySqlPlanner.concat(conn.client(), conn.connection(),
                            "-e", "DROP DATABASE " + MySqlClient.ident(db))), "Drop the existing database " + db)
                    .writes(conn.where()).undo("load the safety dump back").add();
        }
    }

    private static void restoreSteps(Finding f, PlanContext ctx, Reached target, Restore what, Path dump) {
        MySqlClient conn = target.conn();
        List<String> argv = new ArrayList<>();
        argv.add(conn.client().toString());
        argv.addAll(conn.connection());
        argv.add("--binary-mode");
        if (!what.named()) {
            argv.add(what.renameTo() != null ? what.renameTo() : f.getDatabases().get(0));
        }
        List<String> restore = what.databases();
        String format = f.getFormat() == null ? "plain" : f.getFormat();
        MySqlSteps.Login login = MySqlSteps.Login.of(conn);
        ctx.step(new MySqlSteps.MySqlRestore(login, dump, String.join("\n", restore),
                        what.named() ? null : restore.get(0),
                        what.leaveOut().isEmpty() ? null : String.join("\n", what.leaveOut()), argv),
                        "Load the dump into " + target.version().product() + " " + target.version().version() + " ("
                                + String.join(", ", restore) + ")")
                .reads(dump + (format.equals("plain") ? "" : " (decompressed as it streams)"))
                .writes(conn.where() + ": " + String.join(", ", restore)).bytes(sizeOf(dump))
                .undo("drop the databases it created: " + String.join(", ", restore)).add();
        ctx.step(new MySqlSteps.MySqlVerify(login, String.join("\n", restore)),
                "Check the restored databases: list them and count rows").reads(conn.where()).add();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
