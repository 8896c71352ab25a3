package io.dbrescue.mongodb;

import io.dbrescue.container.ContainerRun;
import io.dbrescue.container.ContainerSteps;
import io.dbrescue.container.Podman;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.run.Journal;
import io.dbrescue.run.OsUsers;
import io.dbrescue.run.Secrets;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.target.Packages;
import io.dbrescue.target.Target;
import io.dbrescue.target.TargetOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The container path for a MongoDB dbPath, PLANNED ONLY (no MongoDB can run where dbrescue is tested, so
 * it has never run against a real server): the old mongod runs in a Podman container on a copy of the
 * dbPath (published on 127.0.0.1 only), {@code mongodump --archive} from it is streamed into
 * {@code mongorestore --archive} on the running target, then the container and the copy are removed.
 * The MongoDB version is not in the files: the image tag is guessed from the WiredTiger version, and a
 * warning says how to name the right one.
 */
final class MongoContainerPlan {
    static final String DATA_IN_CONTAINER = "/data/db";

    private MongoContainerPlan() {
    }

    /** The major version for the image: the finding's, else a guess from the WiredTiger version. */
    static String major(Finding f) {
        if (f.getVersion() != null) {
            String[] p = f.getVersion().split("\\.");
            return p.length < 2 ? p[0] : p[0] + "." + p[1];
        }
        String wt = String.valueOf(f.getDetails().getOrDefault("wiredTigerVersion", ""));
        int wtMajor;
        try {
            wtMajor = Integer.parseInt(wt.split("\\.")[0]);
        } catch (NumberFormatException e) {
            wtMajor = 11;
        }
        return wtMajor <= 3 ? "4.2" : wtMajor == 10 ? "6.0" : "7.0";
    }

    static void plan(Finding f, Target target, PlanContext ctx, Path mongodump, Path mongorestore) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        String major = major(f);
        String image = req.containers().image(Engine.MONGODB, major, f.getVersion());
        Path source = req.backupRoot().resolve(f.getPath()).normalize();
        Path work = Journal.runsDir().resolve(ctx.runId()).resolve("mongodb" + major + "-" + ctx.groupNumber());
        Path copy = work.resolve("old-data");
        String me = System.getProperty("user.name");
        boolean root = target.root() || "root".equals(me);

        if (Podman.program() != null) {
            ctx.pass("podman", "Podman (" + Podman.program() + ") runs the old mongod.");
            ContainerSteps.checkImage(ctx, image, "MongoDB " + major);
        } else {
            ctx.fail("podman", "Podman is not installed; the container strategy runs the old mongod in a Podman container.",
                    Podman.installHint());
        }
        if (f.getVersion() == null) {
            ctx.warn("image-version", "The dbPath does not record its MongoDB version: the image " + image + " is a guess "
                    + "from " + f.getDetails().getOrDefault("mongodbVersionHint", "the WiredTiger version") + ". mongod "
                    + "opens data of its own or the previous major version only.",
                    "If the old server will not start, name the exact version in the settings' [images] section, e.g. "
                            + "mongodb = docker.io/library/mongo:5.0.");
        }
        if (mongodump == null || mongorestore == null) {
            ctx.fail("client-tools", "mongodump and mongorestore (MongoDB Database Tools) are needed to move the data.",
                    Packages.advice("mongorestore", null));
            return;
        }
        ctx.pass("client-tools", "mongodump " + mongodump + " and mongorestore " + mongorestore + " move the data.");
        String runAs = o.runAs() != null ? o.runAs() : root ? "mongodb" : me;
        OsUsers.Ids ids = OsUsers.lookup(runAs);
        if (ids == null || ids.uid() == 0) {
            ctx.fail("run-as", ids == null ? "There is no OS user called " + runAs + " to own the copy."
                    : "The old mongod must not run as root.", "Name the user that runs it with --run-as (usually mongodb).");
            return;
        }
        if (!root && !runAs.equals(me)) {
            ctx.fail("permissions", "The copy must belong to " + runAs + "; dbrescue runs as " + me + ".",
                    "Run dbrescue as root (sudo), or --run-as " + me + ".");
            return;
        }
        ctx.pass("run-as", "The copy belongs to " + runAs + " (uid " + ids.uid() + "), which runs mongod in the container.");
        ctx.diskSpace(work, f.getSizeBytes());

