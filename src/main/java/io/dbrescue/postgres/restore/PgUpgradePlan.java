package io.dbrescue.postgres.restore;

import io.dbrescue.container.ContainerRun;
import io.dbrescue.container.ContainerSteps;
import io.dbrescue.container.Podman;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.OsUsers;
import io.dbrescue.run.ShellSafety;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plans the pg_upgrade path of the container strategy. Next to the target data directory (one disk, so
 * --link works) a working folder gets a copy of the old cluster (the backup is never touched) and a new
 * cluster made by the NEW initdb with the old one's checksum setting, encoding, locale and superuser
 * (local connections trusted while pg_upgrade works — it logs in over a socket in the working folder
 * many times — then peer; the {@code pg-config} step then gives it the old cluster's configuration and login
 * rules, adapted to this machine);
 * {@code pg_upgrade --check} runs first (its output in the live log), then {@code pg_upgrade --link} on
 * the copy. Only then is the target touched: its server stopped, its data directory moved aside (the
 * safety copy), the new cluster moved into place and started; afterwards collation versions are
 * checked (REINDEX and REFRESH where the C library or ICU changed), extensions updated and the planner
 * statistics rebuilt (vacuumdb --analyze-in-stages). The programs run here (as the run-as user) or in an
 * image that holds both versions.
 */
public final class PgUpgradePlan {
    private PgUpgradePlan() {
    }

    /** initdb, pg_upgrade, vacuumdb: here as the run-as user, or in the upgrade image as its uid. */
    /** Where the working folder is in the image: short, because a socket's path must stay under 108 bytes. */
    static final String IN_IMAGE = "/upgrade";

    private record Programs(Path oldBin, Path newBin, String image, String runId, Path stage, OsUsers.Ids ids) {
        List<String> argv(String program, List<String> args, boolean network) {
            List<String> cmd = new ArrayList<>();
            cmd.add(newBin.resolve(program).toString());
            cmd.addAll(args);
            if (image == null) {
                return cmd;
            }
            ContainerRun run = ContainerRun.of(image, runId).user(ids.uid(), ids.gid()).mount(stage.toString(), IN_IMAGE)
                    .workDir(IN_IMAGE);
            if (network) {
                run.hostNetwork().env(PgRestoreTarget.PASSWORD_ENV);
            }
            return run.command(cmd).argv();
        }

        /** The old version's single-user server on the copy, for one database (DATABASE), reading stdin. */
        List<String> oldSingleUser(String copy) {
            List<String> cmd = List.of(oldBin.resolve("postgres").toString(), "--single", "-D", copy, "DATABASE");
            if (image == null) {
                return cmd;
            }
            return ContainerRun.of(image, runId).user(ids.uid(), ids.gid()).mount(stage.toString(), IN_IMAGE)
                    .workDir(IN_IMAGE).interactive().noNetwork().command(cmd).argv();
        }
    }

    /**
     * The upgrade's place, as the checks found it: the target data directory and its cluster, who runs it, the
     * working folder beside it (old copy, new cluster) and the sockets folder.
     */
    private record Up(Finding f, InstalledServer newer, PgUpgradeChoice how, InstalledServer.Cluster cluster, Path data,
                      boolean exists, boolean running, boolean root, String me, String runAs, OsUsers.Ids ids,
                      Path stage, Path sockets) {
        String oldMajor() {
            return f.getVersion();
        }

        String newMajor() {
            return newer.major();
        }

        int newNumber() {
            return PgRestoreTools.major(newer.major());
        }

        Map<String, Object> details() {
            return f.getDetails();
        }

        String superuser() {
            return String.valueOf(details().getOrDefault("superuser", "postgres"));
        }

        boolean checksums() {
            return Boolean.TRUE.equals(details().get("dataChecksums"));
        }

        Path oldCopy() {
            return stage.resolve("old");
        }

        Path newCluster() {
            return stage.resolve("new");
        }

        /** Inside the image the working folder is /upgrade; here the sockets go to a short folder of their own. */
        String stageIn() {
            return how.image() == null ? stage.toString() : IN_IMAGE;
        }

        String socketsIn() {
            return how.image() == null ? sockets.toString() : IN_IMAGE;
        }

        /** The user a program runs as here; null in the image (it runs as the uid of the run-as user there). */
        String runHere() {
            return how.image() == null ? runAs : null;
        }

        int port(TargetOptions o) {
            return o.port() != null ? o.port() : cluster != null && cluster.port() != null ? cluster.port() : 5432;
        }
    }

