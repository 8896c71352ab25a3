package io.dbrescue.mysql;

import io.dbrescue.run.BasicSteps;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.plan.Checks;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.run.OsUsers;
import io.dbrescue.scan.Finding;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The direct strategy for a MariaDB / MySQL data directory of the target's product and major version: stop the
 * target, keep what is there as the safety copy, copy the data into place, start the server on it, verify.
 */
final class MySqlDirectPlan {
    private MySqlDirectPlan() {
    }

    /**
     * Where the data goes and what runs it there, from the options first, then the server that answers, then
     * discovery.
     */
    private record Where(MySqlPlanner.Server server, Path data, int port, String host, boolean root, String runAs,
                         String service, Path socket, MySqlTarget live, boolean liveHere, boolean running,
                         boolean exists) {
        Path binDir() {
            return server.program().getParent();
        }
    }

    static void plan(Finding f, Target target, PlanContext ctx, MySqlPlanner.Server server, MySqlTarget.Found found) {
        Where w = where(f, target, ctx.request().target(), server, found);
        MySqlSettings old = MySqlSettings.ofBackup(f, ctx.request().backupRoot());
        checks(f, ctx, w, old);
        MySqlClient conn = new MySqlClient(w.binDir(), null, null, w.socket().toString(),
                ctx.request().target().user() != null ? ctx.request().target().user() : "root", ctx.secrets());
        if (w.running()) {
            stopStep(ctx, w);
        }
        replaceData(ctx, w.data(), w.exists(), ctx.request().safetyCopy(),
                LocalDateTime.now().format(MySqlPlanner.STAMP));
        Path source = ctx.request().backupRoot().resolve(f.getPath());
        ctx.step(new BasicSteps.Copy(source, w.data(), w.root() ? w.runAs() : null, null),
                        "Copy the data directory into place").reads(source.toString()).writes(w.data().toString())
                .bytes(f.getSizeBytes()).needsRoot(w.root())
                .undo("delete the copy").add();
        startAndVerifySteps(f, ctx, w, old, conn);
    }

    private static Where where(Finding f, Target target, TargetOptions opts, MySqlPlanner.Server server,
                               MySqlTarget.Found found) {
        InstalledServer.Cluster cluster = target.servers(f.getEngine()).stream()
                .flatMap(s -> s.clusters().stream()).findFirst().orElse(null);
        MySqlTarget live = found.ok() ? found.target() : null;
        Path data = opts.dataDir() != null ? opts.dataDir() : live != null ? live.dataDir()
                : cluster != null ? cluster.dataDir() : Path.of("/var/lib/mysql");
        int port = opts.port() != null ? opts.port() : cluster != null && cluster.port() != null ? cluster.port() : 3306;
        String host = opts.hostOr("127.0.0.1");
        boolean root = target.root();
        String runAs = opts.runAs() != null ? opts.runAs() : cluster != null && cluster.owner() != null ? cluster.owner()
                : root ? "mysql" : OsUsers.me();
        String service = root ? MySqlSteps.activeService() : null;
        if (service != null && opts.dataDir() != null && !opts.dataDir().equals(Path.of("/var/lib/mysql"))) {
            service = null; // the service runs /var/lib/mysql; the user chose another place
        }
        boolean liveHere = live != null && live.dataDir().normalize().equals(data.toAbsolutePath().normalize());
        boolean running = liveHere || MySqlClient.accepts(host, port) || MySqlSteps.livePid(data) != null;
        return new Where(server, data, port, host, root, runAs, service, MySqlSteps.socketFor(data), live, liveHere,
                running, Files.exists(data, LinkOption.NOFOLLOW_LINKS));
    }

    private static void checks(Finding f, PlanContext ctx, Where w, MySqlSettings old) {
        RecoveryRequest req = ctx.request();
        ctx.pass("server", w.server().label() + " at " + w.server().program());
        if (w.live() != null) {
            MySqlSettingsCheck.check(ctx, old, w.live().settings(), w.live().label(), MySqlSettingsCheck.Way.FILES);
        } else {
            ctx.pass("settings", "dbrescue starts " + w.server().label() + " itself, with the old server's settings that "
                    + "decide whether its data opens" + (old.serverArgs().isEmpty() ? " (none differ from the defaults)"
                    : ": " + String.join(" ", old.serverArgs())) + ".");
        }
        Path parent = w.data().toAbsolutePath().getParent();
        checkDataDir(ctx, w.data(), w.exists(), req.safetyCopy());
        Checks.serverUser(ctx, w.runAs(), w.root(), "MariaDB/MySQL",
                "Install the server package (it creates the mysql user) or give --run-as USER.");
        Checks.mayGive(ctx, w.runAs(), w.root(), "the files");
        Checks.diskSpace(ctx, w.exists() ? w.data() : parent, f.getSizeBytes());
        if (!w.running() && !MySqlClient.accepts(w.host(), w.port())) {
            Checks.portFree(ctx, w.port());
        }
        if (Boolean.FALSE.equals(f.getCleanShutdown())) {
            ctx.warn("clean-shutdown", "The backup was taken while the server ran (or after a crash): it will do crash "
                    + "recovery when started; non-InnoDB tables (MyISAM, Aria) may need REPAIR TABLE.",
                    "Nothing to do now; check the verification's row counts afterwards.");
        }
        if (MySqlClient.program(w.binDir(), "mariadb-admin", "mysqladmin") == null) {
            ctx.warn("tools", "mariadb-admin was not found: the server is stopped and checked through its pid file.",
                    "Install the client (apt install mariadb-client) for a cleaner shutdown.");
        }
    }

