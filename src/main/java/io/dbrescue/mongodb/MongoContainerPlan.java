package io.dbrescue.mongodb;

import io.dbrescue.container.ContainerRun;
import io.dbrescue.container.ContainerSteps;
import io.dbrescue.container.Podman;
import io.dbrescue.plan.Checks;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.Journal;
import io.dbrescue.run.OsUsers;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The container path for a MongoDB dbPath, PLANNED ONLY (no MongoDB can run where dbrescue is tested, so
 * it has never run against a real server), by MongoDB's documented rules ({@link MongoMajors}): the old
 * data is opened by the mongod of its own major in a Podman container on a copy (127.0.0.1 only), its
 * featureCompatibilityVersion set to that major, then the container is replaced by the next major's on
 * the same copy, FCV raised — one major at a time — up to the target's major. That last server is dumped
 * with {@code mongodump --archive} into a file of the run, and the file restored with
 * {@code mongorestore --archive} into the running target of the same major; with --on-conflict replace
 * ({@code --drop}) the target is dumped first as the safety copy. Every program runs through Exec.
 */
final class MongoContainerPlan {
    static final String DATA_IN_CONTAINER = "/data/db";

    /**
     * {@code mongo-container-start}: argv (podman run) starts the mongod of major in the container name, ready when
     * host:port accepts a connection; it holds the container until a container-stop releases it.
     */
    record MongoContainerStart(List<String> argv, String name, String holds, String host, int port, String major)
            implements ContainerSteps.Started {
        @Override
        public String kind() {
            return "mongo-container-start";
        }
    }

    /** The chain's facts: the source and target majors. */
    record Chain(String from, String to) {
        List<String> majors() {
            return MongoMajors.path(from, to);
        }
    }

    private MongoContainerPlan() {
    }

    static void plan(Finding f, Chain chain, Target target, PlanContext ctx, Path mongodump, Path mongorestore) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        Path source = req.backupRoot().resolve(f.getPath()).normalize();
        Path work = Journal.runsDir().resolve(ctx.runId()).resolve("mongodb" + chain.from() + "-" + ctx.groupNumber());
        Path copy = work.resolve("old-data");
        String me = OsUsers.me();
        boolean root = target.root() || OsUsers.isRoot();
        List<String> majors = chain.majors();

        if (!preflight(ctx, majors, mongodump, mongorestore, req)) {
            return;
        }
        String runAs = o.runAs() != null ? o.runAs() : root ? "mongodb" : me;
        OsUsers.Ids ids = Checks.copyOwner(ctx, runAs, root, "the old mongod", "mongodb");
        if (ids == null) {
            return;
        }
        ctx.diskSpace(work, 2 * f.getSizeBytes()); // the copy, and the archive moved to the target