    /** The checks, then the steps: copy, pg_upgrade --check and --link, the swap, the start, the work after it. */
    public static void plan(Finding f, Target target, PlanContext ctx, InstalledServer newer, PgUpgradeChoice how) {
        Up up = place(f, target, ctx, newer, how);
        if (up == null) {
            return;
        }
        Programs p = checks(up, ctx);
        upgradeSteps(up, p, ctx);
        Path safety = swapSteps(up, ctx);
        startAndAfter(up, safety, ctx);
    }

    /** Both versions' programs, the target data directory, the run-as user; null after a FAIL. */
    private static Up place(Finding f, Target target, PlanContext ctx, InstalledServer newer, PgUpgradeChoice how) {
        TargetOptions o = ctx.request().target();
        String oldMajor = f.getVersion();
        String newMajor = newer.major();
        if (how.oldBin() == null) {
            ctx.fail("pg-upgrade", "pg_upgrade needs the programs of PostgreSQL " + oldMajor + " and " + newMajor
                    + " in one place; this machine has PostgreSQL " + oldMajor + "'s server programs nowhere (with "
                    + "pg_controldata and pg_resetwal), and the settings name no image that holds both.",
                    "Install PostgreSQL " + oldMajor + " beside " + newMajor + " (Debian: sudo apt install postgresql-"
                            + oldMajor + ", from apt.postgresql.org), or set images.postgresql_upgrade to an image with "
                            + "/usr/lib/postgresql/{old}/bin and /usr/lib/postgresql/{new}/bin — or use --upgrade-method dump.");
            return null;
        }
        boolean root = target.root() || io.dbrescue.run.OsUsers.isRoot();
        String me = System.getProperty("user.name");
        InstalledServer.Cluster cluster = newer.clusters().isEmpty() ? null : newer.clusters().get(0);
        Path data = o.dataDir() != null ? o.dataDir() : cluster != null ? cluster.dataDir() : null;
        if (data == null) {
            ctx.fail("target-data", "dbrescue does not know where the PostgreSQL " + newMajor + " data directory goes "
                    + "(no cluster of that version was found).", "Give it with --target-data DIR (e.g. /var/lib/postgresql/"
                    + newMajor + "/main).");
            return null;
        }
        data = data.toAbsolutePath().normalize();
        // a data directory inside the backup (or holding it) is refused by BackupGuard, for every step
        if (!PgTargetServers.oneLine(ctx, data)) {
            return null;
        }
        boolean exists = Files.exists(data, LinkOption.NOFOLLOW_LINKS);
        String runAs = runAs(o, cluster, data, exists, root, me);
        OsUsers.Ids ids = OsUsers.lookup(runAs);
        if (ids == null || ids.uid() == 0) {
            ctx.fail("run-as", ids == null ? "There is no OS user called " + runAs + "."
                    : "PostgreSQL refuses to run as root.", "Name the user that owns and runs PostgreSQL with --run-as "
                    + "(usually postgres).");
            return null;
        }
        if (!root && !runAs.equals(me)) {
            ctx.fail("permissions", "The new cluster must belong to " + runAs + "; dbrescue runs as " + me + ".",
                    "Run dbrescue as root (sudo), or --run-as " + me + ".");
            return null;
        }
        Path stage = data.resolveSibling(data.getFileName() + ".dbrescue-upgrade-" + ctx.runId());
        boolean running = exists && PgDirectSteps.running(data)
                || cluster != null && cluster.running() && data.equals(cluster.dataDir());
        return new Up(f, newer, how, cluster, data, exists, running, root, me, runAs, ids, stage,
                Path.of("/tmp", "dbrescue-" + ctx.runId()));
    }

