package io.dbrescue.postgres.restore;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.Exec;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The DIRECT strategy: the data directory copied into place and started by the same major version. */
public final class PgDirectPlan {
    private PgDirectPlan() {
    }

    /** Where the copy goes and as whom it runs: what the checks found, for the steps. */
    private record Place(InstalledServer server, InstalledServer.Cluster cluster, Path data, boolean exists,
                         boolean root, String me, String runAs, boolean running, int port) {
        Path bin() {
            return server.binDir();
        }

        boolean needsRootFor() {
            return !runAs.equals(me);
        }
    }

    /** The checks, then the steps: stop what runs there, move it aside, copy, configure, start, check, verify. */
    public static void plan(Finding f, Target target, PlanContext ctx) {
        Place at = place(f, target, ctx);
        if (at == null) {
            return;
        }
        checkRunAs(at, ctx);
        checkWritable(at, ctx);
        checkDiskSpace(f, at, ctx);
        checkCopiedWhileRunning(f, ctx);
        checkPortAndExisting(at, ctx);
        Path safety = stopAndMoveAside(at, ctx);
        RecoveryRequest req = ctx.request();
        Path source = req.backupRoot().resolve(f.getPath()).normalize();
        ctx.step(new BasicSteps.Copy(source, at.data(), at.runAs(), "rwx------"),
                        "Copy the PostgreSQL " + f.getVersion() + " data directory into place")
                .reads(source.toString()).writes(at.data() + " (owner " + at.runAs() + ", mode 0700)")
                .bytes(f.getSizeBytes()).needsRoot(at.needsRootFor()).undo("delete the copy").add();
        PgRestoreTarget verify = configureAndStart(f, at, safety, ctx);
        // text indexes sorted by another glibc / ICU: checked, rebuilt, versions refreshed (after the start)
        PgCollationPlan.add(f, at.bin(), at.server().version(), verify, ctx);
        List<String> databases = f.getDatabases().stream().filter(x -> !x.startsWith("template")).toList();
        if (!PgContainerPlan.extensionsOf(f).isEmpty()) {
            // the catalog keeps the old extension versions; the installed files may be newer (PostGIS 3.3.0 → 3.3.2)
            ctx.step(new PgExtensionUpdate.PgExtensions(verify.login(), databases), "Bring the extensions up to the "
                            + "installed versions (PostGIS: postgis_extensions_upgrade(); others: ALTER EXTENSION ... UPDATE)")
                    .reads("the restored server").writes("extension versions in its catalog, where they were older").add();
        }
        ctx.step(new PgVerifyStep.PgVerify(verify.login(), "direct", databases, null),
                        "Verify: connect, list databases, count rows")
                .reads("the restored server on port " + at.port()).add();
    }

    /** The server of the same major version, its binaries checked, and where the data goes; null when nowhere. */
    private static Place place(Finding f, Target target, PlanContext ctx) {
        TargetOptions o = ctx.request().target();
        InstalledServer server = PgTargetServers.servers(target, o).stream().filter(s -> f.getVersion().equals(s.major()))
                .findFirst().orElseThrow();
        checkBinaries(server, ctx);
        InstalledServer.Cluster cluster = server.clusters().isEmpty() ? null : server.clusters().get(0);
        Path data = o.dataDir() != null ? o.dataDir() : cluster != null ? cluster.dataDir() : null;
        if (data == null) {
            ctx.fail("target-data", "dbrescue does not know where the PostgreSQL " + server.major()
                    + " data directory goes (no cluster of that version was found).",
                    "Give it with --target-data DIR (e.g. /var/lib/postgresql/" + server.major() + "/main).");
            return null;
        }
        data = data.toAbsolutePath().normalize();
        // a data directory inside the backup (or holding it) is refused by BackupGuard, for every step
        if (!PgTargetServers.oneLine(ctx, data)) {
            return null;
        }
        boolean exists = Files.exists(data, LinkOption.NOFOLLOW_LINKS);
        boolean root = target.root() || io.dbrescue.run.OsUsers.isRoot();
        String me = System.getProperty("user.name");
        boolean running = exists && PgDirectSteps.running(data) || cluster != null && cluster.running()
                && data.equals(cluster.dataDir());
        int port = o.port() != null ? o.port() : cluster != null && cluster.port() != null ? cluster.port() : 5432;
        return new Place(server, cluster, data, exists, root, me, runAs(o, data, exists, cluster, root, me), running, port);
    }