    /**
     * Stops the server that answers through the connection that reached it (Debian: root over the socket, by
     * unix_socket; root over TCP would be refused): that login is on the step's command line (mariadb-admin
     * shutdown), the step's port is the server's.
     */
    private static void stopStep(PlanContext ctx, Where w) {
        TargetOptions opts = ctx.request().target();
        MySqlTarget live = w.live();
        MySqlClient stopConn = w.liveHere() ? new MySqlClient(w.binDir(), live.conn().host(), live.conn().port(),
                live.conn().socket(), live.conn().user(), ctx.secrets())
                : new MySqlClient(w.binDir(), w.host(), w.port(), null, opts.user() != null ? opts.user() : "root",
                        ctx.secrets());
        List<String> argv = w.service() != null ? List.of("systemctl", "stop", w.service())
                : MySqlPlanner.concat(stopConn.admin(), stopConn.connection(), "shutdown");
        ctx.step(new MySqlSteps.MySqlStop(local(w), argv), "Stop the " + (w.service() != null ? "service "
                        + w.service() : "server on port " + w.port()) + " so its data directory can be replaced")
                .writes("the running server (stopped)").needsRoot(w.service() != null)
                .undo("start it again").add();
    }

    private static void startAndVerifySteps(Finding f, PlanContext ctx, Where w, MySqlSettings old, MySqlClient conn) {
        List<String> argv = new java.util.ArrayList<>(MySqlPlanner.startArgv(w.server(), w.data(), w.port(), w.socket()));
        argv.addAll(old.serverArgs());
        ctx.step(new MySqlSteps.MySqlStart(local(w), w.service() != null ? List.of("systemctl", "start", w.service())
                        : argv), "Start " + w.server().label() + " on the restored data")
                .writes("a running server on 127.0.0.1:" + w.port()).needsRoot(w.service() != null)
                .undo("stop it").add();
        MySqlClient check = w.service() != null
                ? new MySqlClient(w.binDir(), w.host(), w.port(), null, conn.user(), ctx.secrets()) : conn;
        ctx.step(new MySqlSteps.MySqlVerify(MySqlSteps.Login.of(check), String.join("\n", f.getDatabases())),
                        "Check the restored databases: list them and count rows")
                .reads(w.service() != null ? "the server" : w.socket().toString()).add();
    }

    /** The server the stop and start steps act on: its port is the one it listens on. */
    private static MySqlSteps.LocalServer local(Where w) {
        return new MySqlSteps.LocalServer(w.server().program(), w.data(), w.port(), w.socket(), w.runAs(), w.service());
    }

    private static void checkDataDir(PlanContext ctx, Path data, boolean exists, boolean safetyCopy) {
        if (exists && !Files.isDirectory(data)) {
            ctx.fail("target-data", data + " exists and is not a folder.", "Give the data directory with --target-data.");
        }
        Path parent = data.toAbsolutePath().getParent();
        if (!exists && (parent == null || !Files.isDirectory(parent))) {
            ctx.fail("target-data", "The folder above " + data + " does not exist.",
                    "Create it, or give another place with --target-data.");
        }
        if (exists && !safetyCopy) {
            ctx.warn("safety-copy", data + " exists and will be replaced without a safety copy (--no-safety-copy, or "
                            + "backup_existing_data = false in the settings).",
                    "Leave out --no-safety-copy (and set backup_existing_data = true) to keep it.");
        }
    }

    /** What is in the data directory now: kept as the safety copy (a rename), or removed when none is wanted. */
    private static void replaceData(PlanContext ctx, Path data, boolean exists, boolean safetyCopy, String stamp) {
        if (exists && safetyCopy) {
            Path safety = data.resolveSibling(data.getFileName() + ".before-dbrescue-" + stamp);
            ctx.step(new BasicSteps.MoveAside(data, safety), "Keep what is in " + data + " as the safety copy")
                    .reads(data.toString()).writes(safety.toString())
                    .undo("move " + safety + " back to " + data).add();
        } else if (exists) {
            ctx.step(new BasicSteps.Remove(data), "Remove what is in " + data + " (no safety copy)")
                    .writes(data.toString()).undo("cannot be undone (no safety copy)").add();
        }
    }
}