    /** --run-as, else the cluster's owner, else the owner of what is there, else postgres (as root). */
    private static String runAs(TargetOptions o, InstalledServer.Cluster cluster, Path data, boolean exists, boolean root,
                                String me) {
        String runAs = o.runAs();
        if (runAs == null && cluster != null) {
            runAs = cluster.owner();
        }
        if (runAs == null && exists) {
            try {
                runAs = Files.getOwner(data, LinkOption.NOFOLLOW_LINKS).getName();
            } catch (IOException e) {
                runAs = null;
            }
        }
        return runAs != null ? runAs : root ? "postgres" : me;
    }

    /** Where pg_upgrade runs (the image, or here), the new cluster's settings, space, what runs there now. */
    private static Programs checks(Up up, PlanContext ctx) {
        PgUpgradeChoice how = up.how();
        String both = "PostgreSQL " + up.oldMajor() + " and " + up.newMajor();
        io.dbrescue.container.LocaleImage.Decision locales = null;
        if (how.image() != null) {
            boolean podman = Podman.program() != null;
            if (!podman) {
                ctx.fail("podman", "Podman is not installed; pg_upgrade runs in the image " + how.image() + ".",
                        Podman.installHint());
            }
            if (podman) {
                ContainerSteps.checkImage(ctx, how.image(), both);
                // both servers pg_upgrade starts, and initdb, need the locales the old databases use
                locales = PgLocales.forImage(ctx, up.f(), how.image(), both);
            }
            ctx.pass("pg-upgrade", "pg_upgrade " + up.newMajor() + " runs in the image " + how.image() + " (old programs in "
                    + how.oldBin() + ", new in " + how.newBin() + "), as uid " + up.ids().uid() + " (" + up.runAs() + ").");
        } else {
            ctx.pass("pg-upgrade", "pg_upgrade " + up.newMajor() + " runs here as " + up.runAs() + ": old programs in "
                    + how.oldBin() + ", new in " + how.newBin() + ".");
            shellSafe(ctx, up.stage(), how);
        }
        // the programs run in the image with the cluster's locales (when one is made), or here
        Programs p = new Programs(how.oldBin(), how.newBin(), locales == null ? how.image() : locales.image(), ctx.runId(),
                up.stage(), up.ids());
        PgLocales.checkHost(ctx, up.f(), how.image() == null ? "pg_upgrade and the upgraded cluster run on this machine"
                : "The upgraded cluster runs on this machine (PostgreSQL " + up.newMajor() + " here)");
        checkNewCluster(up, ctx);
        long size = up.f().getSizeBytes();
        ctx.diskSpace(up.stage(), size + size / 10); // the copy; --link shares its files with the new cluster
        if (up.exists()) {
            ctx.pass("existing-data", up.data() + " exists: once pg_upgrade has succeeded it is moved aside as the safety "
                    + "copy" + (ctx.request().safetyCopy() ? "" : " (removed after success: safety copies are off)") + ".");
        }
        if (up.running()) {
            ctx.warn("server-running", "PostgreSQL " + up.newMajor() + " is running on " + up.data() + ": it is stopped "
                    + "after pg_upgrade succeeded, and the new cluster is started in its place.",
                    "Nothing to do, unless programs are using it: close them first.");
        }
        if (how.image() != null) {
            ContainerSteps.planImage(ctx, how.image(), both);
            if (locales != null) {
                PgLocales.planImageStep(ctx, up.f(), locales, both);
            }
        }
        return p;
    }