        String host = o.hostOr("127.0.0.1");
        int port = o.port() != null ? o.port() : 27017;
        int oldPort = io.dbrescue.target.Ports.freeLoopback();
        String name = "dbrescue-" + ctx.runId() + "-mongodb" + major + "-" + ctx.groupNumber();
        ContainerSteps.planImage(ctx, image, "MongoDB " + major);
        ctx.step("copy-tree", "Copy the dbPath for the old mongod (the backup is not touched)")
                .param("source", source).param("target", copy).param("owner", runAs).param("mode", "rwx------")
                .reads(source.toString()).writes(copy + " (owner " + runAs + ")").bytes(f.getSizeBytes())
                .needsRoot(!runAs.equals(me)).undo("delete the copy").add();
        ctx.step("mongo-container-start", "Start MongoDB " + major + " in a container on 127.0.0.1:" + oldPort)
                .argv(ContainerRun.of(image, ctx.runId()).server(name).user(ids.uid(), ids.gid())
                        .publish(oldPort, 27017).mount(copy.toString(), DATA_IN_CONTAINER)
                        .command(List.of("mongod", "--dbpath", DATA_IN_CONTAINER, "--bind_ip_all", "--port", "27017"))
                        .argv())
                .param("name", name).param("holds", name).param("host", "127.0.0.1").param("port", oldPort)
                .writes("a container " + name + " (removed at the end, whatever happens)").undo("remove the container").add();
        List<String> dump = List.of(mongodump.toString(), "--host", "127.0.0.1", "--port", Integer.toString(oldPort),
                "--archive");
        List<String> restore = new ArrayList<>(List.of(mongorestore.toString(), "--host", host, "--port",
                Integer.toString(port)));
        if (o.user() != null) {
            restore.addAll(List.of("--username", o.user(), "--authenticationDatabase", "admin"));
        }
        restore.add("--archive");
        ctx.step("mongo-move", "Move the databases: " + String.join(" ", dump) + " | " + String.join(" ", restore))
                .argv(dump).param("restoreArgv", String.join("\n", restore)).param("passEnv", "MONGODB_PASSWORD")
                .reads("the old mongod in the container").writes(host + ":" + port).bytes(f.getSizeBytes())
                .undo("none: drop the restored databases by hand if needed").add();
        ctx.step("container-stop", "Stop MongoDB " + major + " and remove its container")
                .argv(List.of(Podman.command(), "stop", "-t", "60", name)).param("name", name).param("releases", name)
                .writes("removes the container " + name).add();
        ctx.step("remove", "Delete the copy (the backup is untouched)").param("path", work.toString())
                .writes("deletes " + work).add();
    }

    static Map<String, StepExecutor> executors() {
        return Map.of("mongo-container-start", ContainerSteps.start(MongoContainerPlan::ready), "mongo-move", new Move());
    }

    /** Ready when the published port accepts a connection (unverified: no mongod runs here). */
    static boolean ready(Step step) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(step.param("host"), Integer.parseInt(step.param("port"))), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** mongodump --archive streamed into mongorestore --archive; the password goes in a 0600 --config file. */
    static final class Move implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            List<String> restore = new ArrayList<>(Arrays.asList(step.param("restoreArgv").split("\n")));
            String password = Secrets.get(step.param("passEnv", "MONGODB_PASSWORD"));
            Path config = null;
            if (password != null) {
                config = Files.createTempFile(ctx.runDir(), "mongorestore-", ".yaml",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(config, "password: \"" + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n",
                        StandardCharsets.UTF_8);
                restore.add(1, "--config=" + config);
            }
            Path log = ctx.runDir().resolve("mongo-move-" + step.id() + ".log");
            Process dump = null;
            Process load = null;
            try {
                dump = new ProcessBuilder(step.argv()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                load = new ProcessBuilder(restore).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                try (InputStream in = dump.getInputStream(); OutputStream out = load.getOutputStream()) {
                    byte[] buf = new byte[1 << 16];
                    long moved = 0;
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        moved += n;
                        ctx.progress(Math.min(step.bytes(), moved));
                        ctx.checkCancelled();
                    }
                }
                boolean done = dump.waitFor(1, TimeUnit.HOURS) && load.waitFor(1, TimeUnit.HOURS);
                if (!done || dump.exitValue() != 0 || load.exitValue() != 0) {
                    throw new StepFailure("tool", "mongodump | mongorestore failed"
                            + (done ? " (exit " + dump.exitValue() + " / " + load.exitValue() + ")" : " (no end within an hour)")
                            + "; their output is in " + log + ".", "Read the log; the backup is untouched.");
                }
            } finally {
                for (Process p : new Process[] {dump, load}) {
                    if (p != null && p.isAlive()) {
                        p.destroyForcibly();
                    }
                }
                if (config != null) {
                    Files.deleteIfExists(config);
                }
            }
        }
    }
}