    private static void checkBinaries(InstalledServer server, PlanContext ctx) {
        Path bin = server.binDir();
        if (Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("pg_ctl"))) {
            ctx.pass("binaries", "PostgreSQL " + server.version() + " server programs in " + bin);
        } else {
            ctx.fail("binaries", "postgres / pg_ctl of PostgreSQL " + server.major() + " are missing in " + bin + ".",
                    PgRestoreTools.installHint("postgres", server.major()));
        }
    }

    /** The run-as user: --run-as, else the owner of what is there, else the cluster's, else postgres (as root). */
    private static String runAs(TargetOptions o, Path data, boolean exists, InstalledServer.Cluster cluster, boolean root,
                                String me) {
        String runAs = o.runAs();
        if (runAs == null && exists) {
            try {
                runAs = Files.getOwner(data, LinkOption.NOFOLLOW_LINKS).getName();
            } catch (IOException e) {
                runAs = null;
            }
        }
        if (runAs == null && cluster != null) {
            runAs = cluster.owner();
        }
        return runAs != null ? runAs : root ? "postgres" : me;
    }

    private static void checkRunAs(Place at, PlanContext ctx) {
        String runAs = at.runAs();
        if (runAs.equals("root")) {
            ctx.fail("run-as", "PostgreSQL refuses to run as root, and the target data directory would belong to root.",
                    "Give the user that owns and runs the server with --run-as (usually postgres).");
        } else if (!at.root() && !runAs.equals(at.me())) {
            ctx.fail("permissions", "The server must run as " + runAs + " and its files belong to it; dbrescue runs as "
                    + at.me() + " and can do neither.", "Run dbrescue as root (sudo), or --run-as " + at.me()
                    + " with a target data directory of your own.");
        } else {
            try {
                at.data().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs);
                ctx.pass("run-as", "The server will run as " + runAs + " (owner of the copied files, mode 0700)"
                        + (at.root() ? "; dbrescue runs as root" : ""));
            } catch (IOException e) {
                ctx.fail("run-as", "There is no OS user called " + runAs + ".", "Create it (sudo useradd --system "
                        + runAs + ") or name another with --run-as.");
            }
        }
    }

    private static void checkWritable(Place at, PlanContext ctx) {
        Path data = at.data();
        Path parent = data.getParent();
        if (!at.root() && (parent == null || !Files.isWritable(parent) || at.exists() && !Files.isWritable(data))) {
            ctx.fail("permissions", "dbrescue cannot write " + data + " as " + at.me() + ".",
                    "Run dbrescue as root (sudo), or choose a folder you own with --target-data.");
        }
    }

    /** Free space for the copy (the shared check); the safety copy is a rename on the same disk (no extra space). */
    private static void checkDiskSpace(Finding f, Place at, PlanContext ctx) {
        io.dbrescue.plan.Checks.diskSpace(ctx, at.data(), f.getSizeBytes());
    }

    private static void checkCopiedWhileRunning(Finding f, PlanContext ctx) {
        if (PgFinding.copiedWhileRunning(f)) {
            ctx.warn("copied-while-running", "The data directory was copied while its server was running: PostgreSQL "
                    + f.getVersion() + " will replay its write-ahead log (WAL) at start, which works only if the WAL in "
                    + "the copy is complete. Recent changes may be missing.",
                    "If the start fails, look for a copy taken with the server stopped (or a dump).");
        }
    }

    private static void checkPortAndExisting(Place at, PlanContext ctx) {
        int port = at.port();
        InstalledServer.Cluster cluster = at.cluster();
        boolean ownPort = at.running() && cluster != null && Integer.valueOf(port).equals(cluster.port());
        if (!ownPort && io.dbrescue.machine.Ports.busy(port)) {
            ctx.warn("port", "Port " + port + " is in use by another program now; the restored server will not start "
                    + "there while it is.", "Stop that program (ss -ltnp shows which) or choose another port with "
                    + "--target-port.");
        } else {
            ctx.pass("port", "The restored server will listen on port " + port
                    + (ownPort ? " (the server running there now is stopped first)" : " (free now)"));
        }
        if (at.exists()) {
            ctx.pass("existing-data", at.data() + " exists: it is moved aside as the safety copy and kept"
                    + (ctx.request().safetyCopy() ? "" : " until the restore succeeds, then removed (safety copies are off)")
                    + ".");
        }
        if (at.running()) {
            ctx.warn("server-running", "A PostgreSQL server is running on " + at.data() + ": it will be stopped.",
                    "Nothing to do, unless programs are using it: close them first.");
        }
    }

    /** The steps that clear the place: the running server stopped, what is there moved aside; the safety copy or null. */
    private static Path stopAndMoveAside(Place at, PlanContext ctx) {
        Path data = at.data();
        if (at.running()) {
            String service = at.root() ? systemdService(data, at.server().major()) : null;
            ctx.step(new PgDirectSteps.PgStop(data, at.bin(), at.runAs(), service), "Stop the PostgreSQL server on " + data)
                    .needsRoot(at.root() && at.needsRootFor())
                    .writes("stops the server on " + data)
                    .undo("start it again (postgres with the arguments it ran with, from its postmaster.opts)").add();
        }
        if (!at.exists()) {
            return null;
        }
        Path safety = data.resolveSibling(data.getFileName() + ".before-dbrescue-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        ctx.step(new BasicSteps.MoveAside(data, safety), "Move the existing data directory aside (safety copy)")
                .writes(safety.toString()).needsRoot(!Files.isWritable(data.getParent()))
                .undo("move " + safety + " back to " + data).add();
        return safety;
    }

    /** The old configuration carried, the server started on the copy; how the later steps log in to it. */
    private static PgRestoreTarget configureAndStart(Finding f, Place at, Path safety, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        String listen = o.host() != null && o.host().matches("[A-Za-z0-9.:_-]+") ? o.host() : "localhost";
        PgConfigPlan.Planned conf = PgConfigPlan.plan(f, req.backupRoot(), ctx, at.data(),
                PgTargetServers.clusterAt(at.server(), at.data()), at.server().major(), at.bin(), at.port(), at.runAs(),
                safety, null);
        String socketDir = conf.socketDirs();
        ctx.step(new PgDirectSteps.PgStart(at.data(), at.bin(), at.runAs(), at.port(), listen, socketDir,
                        conf.configFile()), "Start PostgreSQL " + at.server().version() + " on the restored data")
                .needsRoot(at.needsRootFor())
                .writes("a server on port " + at.port() + " (its output: server-start-N.log in the run's folder)")
                .undo("stop it").add();
        return verifyLogin(f, o, at.port(), socketDir,
                listen.equals("*") || listen.equals("0.0.0.0") ? "127.0.0.1" : listen, conf.rules(), ctx);
    }

    /**
     * How the verification logs in to the restored cluster, which has the backup's roles and the carried login rules
     * (the old pg_hba.conf adapted, the owner's peer line added where it was missing): as --target-user, else the old
     * cluster's superuser, the way {@link PgRulesLogin} finds. When those rules will not let that login in, the
     * pre-flight says so now: the data is still restored, but a run whose verification cannot run does not count as
     * a success.
     */
    private static PgRestoreTarget verifyLogin(Finding f, TargetOptions o, int port, String socketDir, String host,
                                               PgHba rules, PlanContext ctx) {
        String want = o.user() != null ? o.user() : String.valueOf(f.getDetails().getOrDefault("superuser", "postgres"));
        PgRulesLogin login = PgRulesLogin.choose(want, host, port, socketDir, rules, PgLogin.passwordAtHand(ctx.secrets()),
                ctx.secrets());
        if (login.in()) {
            ctx.pass("verify-login", "The verification logs in to the restored cluster as " + want
                    + (login.bySocket() ? " through the socket " + socketDir : " over TCP") + ": " + login.said() + ".");
        } else {
            ctx.warn("verify-login", "The verification logs in to the restored cluster as " + want + ", and the rules it "
                    + "will have let that in no way dbrescue has: " + login.said() + ". The data is restored, but the "
                    + "run ends as not verified (exit code 5).", "Check the restored server by hand afterwards, or give "
                    + "--target-user and its password in PGPASSWORD.");
        }
        return login.target();
    }

    /** postgresql@15-main for a Debian cluster when systemd knows it and it is active; else null. */
    private static String systemdService(Path data, String major) {
        if (!data.startsWith(Path.of("/var/lib/postgresql", major)) || data.getNameCount() != 5
                || PgRestoreTools.find("systemctl", List.of()) == null) {
            return null;
        }
        String unit = "postgresql@" + major + "-" + data.getFileName() + ".service";
        try {
            Exec.Result r = Exec.of(List.of("systemctl", "is-active", unit)).timeout(java.time.Duration.ofSeconds(10)).run(null);
            return r.ok() ? unit : null;
        } catch (Exception e) {
            return null;
        }
    }
}
