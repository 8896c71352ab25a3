package io.dbrescue.mongodb;

import io.dbrescue.plan.Decision;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * MongoDB recoveries, planned by MongoDB's documented rules but NOT verified against a real server: no
 * mongod, mongorestore or mongosh can be installed where dbrescue is built and tested, and every plan says
 * so in a warning. The dbPath's version is read from the backup ({@link MongoVersionSources}); a dbPath of
 * the target's major or the previous one goes in directly (stop, safety copy, copy owned by the run-as
 * user, start mongod on 127.0.0.1, FCV raised, databases listed with mongosh when present); older data
 * goes one major at a time through Podman containers ({@link MongoContainerPlan}); a mongodump folder or
 * archive goes through mongorestore into the running server ({@link MongoTargetRestore}).
 */
final class MongoPlanner implements EnginePlanner {
    static final String UNVERIFIED = "MongoDB restores are planned like the others but not tested against a real "
            + "server (no MongoDB can be installed where dbrescue is built).";

    @Override
    public boolean handles(Finding f) {
        return f.getEngine() == Engine.MONGODB;
    }

    @Override
    public Decision decide(Finding f, Strategy requested, Target target, RecoveryRequest request) {
        boolean dump = f.getKind() == Kind.DUMP;
        Strategy natural = dump ? Strategy.DUMP_RESTORE : Strategy.DIRECT;
        List<Decision.Alternative> alternatives = new ArrayList<>();
        alternatives.add(new Decision.Alternative(Strategy.DIRECT, !dump, dump ? "a dump is not a data directory"
                : "the dbPath files are copied under the installed mongod (its own major or the previous one only)"));
        alternatives.add(new Decision.Alternative(Strategy.DUMP_RESTORE, dump, dump ? "mongorestore loads the dump"
                : "not a dump (select the mongodump of it, if the backup has one)"));
        alternatives.add(new Decision.Alternative(Strategy.CONTAINER, !dump, dump ? "not needed for a dump"
                : "the old mongod and each major after it run in Podman containers on a copy, one major at a time, "
                + "then mongodump / mongorestore at the target's major"));
        if (dump) {
            return requested == Strategy.AUTO || requested == natural ? decision(f, natural, "mongorestore loads the "
                    + "dump into the running mongod.", alternatives) : decision(f, null, "--strategy "
                    + requested.id() + " does not fit a MongoDB dump; use dump-restore.", alternatives);
        }
        return decideDbPath(f, requested, target, request, alternatives);
    }

