package io.dbrescue.redis;

import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.OsUsers;
import io.dbrescue.plan.Checks;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.machine.TargetOptions;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The steps that put an RDB where the target loads it: where that is (the running server's dir and
 * dbfilename, else --target-data), the server stopped without saving, its file (and an AOF it would load
 * instead) set aside as the safety copy, the RDB copied in — straight from the backup, or the one a
 * throwaway server saved from an AOF ({@link RedisAofPlan}) — the server started as it ran, the keys
 * checked ({@link RedisVerify}), and a server started only for the check stopped again.
 */
final class RedisPlacement {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final PlanContext ctx;
    private final RedisPlanner.State st;
    private final RedisCli cli;
    private final boolean root;
    private final String stamp = LocalDateTime.now().format(STAMP);
    private Path dir;
    private String file = "dump.rdb";
    private String service;
    private String runAs;
    private String appendonly;

    RedisPlacement(PlanContext ctx, RedisPlanner.State st, boolean root) {
        this.ctx = ctx;
        this.st = st;
        this.cli = st.cli();
        this.root = root;
    }

    void plan(Finding f) {
        if (!tools() || !where()) {
            return;
        }
        who();
        RecoveryRequest req = ctx.request();
        Path source = req.backupRoot().resolve(f.getPath());
        Map<String, String> expect;
        RedisAofPlan.Loaded loaded = null;
        if (f.getKind() == Kind.AOF) {
            ctx.diskSpace(dir, 2 * f.getSizeBytes()); // the copy of the AOF and the RDB saved from it
            loaded = RedisAofPlan.plan(f, source, st, dir, runAs, stamp, ctx);
            source = loaded.rdb();
            expect = Map.of("expectFile", loaded.counts().toString());
        } else {
            expect = RdbPreflight.check(f, source, ctx, req.target().binDir());
            if (expect == null) {
                return;
            }
            ctx.diskSpace(dir, f.getSizeBytes());
        }
        stopAndSetAside(req.safetyCopy());
        copyAndStart(source, f.getSizeBytes(), loaded != null);
        verify(expect, loaded);
    }

    private boolean tools() {
        if (cli == null) {
            ctx.fail("tools", "redis-cli is not installed.", "apt install redis-tools (Debian/Ubuntu), dnf install redis "
                    + "(Fedora), pacman -S redis (Arch); or give its folder with --target-bin.");
            return false;
        }
        if (st.server() == null) {
            ctx.fail("tools", "redis-server is not installed.", "apt install redis-server, or give its folder with "
                    + "--target-bin.");
            return false;
        }
        return true;
    }

    /** The folder and file name the target loads: asked from the running server, else --target-data. */
    private boolean where() {
        TargetOptions opts = ctx.request().target();
        if (!st.running()) {
            Path given = opts.dataDir() != null ? opts.dataDir() : Path.of("/var/lib/redis");
            if (!opts.dataIsFolder() && !Files.isDirectory(given)
                    && (Files.isRegularFile(given) || given.getFileName().toString().endsWith(".rdb"))) {
                dir = given.toAbsolutePath().getParent();
                file = given.getFileName().toString();
            } else {
                dir = given;
            }
            ctx.pass("target", "No Redis answers on " + cli.host() + ":" + cli.port() + "; the file goes to " + dir
                    + " and " + st.name() + " is started on it for the check, then stopped.");
            if (!Files.isDirectory(dir)) {
                ctx.fail("target-data", dir + " does not exist.", "Create it, or give the Redis folder with --target-data.");
            }
            return true;
        }
        String cdir = cli.config("dir");
        String cfile = cli.config("dbfilename");
        if (cdir == null) {
            ctx.fail("target", "The Redis server on " + cli.host() + ":" + cli.port() + " does not answer CONFIG GET "
                    + "(a password, or CONFIG renamed).", "Give the password through REDISCLI_AUTH, or stop the "
                    + "server and give the folder with --target-data.");
            return false;
        }
        dir = Path.of(cdir);
        file = cfile == null || cfile.isEmpty() ? file : cfile;
        if (opts.dataDir() != null && !RedisPlanner.sameFolder(opts.dataDir(), dir)) {
            ctx.fail("target-data", "The Redis server on port " + cli.port() + " uses the folder " + dir + ", not "
                    + opts.dataDir() + ": it would not load a file placed there.", "Leave out --target-data (dbrescue "
                    + "asks the server), or point --target-port at the server that uses " + opts.dataDir() + ".");
            return false;
        }
        ctx.pass("target", st.name() + " runs on " + cli.host() + ":" + cli.port() + " with dir " + dir
                + " and dbfilename " + file + ".");
        return true;
    }

    /** The service that runs it, the user that owns the files, and whether it writes an AOF. */
    private void who() {
        TargetOptions opts = ctx.request().target();
        service = root ? RedisPlanner.activeService() : null;
        String me = OsUsers.me();
        runAs = opts.runAs() != null ? opts.runAs() : RedisPlanner.owner(dir, root ? "redis" : me);
        Checks.mayGive(ctx, runAs, root, "the file");
        appendonly = st.running() ? cli.config("appendonly") : "no";
        if (service != null && "yes".equals(appendonly)) {
            ctx.fail("appendonly", "The " + service + " service runs with appendonly yes: on start it would load its AOF "
                    + "and ignore the RDB.", "Set appendonly no in its redis.conf, restart it, run dbrescue again, "
                    + "then turn appendonly back on with redis-cli CONFIG SET appendonly yes.");
        }
    }