    /** The new cluster is made like the old one; pg_upgrade --check runs first; the extensions it needs are here. */
    private static void checkNewCluster(Up up, PlanContext ctx) {
        Map<String, Object> d = up.details();
        boolean checksums = up.checksums();
        ctx.pass("new-cluster", "The new cluster is made like the old one: superuser " + up.superuser() + ", encoding "
                + d.getOrDefault("encoding", "UTF8") + ", locale " + d.getOrDefault("lcCollate", "C")
                + (d.get("localeProvider") != null ? " (" + d.get("localeProvider") + ")" : "") + ", data checksums "
                + (checksums ? "on" : "off") + (up.newNumber() >= 18 && !checksums ? " (PostgreSQL 18 turns them on by "
                + "default, but pg_upgrade needs the same setting on both sides)" : "") + ".");
        if (!checksums) {
            ctx.warn("checksums", "The old cluster has no data checksums, so the new one has none either.",
                    "To turn them on later: stop the server, run pg_checksums --enable -D " + up.data() + ", start it.");
        }
        ctx.warn("pg-upgrade-check", "pg_upgrade --check runs as the first step on the copy (it starts the old server, "
                + "which a dry run must not do); its output is shown in the live log, and nothing in the target changes "
                + "unless it passes. It also checks that every library the old databases use (extensions) is installed "
                + "for PostgreSQL " + up.newMajor() + ".", "Nothing to do before the run.");
        checkExtensions(PgContainerPlan.extensionsOf(up.f()), up.newer(), up.newMajor(), ctx.request().target(),
                up.superuser(), ctx);
    }

    /** The working folder, the copy, its configuration, initdb, pg_upgrade --check, then pg_upgrade --link. */
    private static void upgradeSteps(Up up, Programs p, PlanContext ctx) {
        String runAs = up.runAs();
        Path stage = up.stage();
        Path source = ctx.request().backupRoot().resolve(up.f().getPath()).normalize();
        long size = up.f().getSizeBytes();
        ctx.step(new BasicSteps.MakeDir(stage, runAs, "rwx------"),
                        "Make the working folder next to the target (one disk, so pg_upgrade can link)")
                .writes(stage + " (owner " + runAs + ")").undo("delete it").add();
        ctx.step(new BasicSteps.Copy(source, up.oldCopy(), runAs, "rwx------"),
                        "Copy the PostgreSQL " + up.oldMajor() + " data directory (the backup is not touched)")
                .reads(source.toString()).writes(up.oldCopy().toString()).bytes(size)
                .needsRoot(!runAs.equals(up.me())).undo("delete the copy").add();
        ctx.step(new PgMoveSteps.PgPrepareCopy(up.oldCopy(), runAs, null, null),
                        "Give the copy a minimal server configuration for pg_upgrade")
                .writes(up.oldCopy() + "/postgresql.conf, pg_hba.conf (the originals kept beside them)").add();
        if (up.how().image() == null) {
            ctx.step(new BasicSteps.MakeDir(up.sockets(), runAs, "rwx------"), "Make a short folder for pg_upgrade's sockets")
                    .writes(up.sockets().toString()).undo("delete it").add();
        }
        PgAttver.planSingleUser(ctx, up.f(), p.oldSingleUser(up.stageIn() + "/old"), up.runHere(), stage);
        ctx.step(new PgUpgradeSteps.PgInitDb(p.argv("initdb", initdbArgs(up), false), up.newCluster(), up.runHere(),
                        stage), "Make the new PostgreSQL " + up.newMajor() + " cluster (initdb " + up.newMajor() + ")")
                .writes(up.newCluster().toString()).undo("delete it").add();
        List<String> upgradeArgs = List.of("-b", up.how().oldBin().toString(), "-B", up.how().newBin().toString(),
                "-d", up.stageIn() + "/old", "-D", up.stageIn() + "/new", "-U", up.superuser(),
                "--socketdir=" + up.socketsIn());
        // no -j: pg_upgrade 18.6 restoring several databases at once failed here with "database postgres does not
        // exist" (one worker recreates it while another connects to it); with --link the files are not copied anyway
        List<String> check = new ArrayList<>(upgradeArgs);
        check.add("--check");
        ctx.step(new PgUpgradeSteps.PgUpgrade(p.argv("pg_upgrade", check, false), true, up.oldCopy(), up.newCluster(),
                        up.runHere(), stage, null),
                        "pg_upgrade --check: can the old cluster be upgraded? (its output goes to the live log)")
                .reads(up.oldCopy().toString()).add();
        List<String> link = new ArrayList<>(upgradeArgs);
        link.add("--link");
        ctx.step(new PgUpgradeSteps.PgUpgrade(p.argv("pg_upgrade", link, false), false, up.oldCopy(), up.newCluster(),
                        up.runHere(), stage, "peer"),
                        "pg_upgrade --link: upgrade the copy into the new cluster (files shared, not copied)")
                .reads(up.oldCopy().toString()).writes(up.newCluster().toString())
                .bytes(Math.max(1, size / 20)).undo("delete the new cluster; the copy is made usable again").add();
    }

