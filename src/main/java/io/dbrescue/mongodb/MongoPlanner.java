package io.dbrescue.mongodb;

import io.dbrescue.plan.Decision;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.target.InstalledServer;
import io.dbrescue.target.Packages;
import io.dbrescue.target.Target;
import io.dbrescue.target.TargetOptions;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * MongoDB recoveries, planned the same way as the other engines but NOT verified against a real
 * server: no mongod, mongorestore or mongosh can be installed where dbrescue is built and tested, and
 * every plan says so in a warning. A dbPath goes in directly (stop, safety copy, copy owned by the
 * run-as user, start mongod on 127.0.0.1, list databases with mongosh when present); a mongodump
 * folder or archive goes through mongorestore into the running server; with --strategy container a dbPath
 * is served by the old mongod in a Podman container and moved with mongodump | mongorestore
 * ({@link MongoContainerPlan}).
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
                : "the dbPath files are copied under the installed mongod"));
        alternatives.add(new Decision.Alternative(Strategy.DUMP_RESTORE, dump, dump ? "mongorestore loads the dump"
                : "not a dump (select the mongodump of it, if the backup has one)"));
        alternatives.add(new Decision.Alternative(Strategy.CONTAINER, !dump, dump ? "not needed for a dump"
                : "--strategy container: the old mongod runs in a Podman container on a copy, mongodump | mongorestore "
                + "moves the data into the running target"));
        if (!dump && requested == Strategy.CONTAINER) {
            return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), Strategy.CONTAINER,
                    "The old mongod (MongoDB " + MongoContainerPlan.major(f) + ", guessed when the files do not say) runs "
                            + "in a Podman container on a copy of the dbPath, on 127.0.0.1 only; mongodump --archive from "
                            + "it is streamed into mongorestore --archive on the running target.", alternatives);
        }
        if (requested != Strategy.AUTO && requested != natural) {
            return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), null,
                    "--strategy " + requested.id() + " does not fit a MongoDB " + f.getKind().id() + "; use "
                            + natural.id() + ".", alternatives);
        }
        String reason = dump ? "mongorestore loads the dump into the running mongod."
                : "The dbPath is copied under the installed mongod. The files do not record the MongoDB version "
                + "(WiredTiger " + f.getDetails().getOrDefault("wiredTigerVersion", "?") + "); mongod opens data of "
                + "its own or the previous major version and refuses anything else on start.";
        return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), natural, reason, alternatives);
    }

    @Override
    public void plan(Finding f, Decision d, Target target, PlanContext ctx) {
        ctx.warn("unverified", UNVERIFIED, "Check the result yourself (mongosh: show dbs; db.collection.countDocuments()).");
        if (d.strategy() == Strategy.DIRECT) {
            planDirect(f, target, ctx);
        } else if (d.strategy() == Strategy.CONTAINER) {
            TargetOptions o = ctx.request().target();
            MongoContainerPlan.plan(f, target, ctx, program(target, o, "mongodump"), program(target, o, "mongorestore"));
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
            ctx.fail("binaries", "mongod is not installed.", Packages.advice("mongod", null));
            return;
        }
        InstalledServer.Cluster cluster = target.servers(Engine.MONGODB).stream().flatMap(s -> s.clusters().stream())
                .findFirst().orElse(null);
        Path data = o.dataDir() != null ? o.dataDir() : cluster != null ? cluster.dataDir() : Path.of("/var/lib/mongodb");
        int port = o.port() != null ? o.port() : cluster != null && cluster.port() != null ? cluster.port() : 27017;
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
            ctx.step("exec", "Stop the running mongod").argv(List.of(mongod.toString(), "--shutdown", "--dbpath",
                    data.toString())).param("runAs", runAs).writesTo(data).needsRoot(!target.root()).undo("start it again by hand")
                    .add();
        }
        if (Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
            Path safety = data.resolveSibling(data.getFileName() + ".before-dbrescue-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            ctx.step("move-aside", "Move the existing dbPath aside (safety copy)").param("path", data)
                    .param("safety", safety).writes(safety.toString()).undo("move it back").add();
        }
        ctx.step("copy-tree", "Copy the dbPath").param("source", source).param("target", data).param("owner", runAs)
                .reads(source.toString()).writes(data + " (owner " + runAs + ")").bytes(f.getSizeBytes())
                .undo("delete the copy").add();
        Path log = data.resolveSibling("mongod-dbrescue.log");
        ctx.step("exec", "Start mongod on the copy (127.0.0.1:" + port + ")").argv(List.of(mongod.toString(),
                "--dbpath", data.toString(), "--bind_ip", "127.0.0.1", "--port", Integer.toString(port), "--fork",
                "--logpath", log.toString())).param("runAs", runAs).writes(log.toString()).writesTo(data).writesTo(log)
                .undo("stop it: mongod --shutdown --dbpath " + data).add();
        verify(target, o, port, ctx);
    }

    private void planDump(Finding f, Target target, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        Path mongorestore = program(target, o, "mongorestore");
        if (mongorestore == null) {
            ctx.fail("client-tools", "mongorestore is not installed.", Packages.advice("mongorestore", null));
            return;
        }
        ctx.pass("client-tools", "mongorestore at " + mongorestore);
        String host = o.host() != null ? o.host() : "127.0.0.1";
        int port = o.port() != null ? o.port() : 27017;
        Path source = req.backupRoot().resolve(f.getPath());
        List<String> argv = new ArrayList<>(List.of(mongorestore.toString(), "--host", host, "--port",
                Integer.toString(port)));
        if (o.user() != null) {
            argv.addAll(List.of("--username", o.user(), "--authenticationDatabase", "admin"));
        }
        String format = f.getFormat() == null ? "" : f.getFormat();
        if (format.endsWith("gzip") || Boolean.TRUE.equals(f.getDetails().get("gzip"))) {
            argv.add("--gzip");
        }
        switch (req.onConflict()) {
            case REPLACE -> {
                argv.add("--drop");
                ctx.warn("conflict", "--on-conflict replace: collections of the same name are dropped before they are "
                        + "restored (mongorestore --drop), without a safety dump.", "Leave it out to keep them.");
            }
            case RENAME -> {
                ctx.fail("conflict", "Restoring a MongoDB dump under new names is not supported.",
                        "Use --on-conflict skip/ask (documents are added, duplicates by _id skipped) or replace.");
                return;
            }
            default -> ctx.warn("conflict", "Existing collections of the same name get the dump's documents added "
                    + "(documents whose _id exists are skipped).", "Use --on-conflict replace to drop them first.");
        }
        argv.add(format.startsWith("archive") ? "--archive=" + source : "--dir=" + source);
        ctx.step("exec", "Restore with mongorestore into " + host + ":" + port).argv(argv)
                .param("passEnv", "MONGODB_PASSWORD").reads(source.toString()).writes(host + ":" + port)
                .bytes(f.getSizeBytes()).undo("none: drop the restored databases by hand if needed").add();
        verify(target, o, port, ctx);
    }

    private static void verify(Target target, TargetOptions o, int port, PlanContext ctx) {
        Path mongosh = program(target, o, "mongosh");
        if (mongosh == null) {
            ctx.warn("verify", "mongosh is not installed, so the databases are not listed after the restore.",
                    Packages.advice("mongosh", null));
            return;
        }
        ctx.step("exec", "List the databases (verification)").argv(List.of(mongosh.toString(), "--quiet", "--host",
                "127.0.0.1", "--port", Integer.toString(port), "--eval", "db.adminCommand({listDatabases: 1}).databases"))
                .reads("127.0.0.1:" + port).add();
    }
}