    /** The target server as the steps name it, with the systemd unit that runs it (null: dbrescue does). */
    private RedisSteps.Server server(String unit) {
        return RedisSteps.Server.of(cli, unit, runAs);
    }

    private Path dest() {
        return dir.resolve(file);
    }

    private void stopAndSetAside(boolean safetyCopy) {
        if (st.running()) {
            List<String> restart = RedisPlanner.startArgv(st, cli, dir, file, appendonly == null ? "no" : appendonly);
            ctx.step(new RedisSteps.RedisStop(server(service), RedisSteps.json(restart), appendonly),
                            "Stop Redis without saving, so that it does not overwrite " + dest() + " on exit")
                    .writes("the running server (stopped)").writesTo(dir).needsRoot(service != null)
                    .undo("start it again").add();
        }
        if (Files.exists(dest(), LinkOption.NOFOLLOW_LINKS)) {
            if (safetyCopy) {
                Path safety = dir.resolve(file + ".before-dbrescue-" + stamp);
                ctx.step(new BasicSteps.MoveAside(dest(), safety), "Keep the existing " + file + " as the safety copy")
                        .reads(dest().toString()).writes(safety.toString()).undo("move it back").add();
            } else {
                ctx.warn("safety-copy", dest() + " is replaced without a safety copy (--no-safety-copy, or "
                        + "backup_existing_data = false in the settings).", "Leave out --no-safety-copy (and set "
                        + "backup_existing_data = true) to keep it.");
                ctx.step(new BasicSteps.Remove(dest()), "Remove the existing " + file).writes(dest().toString())
                        .undo("cannot be undone (no safety copy)").add();
            }
        }
        if ("yes".equals(appendonly)) {
            setAsideAof();
        }
    }

    /** A target with appendonly yes would load its AOF instead of the RDB: the AOF goes aside too. */
    private void setAsideAof() {
        String dirName = cli.config("appenddirname");
        for (String aof : List.of(dirName == null ? "appendonlydir" : dirName, "appendonly.aof")) {
            Path a = dir.resolve(aof);
            if (!aof.isEmpty() && Files.exists(a, LinkOption.NOFOLLOW_LINKS)) {
                Path safety = dir.resolve(aof + ".before-dbrescue-" + stamp);
                ctx.step(new BasicSteps.MoveAside(a, safety),
                                "Keep the existing " + aof + " aside (it would be loaded instead of the RDB)")
                        .reads(a.toString()).writes(safety.toString()).undo("move it back").add();
            }
        }
        ctx.warn("appendonly", "The target runs with appendonly yes: Redis is started with appendonly no so that it "
                + "loads the RDB, then appendonly is turned on again (Redis writes a new AOF from the data).",
                "Nothing to do.");
    }

    private void copyAndStart(Path source, long bytes, boolean fromAof) {
        ctx.step(new BasicSteps.Copy(source, dest(), root ? runAs : null, null),
                        "Copy the RDB" + (fromAof ? " saved from the AOF" : "") + " to " + dest())
                .reads(source.toString()).writes(dest().toString()).bytes(bytes).needsRoot(root)
                .undo("delete the copy").add();
        ctx.step(RedisSteps.RedisStart.of(server(service), appendonly,
                                RedisPlanner.startArgv(st, cli, dir, file, "no")),
                        "Start " + st.name() + " on the restored RDB")
                .writes("a running Redis on " + cli.host() + ":" + cli.port()).writesTo(dir).needsRoot(service != null)
                .undo("shut it down without saving").add();
    }

    private void verify(Map<String, String> expect, RedisAofPlan.Loaded loaded) {
        if (expect.containsKey("unknownWhy")) {
            ctx.warn("key-counts", "The backup's key count is not known (" + expect.get("unknownWhy") + "): after the "
                    + "restore dbrescue reports how many keys arrived but cannot compare them.",
                    "apt install redis-tools: redis-check-rdb counts the keys in the pre-flight.");
        } else if (expect.containsKey("partial")) {
            ctx.warn("key-counts", "The scan could count the keys of some databases only: the check compares those.",
                    "Nothing to do.");
        }
        ctx.step(RedisVerify.RedisKeys.of(server(service), expect), "Check the keys: per database against the "
                + (loaded == null ? "RDB" : "AOF as Redis loaded it")).reads(cli.host() + ":" + cli.port()).add();
        if (loaded != null) {
            ctx.step(new BasicSteps.Remove(loaded.work()),
                    "Delete the working folder of the AOF load (the backup is untouched)")
                    .writes("deletes " + loaded.work()).add();
        }
        if (!st.running()) {
            ctx.step(new RedisSteps.RedisStop(server(null), RedisSteps.json(RedisPlanner.startArgv(st, cli, dir, file,
                            "no")), null), "Stop the Redis started for the check (it was not running before)")
                    .writes("the server (stopped)").writesTo(dir).undo("start it again").add();
        }
    }
}