    private static Decision decision(Finding f, Strategy s, String why, List<Decision.Alternative> alternatives) {
        return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), s, why, alternatives);
    }

    /**
     * A dbPath by MongoDB's rules: its version read from the backup ({@link MongoVersionSources}); direct when
     * the target's mongod is of the same major or the next one, else the container chain; newer data, an
     * unknown version or a rapid release are refused with what to do.
     */
    private static Decision decideDbPath(Finding f, Strategy requested, Target target, RecoveryRequest request,
                                        List<Decision.Alternative> alternatives) {
        if (requested == Strategy.DUMP_RESTORE) {
            return decision(f, null, "--strategy dump-restore does not fit a MongoDB dbPath; use direct or container.",
                    alternatives);
        }
        MongoVersionSources.Found found = sourceVersion(f, request);
        String targetVersion = targetVersion(target);
        if (found == null) {
            return decision(f, null, "The backup does not tell which MongoDB wrote this dbPath (no diagnostic.data "
                    + "metrics, no mongod.log with a start-up line; the data files themselves do not record it; "
                    + f.getDetails().getOrDefault("mongodbVersionHint", "") + "), and a mongod opens only data of its "
                    + "own or the previous major. Copy the old system's /var/log/mongodb into the backup folder "
                    + "(var/log/mongodb), or name the old version's image: --set images.mongodb="
                    + "docker.io/library/mongo:6.0 (the version that ran last).", alternatives);
        }
        String from = MongoMajors.of(found.version());
        if (!MongoMajors.known(from)) {
            return decision(f, null, "MongoDB " + found.version() + " (from " + found.source() + ") is a rapid release "
                    + "or a version dbrescue does not plan for (" + String.join(", ", MongoMajors.MAJORS) + ").",
                    alternatives);
        }
        if (targetVersion == null) {
            return decision(f, null, "No mongod is installed here, so the target's MongoDB version is unknown. "
                    + "Install MongoDB (mongodb-org) or give its folder with --target-bin.", alternatives);
        }
        String to = MongoMajors.of(targetVersion);
        String data = "MongoDB " + found.version() + " (read from " + found.source() + ")";
        if (MongoMajors.compare(from, to) > 0) {
            return decision(f, null, data + " is newer than the installed mongod " + targetVersion + ": MongoDB "
                    + "never opens data of a newer version. Install MongoDB " + from + " or later.", alternatives);
        }
        boolean directWorks = from.equals(to) || from.equals(MongoMajors.previous(to));
        if (requested == Strategy.DIRECT && !directWorks) {
            return decision(f, null, data + " cannot be opened by mongod " + targetVersion + ": a mongod opens data "
                    + "whose featureCompatibilityVersion is its own major or the previous one ("
                    + MongoMajors.previous(to) + " or " + to + "). Use --strategy container: it steps through "
                    + String.join(" → ", MongoMajors.path(from, to)) + ".", alternatives);
        }
        if (requested == Strategy.CONTAINER || !directWorks) {
            return decision(f, Strategy.CONTAINER, data + " into mongod " + targetVersion + ": each major runs once in "
                    + "a Podman container on a copy (" + String.join(" → ", MongoMajors.path(from, to)) + "), the "
                    + "featureCompatibilityVersion raised after each; the last is dumped and restored at the target's "
                    + "major.", alternatives);
        }
        return decision(f, Strategy.DIRECT, data + ": the installed mongod " + targetVersion + " opens it ("
                + (from.equals(to) ? "same major" : "the previous major; its featureCompatibilityVersion is raised to "
                + to + " after the start") + "), so the dbPath is copied under it.", alternatives);
    }

    /** The source version: the scan's (diagnostic.data), the backup's logs, or an image pinned to one version. */
    static MongoVersionSources.Found sourceVersion(Finding f, RecoveryRequest request) {
        if (f.getVersion() != null) {
            return new MongoVersionSources.Found(f.getVersion(), String.valueOf(f.getDetails().getOrDefault(
                    "versionSource", "the scan")));
        }
        Path dbPath = request.backupRoot().resolve(f.getPath());
        MongoVersionSources.Found log = MongoVersionSources.logs(request.backupRoot(), dbPath);
        if (log != null) {
            return log;
        }
        String pinned = request.containers().image(Engine.MONGODB, "{major}", null);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\d+\\.\\d+)(?:\\.\\d+)?$").matcher(pinned);
        return !pinned.contains("{major}") && m.find() ? new MongoVersionSources.Found(m.group(1),
                "the image named in the settings (" + pinned + ")") : null;
    }

    static String targetVersion(Target target) {
        return target.servers(Engine.MONGODB).stream().map(InstalledServer::version).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }

    @Override
    public void plan(Finding f, Decision d, Target target, PlanContext ctx) {
        ctx.warn("unverified", UNVERIFIED, "Check the result yourself (mongosh: show dbs; db.collection.countDocuments()).");
        TargetOptions o = ctx.request().target();
        if (d.strategy() == Strategy.DIRECT) {
            planDirect(f, target, ctx);
        } else if (d.strategy() == Strategy.CONTAINER) {
            String from = MongoMajors.of(sourceVersion(f, ctx.request()).version());
            MongoContainerPlan.plan(f, new MongoContainerPlan.Chain(from, MongoMajors.of(targetVersion(target))), target,
                    ctx, program(target, o, "mongodump"), program(target, o, "mongorestore"));
            verify(target, o, o.port() != null ? o.port() : MongoEngine.PORT, ctx);
        } else {
            planDump(f, target, ctx);
        }
    }

    private static Path program(Target target, TargetOptions o, String name) {
        List<Path> dirs = new ArrayList<>();
        if (o.binDir() != null) {
            dirs.add(o.binDir());
        }
        target.servers(Engine.MONGODB).forEach(s -> dirs.add(s.binDir()));
        dirs.addAll(List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin")));
        return dirs.stream().map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst().orElse(null);
    }

    private void planDirect(Finding f, Target target, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        Path mongod = program(target, o, "mongod");
        if (mongod == null) {
            ctx.fail("binaries", "mongod is not installed.", MongoEngine.advice("mongod"));
            return;
        }
        InstalledServer.Cluster cluster = target.servers(Engine.MONGODB).stream().flatMap(s -> s.clusters().stream())
                .findFirst().orElse(null);
        Path data = o.dataDir() != null ? o.dataDir() : cluster != null ? cluster.dataDir() : Path.of("/var/lib/mongodb");
        int port = o.port() != null ? o.port() : cluster != null && cluster.port() != null ? cluster.port() : MongoEngine.PORT;
        String runAs = o.runAs() != null ? o.runAs() : "mongodb";
        Path source = req.backupRoot().resolve(f.getPath());
        // a dbPath inside the backup is refused by BackupGuard, for every step
        ctx.pass("binaries", "mongod at " + mongod);
        if (Boolean.FALSE.equals(f.getCleanShutdown())) {
            ctx.warn("clean-shutdown", "mongod.lock is not empty: the server was not shut down cleanly when the backup "
                    + "was taken; mongod recovers from its journal on start.", "Nothing to do; check the data afterwards.");
        }
        ctx.diskSpace(data.getParent() == null ? data : data.getParent(), f.getSizeBytes());
        boolean running = cluster != null && cluster.running();
        if (running) {
            ctx.step(new BasicSteps.Run(List.of(mongod.toString(), "--shutdown", "--dbpath", data.toString()), runAs, null),
                    "Stop the running mongod").writesTo(data).needsRoot(!target.root()).undo("start it again by hand")
                    .add();
        }
        if (Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
            Path safety = data.resolveSibling(data.getFileName() + ".before-dbrescue-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            ctx.step(new BasicSteps.MoveAside(data, safety), "Move the existing dbPath aside (safety copy)")
                    .writes(safety.toString()).undo("move it back").add();
        }
        ctx.step(new BasicSteps.Copy(source, data, runAs, null), "Copy the dbPath")
                .reads(source.toString()).writes(data + " (owner " + runAs + ")").bytes(f.getSizeBytes())
                .undo("delete the copy").add();
        Path log = data.resolveSibling("mongod-dbrescue.log");
        ctx.step(new BasicSteps.Run(List.of(mongod.toString(), "--dbpath", data.toString(), "--bind_ip", "127.0.0.1",
                        "--port", Integer.toString(port), "--fork", "--logpath", log.toString()), runAs, null),
                        "Start mongod on the copy (127.0.0.1:" + port + ")").writes(log.toString()).writesTo(data).writesTo(log)
                .undo("stop it: mongod --shutdown --dbpath " + data).add();
        raiseFcv(f, target, o, port, ctx);
        verify(target, o, port, ctx);
    }

    /** Data of the previous major opens, and then gets the target's featureCompatibilityVersion (MongoDB's upgrade step). */
    private static void raiseFcv(Finding f, Target target, TargetOptions o, int port, PlanContext ctx) {
        String from = MongoMajors.of(sourceVersion(f, ctx.request()).version());
        String to = MongoMajors.of(targetVersion(target));
        if (from.equals(to)) {
            return;
        }
        Path mongosh = program(target, o, "mongosh");
        if (mongosh == null) {
            ctx.warn("fcv", "The data is of MongoDB " + from + "; mongod " + to + " opens it, but its "
                    + "featureCompatibilityVersion stays " + from + " until it is raised, and mongosh is not here to "
                    + "do it.", "After the restore: mongosh --eval '" + MongoMajors.setFcv(to) + "'");
            return;
        }
        ctx.step(new BasicSteps.Run(List.of(mongosh.toString(), "--quiet", "--host", "127.0.0.1", "--port",
                        Integer.toString(port), "--eval", "var r = " + MongoMajors.setFcv(to)
                        + "; if (!r.ok) { printjson(r); quit(1); }"), null, null),
                        "Raise the featureCompatibilityVersion from " + from + " to " + to)
                .reads("127.0.0.1:" + port).writes("admin.system.version of the restored data").add();
    }

    private void planDump(Finding f, Target target, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        Path mongorestore = program(target, o, "mongorestore");
        if (mongorestore == null) {
            ctx.fail("client-tools", "mongorestore is not installed.", MongoEngine.advice("mongorestore"));
            return;
        }
        ctx.pass("client-tools", "mongorestore at " + mongorestore);
        String targetVersion = targetVersion(target);
        if (f.getVersion() != null && targetVersion != null
                && !MongoMajors.of(f.getVersion()).equals(MongoMajors.of(targetVersion))) {
            ctx.warn("dump-version", "The dump was made from MongoDB " + f.getVersion() + " and goes into "
                    + targetVersion + ": mongorestore is meant for a server of the same major version.", "If it "
                    + "fails, restore it into a MongoDB " + MongoMajors.of(f.getVersion()) + " in a container and use "
                    + "the container path for its data.");
        }
        Path source = req.backupRoot().resolve(f.getPath());
        List<String> args = new ArrayList<>();
        String format = f.getFormat() == null ? "" : f.getFormat();
        if (format.endsWith("gzip") || Boolean.TRUE.equals(f.getDetails().get("gzip"))) {
            args.add("--gzip");
        }
        args.add(format.startsWith("archive") ? "--archive=" + source : "--dir=" + source);
        if (MongoTargetRestore.plan(ctx, o, program(target, o, "mongodump"), mongorestore, args, f.getSizeBytes(),
                source.toString())) {
            verify(target, o, o.port() != null ? o.port() : MongoEngine.PORT, ctx);
        }
    }

    private static void verify(Target target, TargetOptions o, int port, PlanContext ctx) {
        Path mongosh = program(target, o, "mongosh");
        if (mongosh == null) {
            ctx.warn("verify", "mongosh is not installed, so the databases are not listed after the restore.",
                    MongoEngine.advice("mongosh"));
            return;
        }
        ctx.step(new BasicSteps.Run(List.of(mongosh.toString(), "--quiet", "--host", "127.0.0.1", "--port",
                        Integer.toString(port), "--eval", "db.adminCommand({listDatabases: 1}).databases"), null, null),
                        "List the databases (verification)")
                .reads("127.0.0.1:" + port).add();
    }
}