    /** initdb's arguments: the old cluster's superuser, encoding, locales and data checksums. */
    private static List<String> initdbArgs(Up up) {
        Map<String, Object> d = up.details();
        List<String> initdb = new ArrayList<>(List.of("-D", up.stageIn() + "/new", "-U", up.superuser(),
                "-E", String.valueOf(d.getOrDefault("encoding", "UTF8")), "--auth-local=trust", "--auth-host=scram-sha-256"));
        initdb.addAll(localeArgs(d, up.newNumber()));
        if (up.checksums()) {
            initdb.add("--data-checksums");
        } else if (up.newNumber() >= 18) {
            initdb.add("--no-data-checksums");
        }
        return initdb;
    }

    /** The running server stopped, what is there moved aside, the new cluster put in place; the safety copy or null. */
    private static Path swapSteps(Up up, PlanContext ctx) {
        Path data = up.data();
        if (up.running()) {
            ctx.step(new PgDirectSteps.PgStop(data, up.newer().binDir(), up.runAs(), null), "Stop the PostgreSQL "
                            + up.newMajor() + " server on " + data).needsRoot(up.root() && !up.runAs().equals(up.me()))
                    .writes("stops the server on " + data)
                    .undo("start it again (postgres with the arguments it ran with, from its postmaster.opts)").add();
        }
        Path safety = up.exists() ? data.resolveSibling(data.getFileName() + ".before-dbrescue-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))) : null;
        if (up.exists()) {
            ctx.step(new BasicSteps.MoveAside(data, safety), "Move the existing data directory aside (safety copy)")
                    .writes(safety.toString()).undo("move " + safety + " back").add();
        }
        ctx.step(new BasicSteps.Move(up.newCluster(), data), "Put the new cluster in place")
                .writes(data.toString()).undo("move it back into the working folder").add();
        return safety;
    }

    /**
     * The old configuration carried (its roles' logins, this machine's paths, port and socket folder), the logins
     * after the swap proven, the start, collations and extensions, statistics, the clean-up, the verification.
     */
    private static void startAndAfter(Up up, Path safety, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        int port = up.port(o);
        String listen = o.host() != null && o.host().matches("[A-Za-z0-9.:_-]+") ? o.host() : "localhost";
        // the upgraded cluster serves the socket folder the target serves now
        String targetSocket = PgUpgradeLogin.targetSocket(o, port, up.data());
        PgConfigPlan.Planned conf = PgConfigPlan.plan(up.f(), req.backupRoot(), ctx, up.data(),
                PgTargetServers.clusterAt(up.newer(), up.data()), up.newMajor(), up.newer().binDir(), port, up.runAs(),
                safety, targetSocket);
        String socketDir = conf.socketDirs();
        // every login a step after the swap needs, proven now against the carried rules (nothing is stopped or moved
        // before the pre-flight passes)
        PgRestoreTarget after = PgUpgradeLogin.prove(up.f(), o, port, socketDir, conf.rules(), ctx);
        ctx.step(new PgDirectSteps.PgStart(up.data(), up.newer().binDir(), up.runAs(), port, listen, socketDir,
                        conf.configFile()), "Start PostgreSQL " + up.newMajor() + " on the upgraded cluster")
                .needsRoot(!up.runAs().equals(up.me()))
                .writes("a server on port " + port).undo("stop it").add();
        List<String> dbs = up.f().getDatabases().stream().filter(x -> !x.startsWith("template")).toList();
        ctx.step(new PgUpgradeSteps.PgPostUpgrade(after.login(), dbs), "Collation versions (REINDEX and REFRESH where "
                        + "the C library or ICU changed), extension updates")
                .reads("the new server").writes("indexes and collation versions where they changed").add();
        analyzeStep(up, after, dbs, ctx);
        ctx.step(new BasicSteps.Remove(up.stage()), "Delete the working folder (the old copy; the backup is untouched)")
                .writes("deletes " + up.stage()).add();
        if (up.how().image() == null) {
            ctx.step(new BasicSteps.Remove(up.sockets()), "Delete the sockets folder").writes("deletes " + up.sockets())
                    .add();
        }
        ctx.step(new PgVerifyStep.PgVerify(after.login(), "direct", dbs, null), "Verify: connect, list databases, count rows")
                .reads("the new server on port " + port).add();
    }

    /** pg_upgrade 18 carries the planner statistics over: only what is missing (extended statistics) is built. */
    private static void analyzeStep(Up up, PgRestoreTarget after, List<String> dbs, PlanContext ctx) {
        PgContainerPlan.Client client = analyzeClient(up.newer(), up.how(), ctx, up.stage()).reaching(after);
        boolean missingOnly = up.newNumber() >= 18;
        List<String> analyze = new ArrayList<>(List.of("--analyze-in-stages", "-w", "-h", after.toolHost(), "-p",
                Integer.toString(up.port(ctx.request().target())), "-U", after.user(), "-d", "DATABASE"));
        if (missingOnly) {
            analyze.add(1, "--missing-stats-only");
        }
        ctx.step(new PgMoveSteps.PgAnalyze(after.login(), client.argv("vacuumdb", analyze), dbs),
                        "Rebuild the planner statistics (vacuumdb --analyze-in-stages"
                        + (missingOnly ? " --missing-stats-only: pg_upgrade " + up.newMajor() + " kept the rest)" : ")"))
                .reads("the new server").writes("statistics").add();
    }

    /**
     * pg_upgrade runs pg_ctl, pg_dump and the rest through system(), and initdb runs postgres through popen,
     * with the folders in the command strings: each must be safe there ({@link ShellSafety}).
     */
    private static void shellSafe(PlanContext ctx, Path stage, PgUpgradeChoice how) {
        String dump = "or use the dump path (--upgrade-method dump).";
        ShellSafety.check(ctx, "shell-safe-path", "The working folder next to the target data directory", stage,
                "pg_upgrade", "for --target-data, " + dump);
        ShellSafety.check(ctx, "shell-safe-path", "The folder of PostgreSQL's old programs", how.oldBin(),
                "pg_upgrade", "or install them in their usual place, " + dump);
        ShellSafety.check(ctx, "shell-safe-path", "The folder of PostgreSQL's new programs", how.newBin(),
                "pg_upgrade (and initdb)", "for --target-bin, " + dump);
    }

    /**
     * The extensions the old databases use must be installable in the new version before anything runs:
     * asked of the target server when it runs, else read from its extension folder (the .control files);
     * when neither can tell, pg_upgrade --check (the first step) names what is missing.
     */
    private static void checkExtensions(java.util.Set<String> used, InstalledServer newer, String newMajor,
                                        TargetOptions o, String superuser, PlanContext ctx) {
        if (used.isEmpty()) {
            ctx.pass("extensions", "The old databases use no extensions beyond plpgsql.");
            return;
        }
        java.util.Set<String> available = null;
        String where = null;
        if (o.port() != null || newer.clusters().stream().anyMatch(InstalledServer.Cluster::running)) {
            int port = o.port() != null ? o.port() : newer.clusters().stream().filter(InstalledServer.Cluster::running)
                    .map(InstalledServer.Cluster::port).filter(java.util.Objects::nonNull).findFirst().orElse(5432);
            PgLogin.Result login = PgLogin.resolve(o.host(), "127.0.0.1", port, o.user(), ctx.secrets());
            try {
                available = login.ok() ? login.target().availableExtensions() : null;
                where = "the running PostgreSQL " + newMajor + " server";
            } catch (java.sql.SQLException e) {
                available = null;
            }
        }
        if (available == null) {
            Path home = newer.binDir().getParent();
            for (Path dir : List.of(home.resolve("share/postgresql/extension"), home.resolve("share/extension"),
                    Path.of("/usr/share/postgresql", newMajor, "extension"))) {
                try (var files = Files.list(dir)) {
                    available = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".control"))
                            .map(n -> n.substring(0, n.length() - ".control".length()))
                            .collect(java.util.stream.Collectors.toSet());
                    where = dir.toString();
                    break;
                } catch (IOException e) {
                    // not this layout
                }
            }
        }
        if (available == null) {
            ctx.warn("extensions", "The old databases use " + String.join(", ", used) + "; dbrescue could not tell "
                    + "whether PostgreSQL " + newMajor + " here has them.", "pg_upgrade --check (the first step) names "
                    + "any that are missing; " + String.join(" ", used.stream()
                    .map(x -> PgRestoreTools.extensionHint(x, newMajor)).toList()));
            return;
        }
        java.util.Set<String> have = available;
        List<String> missing = used.stream().filter(x -> !have.contains(x)).toList();
        if (missing.isEmpty()) {
            ctx.pass("extensions", "PostgreSQL " + newMajor + " has the extensions the old databases use ("
                    + String.join(", ", used) + "; asked " + where + ").");
        } else {
            ctx.fail("extensions", "The old databases use the extension(s) " + String.join(", ", missing)
                    + ", which PostgreSQL " + newMajor + " here does not have (" + where + ").",
                    String.join(" ", missing.stream().map(x -> PgRestoreTools.extensionHint(x, newMajor)).toList())
                            + " Then run again; nothing was touched.");
        }
    }

    /** vacuumdb of the new version: here beside the server, else in the upgrade image (with the host's network). */
    private static PgContainerPlan.Client analyzeClient(InstalledServer newer, PgUpgradeChoice how, PlanContext ctx,
                                                        Path stage) {
        if (how.image() == null || Files.isExecutable(newer.binDir().resolve("vacuumdb"))) {
            Path dir = Files.isExecutable(newer.binDir().resolve("vacuumdb")) ? newer.binDir() : how.newBin();
            return new PgContainerPlan.Client(dir, null, newer.major(), ctx.runId(), stage);
        }
        return new PgContainerPlan.Client(null, how.image(), newer.major(), ctx.runId(), stage);
    }

    /** initdb's locale options for the old cluster's template0 locale (libc, icu or builtin). */
    static List<String> localeArgs(Map<String, Object> d, int newMajor) {
        List<String> a = new ArrayList<>();
        String collate = String.valueOf(d.getOrDefault("lcCollate", "C"));
        String ctype = String.valueOf(d.getOrDefault("lcCtype", collate));
        String provider = String.valueOf(d.getOrDefault("localeProvider", "libc"));
        a.add("--lc-collate=" + collate);
        a.add("--lc-ctype=" + ctype);
        if (newMajor >= 15 && provider.equals("icu")) {
            a.add("--locale-provider=icu");
            a.add("--icu-locale=" + d.getOrDefault("locale", d.getOrDefault("icuLocale", "und")));
        } else if (newMajor >= 17 && provider.equals("builtin")) {
            a.add("--locale-provider=builtin");
            a.add("--builtin-locale=" + d.getOrDefault("locale", "C"));
        }
        return a;
    }
}