        for (String major : majors) {
            ContainerSteps.planImage(ctx, req.containers().image(Engine.MONGODB, major, null), "MongoDB " + major);
        }
        ctx.step(new BasicSteps.Copy(source, copy, runAs, "rwx------"),
                        "Copy the dbPath for the old mongod (the backup is not touched)")
                .reads(source.toString()).writes(copy + " (owner " + runAs + ")").bytes(f.getSizeBytes())
                .needsRoot(!runAs.equals(me)).undo("delete the copy").add();
        int port = -1;
        String name = null;
        for (int i = 0; i < majors.size(); i++) {
            String major = majors.get(i);
            name = "dbrescue-" + ctx.runId() + "-mongodb" + major + "-" + ctx.groupNumber();
            port = io.dbrescue.machine.Ports.freeLoopback();
            hop(ctx, req.containers().image(Engine.MONGODB, major, null), major, name, port, copy, ids);
            if (i < majors.size() - 1) {
                ctx.step(new ContainerSteps.ContainerStop(name), "Stop MongoDB " + major + " cleanly and remove its "
                        + "container (the data goes on to " + majors.get(i + 1) + ")")
                        .writes("removes the container " + name).add();
            }
        }
        move(f, ctx, work, port, mongodump, mongorestore, chain.to());
        ctx.step(new ContainerSteps.ContainerStop(name), "Stop MongoDB " + chain.to() + " and remove its container")
                .writes("removes the container " + name).add();
        ctx.step(new BasicSteps.Remove(work), "Delete the copy and the moved archive (the backup is untouched)")
                .writes("deletes " + work).add();
    }

    private static boolean preflight(PlanContext ctx, List<String> majors, Path mongodump, Path mongorestore,
                                     RecoveryRequest req) {
        ctx.pass("upgrade-path", "MongoDB " + String.join(" → ", majors) + ": a mongod opens data of its own or the "
                + "previous major only, so each major runs once on the copy and raises the featureCompatibilityVersion "
                + "before the next; the dump is taken from " + majors.get(majors.size() - 1) + " and restored into "
                + "the target of the same major.");
        boolean ok = true;
        if (Podman.program() != null) {
            ctx.pass("podman", "Podman (" + Podman.program() + ") runs the old mongod versions.");
            for (String major : majors) {
                ContainerSteps.checkImage(ctx, req.containers().image(Engine.MONGODB, major, null), "MongoDB " + major);
            }
        } else {
            ctx.fail("podman", "Podman is not installed; the container strategy runs the old mongod in a Podman container.",
                    Podman.installHint());
            ok = false;
        }
        String needsAvx = majors.stream().filter(m -> MongoMajors.compare(m, MongoMajors.AVX_FROM) >= 0).findFirst()
                .orElse(null);
        if (needsAvx != null && !Cpu.hasAvx()) {
            ctx.fail("avx", "This processor has no AVX instructions, and MongoDB " + needsAvx + " and later need them "
                    + "(MongoDB's x86-64 builds since 5.0): the mongod of those images stops at once with \"Illegal "
                    + "instruction\".", "Run the upgrade on a machine (or a VM) whose processor has AVX, or restore a "
                    + "mongodump of the data made there; grep avx /proc/cpuinfo shows whether a machine has it.");
            ok = false;
        }
        if (mongodump == null || mongorestore == null) {
            ctx.fail("client-tools", "mongodump and mongorestore (MongoDB Database Tools) are needed to move the data.",
                    MongoEngine.advice("mongorestore"));
            return false;
        }
        ctx.pass("client-tools", "mongodump " + mongodump + " and mongorestore " + mongorestore + " move the data.");
        return ok;
    }

    /** One major of the chain: its mongod on the copy, then the FCV set to its own major. */
    private static void hop(PlanContext ctx, String image, String major, String name, int port, Path copy,
                            OsUsers.Ids ids) {
        List<String> run = ContainerRun.of(image, ctx.runId()).server(name).user(ids.uid(), ids.gid())
                .publish(port, MongoEngine.PORT).mount(copy.toString(), DATA_IN_CONTAINER)
                .command(List.of("mongod", "--dbpath", DATA_IN_CONTAINER, "--bind_ip_all", "--port",
                        Integer.toString(MongoEngine.PORT)))
                .argv();
        ctx.step(new MongoContainerStart(run, name, name, "127.0.0.1", port, major),
                        "Start MongoDB " + major + " in a container on the copy (127.0.0.1:" + port + ")")
                .writes("a container " + name + " (removed at the end, whatever happens)")
                .undo("remove the container").add();
        String eval = "var r = " + MongoMajors.setFcv(major) + "; if (!r.ok) { printjson(r); quit(1); }";
        ctx.step(new BasicSteps.Run(List.of(Podman.command(), "exec", name, MongoMajors.shell(major), "--quiet", "--eval",
                        eval), null, null), "Set the featureCompatibilityVersion to " + major + " ("
                        + MongoMajors.shell(major) + " in the container"
                        + (MongoMajors.compare(major, MongoMajors.CONFIRM_FROM) >= 0 ? ", confirm: true" : "") + ")")
                .reads("the mongod in " + name).writes("the copy's admin.system.version").add();
    }

    /** mongodump from the last container into a file of the run, safety dump of the target, mongorestore. */
    private static void move(Finding f, PlanContext ctx, Path work, int oldPort, Path mongodump, Path mongorestore,
                             String major) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        Path archive = work.resolve("moved.archive");
        ctx.step(new MongoTool.MongoToolRun(List.of(mongodump.toString(), "--host", "127.0.0.1", "--port",
                        Integer.toString(oldPort), "--archive=" + archive), null),
                        "Dump every database of MongoDB " + major + " into " + archive)
                .reads("the mongod " + major + " in the container").writes(archive.toString()).bytes(f.getSizeBytes())
                .undo("delete the archive").add();
        MongoTargetRestore.plan(ctx, o, mongodump, mongorestore, List.of("--archive=" + archive), f.getSizeBytes(),
                archive.toString());
    }

    static Map<String, StepExecutor> executors() {
        return Map.of("mongo-container-start", ContainerSteps.start(MongoContainerStart.class, (p, ctx) -> ready(p)),
                "mongo-tool", new MongoTool());
    }

    /** Ready when the published port accepts a connection (unverified: no mongod runs here). */
    static boolean ready(MongoContainerStart p) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(p.host(), p.port()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
