package io.dbrescue.postgres;

import io.dbrescue.plan.Decision;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Exec;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Scanner;
import io.dbrescue.scan.Status;
import io.dbrescue.text.Sizes;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetDiscovery;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.machine.Versions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the recovery of PostgreSQL data directories and dumps. Rules: a data directory goes DIRECT
 * into a server of the same major version; an older one goes CONTAINER (the dump path or pg_upgrade, see
 * {@link PgUpgradeChoice}; a dump of it in the backup is named as the alternative); a newer one is
 * refused (no downgrades). A dump goes
 * into the running target server (DUMP_RESTORE) with pg_restore or psql. Planning only reads: it asks
 * programs their version, lists an archive's contents, connects to list databases — never writes.
 */
public final class PostgresPlanner implements EnginePlanner {
    private static final Set<String> SYSTEM_DBS = Set.of("postgres", "template0", "template1");
    private static final Pattern TOC_LINE = Pattern.compile("^\\d+; \\d+ \\d+ (.+)$");
    private static final Pattern TOC_DATA = Pattern.compile("^\\d+; \\d+ \\d+ TABLE DATA (\\S+) (\\S+) \\S+$");

    @Override
    public boolean handles(Finding f) {
        return f.getEngine() == Engine.POSTGRESQL && (f.getKind() == Kind.DATA_DIRECTORY || f.getKind() == Kind.DUMP);
    }

    // ---------------------------------------------------------------- decide

    @Override
    public Decision decide(Finding f, Strategy requested, Target target, RecoveryRequest request) {
        return f.getKind() == Kind.DATA_DIRECTORY ? decideDataDir(f, requested, target, request)
                : decideDump(f, requested, target, request);
    }

    private Decision decideDataDir(Finding f, Strategy requested, Target target, RecoveryRequest request) {
        String major = f.getVersion();
        boolean whileRunning = copiedWhileRunning(f);
        String wal = whileRunning ? " It was copied while its server was running: only PostgreSQL " + major
                + " can replay its write-ahead log (WAL) to make the files consistent, so only the same major version "
                + "can bring it back." : "";
        List<InstalledServer> servers = servers(target, request.target());
        List<Decision.Alternative> alt = new ArrayList<>();
        if (requested == Strategy.DUMP_RESTORE) {
            return decision(f, null, "A data directory is not a dump: dump-restore loads dump files. Select a dump of it "
                    + "(if the backup has one), or use --strategy direct with a PostgreSQL " + major + " server.", alt);
        }
        if (major == null) {
            return decision(f, null, "The PostgreSQL version of this data directory is unknown (no readable PG_VERSION).", alt);
        }
        List<String> have = servers.stream().map(InstalledServer::major).distinct().toList();
        // a server whose files are elsewhere (a container publishing its port) is reached by the dump path only
        boolean remote = servers.size() == 1 && elsewhere(servers.get(0));
        boolean sameHere = !remote && servers.stream().anyMatch(s -> major.equals(s.major()));
        boolean newerHere = servers.stream().anyMatch(s -> Versions.compare(s.major(), major) > 0);
        // PostgreSQL M's programs beside a newer version and running no cluster are there for the upgrade
        // (Debian's postgresql-M, Arch's postgresql-old-upgrade): the data goes into the newer version
        boolean forUpgrade = sameHere && newerHere && (requested == Strategy.CONTAINER || requested == Strategy.AUTO
                && servers.stream().noneMatch(s -> major.equals(s.major()) && !s.clusters().isEmpty()));
        if (sameHere && !forUpgrade) {
            if (requested == Strategy.CONTAINER) {
                return decision(f, null, "The target has PostgreSQL " + major + " itself: no container is needed, the "
                        + "files are copied into place (--strategy direct).", alt);
            }
            alt.add(new Decision.Alternative(Strategy.CONTAINER, false, "not needed: the target has the same major version"));
            alt.add(new Decision.Alternative(Strategy.DUMP_RESTORE, false, "this is a data directory, not a dump"));
            return decision(f, Strategy.DIRECT, "Same major version (PostgreSQL " + major + ") on the target: the files are "
                    + "copied into place and PostgreSQL " + major + " starts on them." + wal, alt);
        }
        if (servers.isEmpty()) {
            return decision(f, null, "No PostgreSQL server is installed here (none found, none given with --target-bin). "
                    + "Install PostgreSQL " + major + " (Debian: sudo apt install postgresql-" + major + ") or give its "
                    + "binaries with --target-bin." + wal, alt);
        }
        boolean newerTarget = servers.stream().anyMatch(s -> Versions.compare(s.major(), major) > 0
                || remote && Versions.compare(s.major(), major) == 0);
        if (!newerTarget) {
            return decision(f, null, "This data directory is PostgreSQL " + major + ", newer than every server here ("
                    + String.join(", ", have) + "): no downgrades of data directories — an older server cannot read "
                    + "newer files. Install PostgreSQL " + major + " or newer (or give it with --target-bin).", alt);
        }
        List<String> dumps = dumpsOf(f, request);
        InstalledServer newer = newest(servers);
        PgUpgradeChoice how = PgUpgradeChoice.choose(f, newer, target, request);
        Integer port = request.target().port();
        String targetIs = port != null && !newer.clusters().isEmpty() && newer.clusters().get(0).running()
                ? "the server that answers on port " + port + " is PostgreSQL " + newer.version()
                + (remote ? " (its files are not on this machine: a container or another machine)" : "")
                : "this machine has PostgreSQL " + newer.major();
        String reason = "PostgreSQL " + major + " data, and " + targetIs
                + (forUpgrade ? " (and PostgreSQL " + major + "'s programs, which run no cluster here)" : "")
                + (remote && newer.major().equals(major) ? ". " : ", which cannot open older files. ") + how.reason()
                + wal.replace("only the same major version can bring it back", "the old server in the container does that first");
        alt.add(new Decision.Alternative(Strategy.DIRECT, forUpgrade, forUpgrade ? "into PostgreSQL " + major
                + " here instead of " + newer.major() + " (it runs no cluster yet)" : "the target's PostgreSQL "
                + String.join(", ", have) + " cannot open PostgreSQL " + major + " files"));
        if (!dumps.isEmpty()) {
            alt.add(new Decision.Alternative(Strategy.DUMP_RESTORE, true, "select the dump " + String.join(" or ", dumps)
                    + " of it from the backup instead"));
        } else {
            alt.add(new Decision.Alternative(Strategy.DUMP_RESTORE, false, "the backup holds no dump of it"));
        }
        return decision(f, Strategy.CONTAINER, reason, alt);
    }

    /** The newest of the servers. */
    static InstalledServer newest(List<InstalledServer> servers) {
        return servers.stream().max((a, b) -> Versions.compare(a.major(), b.major())).orElseThrow();
    }

    private Decision decideDump(Finding f, Strategy requested, Target target, RecoveryRequest request) {
        List<Decision.Alternative> alt = new ArrayList<>();
        alt.add(new Decision.Alternative(Strategy.DIRECT, false, "a dump is loaded into a running server, not copied"));
        alt.add(new Decision.Alternative(Strategy.CONTAINER, false, "not needed for a dump"));
        if (requested == Strategy.DIRECT || requested == Strategy.CONTAINER) {
            return decision(f, null, "A dump is loaded into a running server: use --strategy dump-restore (or auto).", alt);
        }
        // an archive newer than the pg_restore here is still a dump-restore: the pre-flight finds a pg_restore
        // that can read it (the image of the server's version) or says what works instead
        return decision(f, Strategy.DUMP_RESTORE, "A dump is loaded into the running target server with "
                + (isArchive(f) ? "pg_restore" : "psql") + "; databases are created as needed.", alt);
    }

    private static Decision decision(Finding f, Strategy s, String reason, List<Decision.Alternative> alt) {
        return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), s, reason, alt);
    }

    static boolean copiedWhileRunning(Finding f) {
        return Boolean.TRUE.equals(f.getDetails().get("copiedWhileRunning")) || Boolean.FALSE.equals(f.getCleanShutdown());
    }

    /** Dumps in the same backup that hold this data directory's databases (for the older-major case only). */
    private static List<String> dumpsOf(Finding dataDir, RecoveryRequest request) {
        try {
            ScanResult scan = new Scanner(List.of(new PostgresScanning())).scan(request.backupRoot());
            Set<String> wanted = new LinkedHashSet<>(dataDir.getDatabases());
            wanted.removeAll(SYSTEM_DBS);
            List<String> out = new ArrayList<>();
            for (Finding d : scan.findings()) {
                if (d.getKind() != Kind.DUMP || d.getStatus() == Status.DAMAGED) {
                    continue;
                }
                boolean match = d.getDatabases().stream().anyMatch(wanted::contains)
                        || wanted.isEmpty() && dataDir.getVersion().equals(d.getVersion() == null ? null
                        : InstalledServer.majorOf(Engine.POSTGRESQL, d.getVersion()));
                if (match) {
                    out.add(d.getPath());
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    // ---------------------------------------------------------------- target facts

    /**
     * The target's PostgreSQL servers. When --target-port names a running server, that server alone — the one
     * that answers there, whatever else is installed: found on this machine by its socket's lock file (see
     * {@link io.dbrescue.machine.PgLocalServer}), else asked over TCP (a container publishing the port, another
     * machine). Else --target-bin alone when given, else what discovery found.
     */
    static List<InstalledServer> servers(Target target, TargetOptions o) {
        if (o != null && o.port() != null) {
            if (TargetDiscovery.isLocal(o.host())) {
                Optional<InstalledServer> live = target.answering(Engine.POSTGRESQL, o.port());
                if (live.isPresent()) {
                    return List.of(live.get());
                }
            }
            InstalledServer elsewhere = elsewhere(target, o);
            if (elsewhere != null) {
                return List.of(elsewhere);
            }
        }
        if (o != null && o.binDir() != null) {
            Path postgres = o.binDir().resolve("postgres");
            String version = PgRestoreTools.version(Files.isExecutable(postgres) ? postgres : null);
            if (version == null) {
                return List.of(); // no server programs there (perhaps client tools only)
            }
            List<InstalledServer.Cluster> clusters = target.servers(Engine.POSTGRESQL).stream()
                    .filter(s -> o.binDir().equals(s.binDir())).flatMap(s -> s.clusters().stream()).toList();
            return List.of(new InstalledServer(Engine.POSTGRESQL, version, o.binDir(), clusters));
        }
        return target.servers(Engine.POSTGRESQL);
    }

    /**
     * A server at --target-host/--target-port that has no socket here (a container publishing 127.0.0.1:PORT,
     * another machine): its version asked over TCP (server_version_num), with the user's password; null when
     * nothing answers or the login is refused (the pre-flight then says why).
     */
    static InstalledServer elsewhere(Target target, TargetOptions o) {
        if (!portBusy(o.host() == null ? "127.0.0.1" : o.host(), o.port())) {
            return null;
        }
        PgLogin.Result login = PgLogin.resolve(o.host(), "127.0.0.1", o.port(), o.user(), target.secrets());
        if (!login.ok()) {
            return null;
        }
        if (TargetDiscovery.isLocal(o.host())) { // a server here whose socket is elsewhere (or none): its data says so
            try {
                Optional<io.dbrescue.machine.PgLocalServer> here = io.dbrescue.machine.PgLocalServer
                        .fromDataDir(Path.of(login.target().setting("data_directory")), o.port());
                if (here.isPresent()) {
                    return target.withAnswering(here.get()).answering(Engine.POSTGRESQL, o.port()).orElseThrow();
                }
            } catch (SQLException | RuntimeException e) {
                // not a superuser, or another machine's path: taken as a server elsewhere
            }
        }
        return new InstalledServer(Engine.POSTGRESQL, login.version(), o.binDir(), List.of(new InstalledServer.Cluster(
                null, o.port(), true, null, Integer.toString(login.major()), null, null)));
    }

    /** Whether the server is one whose files are not on this machine (only reachable through its port). */
    static boolean elsewhere(InstalledServer s) {
        return !s.clusters().isEmpty() && s.clusters().stream().allMatch(c -> c.dataDir() == null);
    }

    static List<Path> clientDirs(Target target, TargetOptions o) {
        return PgRestoreTools.clientDirs(o == null ? null : o.binDir(),
                target.servers(Engine.POSTGRESQL).stream().map(InstalledServer::binDir).toList());
    }

    static boolean isArchive(Finding f) {
        String fmt = f.getFormat() == null ? "" : f.getFormat();
        return fmt.startsWith("custom") || fmt.startsWith("directory") || fmt.startsWith("tar");
    }

    // ---------------------------------------------------------------- plan

    @Override
    public void plan(Finding f, Decision d, Target target, PlanContext ctx) {
        if (d.strategy() == Strategy.CONTAINER) {
            InstalledServer newer = newest(servers(target, ctx.request().target()));
            PgUpgradeChoice how = PgUpgradeChoice.choose(f, newer, target, ctx.request());
            if (how.pgUpgrade()) {
                PgUpgradePlan.plan(f, target, ctx, newer, how);
            } else {
                PgContainerPlan.planDump(f, target, ctx, newer);
            }
        } else if (d.strategy() == Strategy.DIRECT) {
            planDirect(f, target, ctx);
        } else if (d.strategy() == Strategy.DUMP_RESTORE) {
            planDump(f, target, ctx);
        }
    }

    private void planDirect(Finding f, Target target, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        Path source = req.backupRoot().resolve(f.getPath()).normalize();
        InstalledServer server = servers(target, o).stream().filter(s -> f.getVersion().equals(s.major())).findFirst()
                .orElseThrow();
        Path bin = server.binDir();
        boolean binsOk = Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("pg_ctl"));
        if (binsOk) {
            ctx.pass("binaries", "PostgreSQL " + server.version() + " server programs in " + bin);
        } else {
            ctx.fail("binaries", "postgres / pg_ctl of PostgreSQL " + server.major() + " are missing in " + bin + ".",
                    PgRestoreTools.installHint("postgres", server.major()));
        }
        InstalledServer.Cluster cluster = server.clusters().isEmpty() ? null : server.clusters().get(0);
        Path data = o.dataDir() != null ? o.dataDir() : cluster != null ? cluster.dataDir() : null;
        if (data == null) {
            ctx.fail("target-data", "dbrescue does not know where the PostgreSQL " + server.major()
                    + " data directory goes (no cluster of that version was found).",
                    "Give it with --target-data DIR (e.g. /var/lib/postgresql/" + server.major() + "/main).");
            return;
        }
        data = data.toAbsolutePath().normalize();
        // a data directory inside the backup (or holding it) is refused by BackupGuard, for every step
        if (!oneLine(ctx, data)) {
            return;
        }
        boolean exists = Files.exists(data, LinkOption.NOFOLLOW_LINKS);
        boolean root = target.root() || PgDirectSteps.isRoot();
        String me = System.getProperty("user.name");
        // the run-as user: --run-as, else the owner of what is there, else the cluster's, else postgres
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
        if (runAs == null) {
            runAs = root ? "postgres" : me;
        }
        if (runAs.equals("root")) {
            ctx.fail("run-as", "PostgreSQL refuses to run as root, and the target data directory would belong to root.",
                    "Give the user that owns and runs the server with --run-as (usually postgres).");
        } else if (!root && !runAs.equals(me)) {
            ctx.fail("permissions", "The server must run as " + runAs + " and its files belong to it; dbrescue runs as "
                    + me + " and can do neither.", "Run dbrescue as root (sudo), or --run-as " + me
                    + " with a target data directory of your own.");
        } else {
            try {
                data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs);
                ctx.pass("run-as", "The server will run as " + runAs + " (owner of the copied files, mode 0700)"
                        + (root ? "; dbrescue runs as root" : ""));
            } catch (IOException e) {
                ctx.fail("run-as", "There is no OS user called " + runAs + ".", "Create it (sudo useradd --system "
                        + runAs + ") or name another with --run-as.");
            }
        }
        Path parent = data.getParent();
        if (!root && (parent == null || !Files.isWritable(parent) || exists && !Files.isWritable(data))) {
            ctx.fail("permissions", "dbrescue cannot write " + data + " as " + me + ".",
                    "Run dbrescue as root (sudo), or choose a folder you own with --target-data.");
        }
        // free space: the copy; the safety copy is a rename on the same disk (no extra space)
        long need = f.getSizeBytes();
        try {
            Path existing = data;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            FileStore store = Files.getFileStore(existing);
            long free = store.getUsableSpace();
            String s = "the copy needs " + Sizes.human(need) + ", " + Sizes.human(free) + " free on " + store.name()
                    + (exists ? "; the safety copy is a rename on the same disk and needs no extra space" : "");
            if (free < need + need / 20) {
                ctx.fail("disk-space", "Not enough space: " + s + ".", "Free " + Sizes.human(need + need / 20 - free)
                        + " there, or choose another place with --target-data.");
            } else {
                ctx.pass("disk-space", s);
            }
        } catch (IOException e) {
            ctx.warn("disk-space", "Could not read the free space for " + data + ": " + e.getMessage(),
                    "Make sure " + Sizes.human(need) + " are free there.");
        }
        if (copiedWhileRunning(f)) {
            ctx.warn("copied-while-running", "The data directory was copied while its server was running: PostgreSQL "
                    + f.getVersion() + " will replay its write-ahead log (WAL) at start, which works only if the WAL in "
                    + "the copy is complete. Recent changes may be missing.",
                    "If the start fails, look for a copy taken with the server stopped (or a dump).");
        }
        boolean running = exists && PgDirectSteps.running(data) || cluster != null && cluster.running()
                && data.equals(cluster.dataDir());
        int port = o.port() != null ? o.port() : cluster != null && cluster.port() != null ? cluster.port() : 5432;
        boolean ownPort = running && cluster != null && Integer.valueOf(port).equals(cluster.port());
        if (!ownPort && portBusy(port)) {
            ctx.warn("port", "Port " + port + " is in use by another program now; the restored server will not start "
                    + "there while it is.", "Stop that program (ss -ltnp shows which) or choose another port with "
                    + "--target-port.");
        } else {
            ctx.pass("port", "The restored server will listen on port " + port
                    + (ownPort ? " (the server running there now is stopped first)" : " (free now)"));
        }
        if (exists) {
            ctx.pass("existing-data", data + " exists: it is moved aside as the safety copy and kept"
                    + (req.safetyCopy() ? "" : " until the restore succeeds, then removed (safety copies are off)") + ".");
        }
        if (running) {
            ctx.warn("server-running", "A PostgreSQL server is running on " + data + ": it will be stopped.",
                    "Nothing to do, unless programs are using it: close them first.");
        }
        String service = root && running ? systemdService(data, server.major()) : null;
        String binS = bin.toString();
        String dataS = data.toString();
        if (running) {
            PlanContext.StepBuilder b = ctx.step("pg-stop", "Stop the PostgreSQL server on " + data)
                    .param("dataDir", dataS).param("binDir", binS).param("runAs", runAs).param("service", service)
                    .needsRoot(root && !runAs.equals(me))
                    .writes("stops the server on " + data)
                    .undo("start it again (postgres with the arguments it ran with, from its postmaster.opts)");
            b.argv(service != null ? List.of("systemctl", "stop", service)
                    : List.of(bin.resolve("pg_ctl").toString(), "stop", "-w", "-t", "120", "-D", dataS, "-m", "fast"));
            b.add();
        }
        Path safety = exists ? data.resolveSibling(data.getFileName() + ".before-dbrescue-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))) : null;
        if (exists) {
            ctx.step("move-aside", "Move the existing data directory aside (safety copy)").param("path", dataS)
                    .param("safety", safety.toString()).writes(safety.toString()).needsRoot(!Files.isWritable(parent))
                    .undo("move " + safety + " back to " + data).add();
        }
        ctx.step("copy-tree", "Copy the PostgreSQL " + f.getVersion() + " data directory into place")
                .param("source", source.toString()).param("target", dataS).param("owner", runAs).param("mode", "rwx------")
                .reads(source.toString()).writes(dataS + " (owner " + runAs + ", mode 0700)").bytes(need)
                .needsRoot(!runAs.equals(me)).undo("delete the copy").add();
        String listen = o.host() != null && o.host().matches("[A-Za-z0-9.:_-]+") ? o.host() : "localhost";
        PgConfigPlan.Planned conf = PgConfigPlan.plan(f, req.backupRoot(), ctx, data, clusterAt(server, data),
                server.major(), bin, port, runAs, safety, null);
        String socketDir = conf.socketDirs();
        PlanContext.StepBuilder start = ctx.step("pg-start", "Start PostgreSQL " + server.version() + " on the restored data")
                .param("dataDir", dataS).param("binDir", binS).param("runAs", runAs).param("port", port)
                .param("listen", listen).param("socketDir", socketDir).param("configFile", conf.configFile())
                .needsRoot(!runAs.equals(me))
                .writes("a server on port " + port + " (its output: server-start-N.log in the run's folder)")
                .undo("stop it");
        start.argv(PgServer.argv(bin, dataS, port, listen, socketDir, PgServer.configFile(conf.configFile()))).add();
        PgRestoreTarget verify = verifyLogin(f, o, port, socketDir,
                listen.equals("*") || listen.equals("0.0.0.0") ? "127.0.0.1" : listen, conf.rules(), ctx);
        // text indexes sorted by another glibc / ICU: checked, rebuilt, versions refreshed (after the start)
        PgCollationPlan.add(f, bin, server.version(), verify, ctx);
        if (!PgContainerPlan.extensionsOf(f).isEmpty()) {
            // the catalog keeps the old extension versions; the installed files may be newer (PostGIS 3.3.0 → 3.3.2)
            verify.on(ctx.step("pg-extensions", "Bring the extensions up to the installed versions (PostGIS: "
                            + "postgis_extensions_upgrade(); others: ALTER EXTENSION ... UPDATE)"))
                    .param("databases", PgRestoreSteps.json(f.getDatabases().stream()
                            .filter(x -> !x.startsWith("template")).toList()))
                    .reads("the restored server").writes("extension versions in its catalog, where they were older").add();
        }
        verify.on(ctx.step("pg-verify", "Verify: connect, list databases, count rows")).param("mode", "direct")
                .param("databases", PgRestoreSteps.json(f.getDatabases().stream().filter(x -> !x.startsWith("template"))
                        .toList()))
                .reads("the restored server on port " + port).add();
    }

    /** The cluster of this server whose data directory is the target's (for its configuration folder), or null. */
    static InstalledServer.Cluster clusterAt(InstalledServer server, Path data) {
        return server.clusters().stream().filter(c -> c.dataDir() != null && c.dataDir().toAbsolutePath().normalize()
                .equals(data)).findFirst().orElse(null);
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

    /**
     * A data directory whose path has a line break is refused: PostgreSQL writes the path into postmaster.pid,
     * one value per line, so the lines after it move and pg_ctl (which stops the server) and initdb misread or
     * refuse it. Every other character works: nothing passes the path through a shell.
     */
    static boolean oneLine(PlanContext ctx, Path data) {
        String s = data.toString();
        if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return true;
        }
        ctx.fail("target-data", "The target data directory " + s.replace("\n", "\\n").replace("\r", "\\r")
                + " has a line break in its name: PostgreSQL keeps the path in postmaster.pid, one value per line, "
                + "and its own tools (pg_ctl, initdb) misread or refuse it.",
                "Choose a folder without line breaks for --target-data. Nothing was changed.");
        return false;
    }

    /** Debian's socket folder when the run-as user owns it; otherwise no unix socket (TCP only). */
    static String socketDir(String runAs) {
        Path debian = Path.of("/var/run/postgresql");
        try {
            if (Files.isDirectory(debian) && Files.getOwner(debian).getName().equals(runAs)) {
                return debian.toString();
            }
        } catch (IOException e) {
            // fall through
        }
        return "";
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

    static boolean portBusy(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether something accepts connections at host:port (within a second). */
    static boolean portBusy(String host, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- dump restore

    private void planDump(Finding f, Target target, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        Path file = req.backupRoot().resolve(f.getPath()).normalize();
        boolean archive = isArchive(f);
        boolean dumpall = Boolean.TRUE.equals(f.getDetails().get("dumpall"));
        if (f.getStatus() == Status.DAMAGED) {
            ctx.fail("dump", "The dump is damaged: " + String.join(" ", f.getWarnings()),
                    "Look for another copy of it; nothing was touched.");
            return;
        }
        if (Boolean.TRUE.equals(f.getDetails().get("globalsOnly"))) {
            ctx.warn("dump", "This pg_dumpall file holds only roles and tablespaces, no databases.",
                    "That is fine if you want the roles; the databases need their own dumps.");
        }
        // where: --target-*, else the target cluster that runs, else localhost:5432; who: the login that works
        InstalledServer.Cluster runningCluster = target.servers(Engine.POSTGRESQL).stream()
                .flatMap(s -> s.clusters().stream()).filter(InstalledServer.Cluster::running).findFirst().orElse(null);
        int port = o.port() != null ? o.port() : runningCluster != null && runningCluster.port() != null
                ? runningCluster.port() : 5432;
        PgLogin.Result login = PgLogin.resolve(o.host(), "localhost", port, o.user(), ctx.secrets());
        if (!login.ok()) {
            ctx.fail(login.failure().kind().equals("auth") ? "credentials" : "server", login.failure().getMessage(),
                    login.failure().fix());
            return;
        }
        PgRestoreTarget t = login.target();
        String user = t.user();
        String serverVersion = login.version();
        List<String> dbs;
        List<String> roles;
        try {
            dbs = t.databases();
            roles = t.roles();
        } catch (SQLException e) {
            var failure = t.failure(e);
            ctx.fail(failure.kind().equals("auth") ? "credentials" : "server", failure.getMessage(), failure.fix());
            return;
        }
        ctx.pass("server", "PostgreSQL " + serverVersion + " at " + t.where() + ", logged in"
                + (t.relayed() ? " without a password" : " as " + user));
        // client tools: here, else (an archive too new for them) the image of the server's version
        String toolName = archive ? "pg_restore" : "psql";
        PgContainerPlan.Client client = PgDumpClient.choose(f, toolName, t, login.major(), target, o, ctx, file);
        if (client == null) {
            return;
        }
        List<Path> dirs = o.binDir() != null ? List.of(o.binDir()) : clientDirs(target, o);
        // TOC (archives): the tables to compare with, and the owners to create
        Map<String, List<String>> tables = new LinkedHashMap<>();
        Set<String> owners = new LinkedHashSet<>();
        Set<String> extensions = new LinkedHashSet<>();
        boolean wrapped = archive && !(f.getFormat().equals("custom") || f.getFormat().equals("directory")
                || f.getFormat().equals("tar"));
        List<String> tocTables = new ArrayList<>();
        if (archive && !wrapped && !readContents(client, file, f.getFormat(), tocTables, owners, extensions, ctx)) {
            return;
        }
        if (!archive && !dumpall) {
            plainOwners(file, owners, extensions);
        }
        owners.removeIf(r -> r.startsWith("pg_") || roles.contains(r));
        checkExtensions(extensions, t, serverVersion, ctx);
        // the database names
        List<String> inDump = f.getDatabases().stream().filter(x -> !x.startsWith("template")).toList();
        boolean createsItself = dumpall || !archive && !inDump.isEmpty();
        String name = archive ? (inDump.isEmpty() ? baseName(file) : inDump.get(0))
                : createsItself ? (dumpall ? null : inDump.get(0)) : baseName(file);
        List<String> clash = dumpall ? inDump.stream().filter(x -> !x.equals("postgres") && dbs.contains(x)).toList()
                : dbs.contains(name) ? List.of(name) : List.of();
        List<String> drop = new ArrayList<>();
        if (!clash.isEmpty()) {
            String what = "A database called " + String.join(", ", clash) + " already exists in " + t.where();
            switch (req.onConflict()) {
                case ASK -> {
                    ctx.fail("conflict", what + ".", "Choose with --on-conflict: skip (leave it, restore nothing), rename "
                            + "(restore as " + clash.get(0) + "_restored), or replace (a safety pg_dump -Fc of the existing "
                            + "one into the run folder, then drop it and restore).");
                    return;
                }
                case SKIP -> {
                    if (dumpall) {
                        ctx.fail("conflict", what + "; a pg_dumpall file cannot skip single databases.",
                                "Use --on-conflict replace, or drop those databases first.");
                    } else {
                        ctx.pass("conflict", what + ": --on-conflict skip leaves it alone; this dump is not restored.");
                    }
                    return;
                }
                case RENAME -> {
                    if (createsItself) {
                        ctx.fail("conflict", what + "; this dump creates its database by name itself ("
                                + (dumpall ? "pg_dumpall" : "pg_dump --create") + "), so it cannot be restored under "
                                + "another name.", "Use --on-conflict replace or skip.");
                        return;
                    }
                    name = name + "_restored";
                    if (dbs.contains(name)) {
                        ctx.fail("conflict", what + ", and so does " + name + ".", "Drop " + name
                                + " (it may be from an earlier run) or use --on-conflict replace.");
                        return;
                    }
                    ctx.pass("conflict", what + ": restoring it as " + name + ".");
                }
                case REPLACE -> {
                    Path pgDump = PgRestoreTools.find("pg_dump", dirs);
                    String v = PgRestoreTools.version(pgDump);
                    if (v == null || PgRestoreTools.major(v) < PgRestoreTools.major(serverVersion)) {
                        ctx.fail("conflict", what + "; replacing it needs a safety dump first, and "
                                + (v == null ? "pg_dump is not installed" : "pg_dump " + v + " is older than the server ("
                                + serverVersion + ") and refuses to dump it") + ".",
                                PgRestoreTools.installHint("pg_dump", Integer.toString(PgRestoreTools.major(serverVersion))));
                        return;
                    }
                    drop.addAll(clash);
                    ctx.warn("conflict", what + ": --on-conflict replace: a safety dump of it goes into the run folder, "
                            + "then it is dropped.", "Nothing to do; the safety dump is named in the summary.");
                    for (String db : clash) {
                        t.on(ctx.step("pg-drop-db", "Safety dump of the existing " + db + ", then drop it"))
                                .argv(List.of(pgDump.toString(), "-Fc", "-w", "-h", t.toolHost(), "-p", "" + port, "-U",
                                        user, "-d", db, "-f", "RUN_FOLDER/" + db + "-before-replace.dump"))
                                .param("database", db).param("pgDump", pgDump.toString())
                                .param("pgRestore", String.valueOf(PgRestoreTools.find("pg_restore", dirs)))
                                .writes("the run folder; drops " + db + " on " + t.where())
                                .undo("restore " + db + " from the safety dump").add();
                    }
                }
                default -> throw new IllegalStateException();
            }
        } else {
            ctx.pass("conflict", dumpall ? "None of the dump's databases exists in " + t.where() + "."
                    : "No database called " + name + " in " + t.where() + ".");
        }
        if (!owners.isEmpty()) {
            ctx.warn("roles", "The dump's objects belong to role(s) the server does not have: " + String.join(", ", owners)
                    + ". They are created (NOLOGIN) so that ownership is kept.",
                    "After the restore give them a password if they should log in: ALTER ROLE name LOGIN PASSWORD '...'.");
        }
        if (!createsItself) {
            t.on(ctx.step("pg-create-db", "Create the database " + name + (owners.isEmpty() ? ""
                            : " (and the missing roles)"))).param("database", name)
                    .param("roles", owners.isEmpty() ? null : PgRestoreSteps.json(new ArrayList<>(owners)))
                    .writes("database " + name + " on " + t.where()).undo("drop it").add();
        }
        List<String> argv = new ArrayList<>();
        String host = t.toolHost();
        String mode;
        String fmt = f.getFormat();
        if (archive) {
            mode = "archive";
            argv.addAll(List.of("--verbose", "--exit-on-error", "-w"));
            if (!wrapped && !fmt.equals("tar") && req.jobs() > 1) {
                argv.addAll(List.of("-j", Integer.toString(req.jobs())));
            }
            argv.addAll(List.of("-h", host, "-p", "" + port, "-U", user, "-d", name));
            if (!wrapped) {
                argv.add(file.toString());
            }
        } else {
            mode = dumpall ? "dumpall" : "plain";
            argv.addAll(List.of("-X", "-q", "-w"));
            if (!dumpall) {
                argv.addAll(List.of("-v", "ON_ERROR_STOP=1"));
            }
            argv.addAll(List.of("-h", host, "-p", "" + port, "-U", user, "-d", createsItself ? "postgres" : name));
        }
        boolean stdin = !archive || wrapped;
        argv = client.interactive(stdin).argv(toolName, argv);
        List<String> creates = dumpall ? inDump.stream().filter(x -> !x.equals("postgres")).toList()
                : createsItself ? List.of(name) : List.of();
        String restored = dumpall ? String.join(", ", creates) : name;
        t.on(ctx.step("pg-restore", "Restore " + file.getFileName() + " into " + (restored.isEmpty() ? "the server"
                        : restored) + (stdin ? " (fed through stdin" + (f.getFormat().contains("-")
                        ? ", decompressed on the fly)" : ")") : "") + (client.inContainer() ? " with pg_restore "
                        + client.version() + " " + client.where() : "")))
                .argv(argv).param("mode", mode).param("file", file.toString()).param("stdin", stdin)
                .param("dataEntries", f.getDetails().getOrDefault("dataEntries", tocTables.size()))
                .param("creates", creates.isEmpty() ? null : PgRestoreSteps.json(creates))
                .param("recreate", createsItself ? null : name)
                .reads(file.toString()).writes("database " + (restored.isEmpty() ? "postgres" : restored) + " on " + t.where())
                .bytes(sizeOf(f, file)).undo(createsItself ? "drop the databases it created" : "empty the database again")
                .add();
        List<String> verifyDbs = dumpall ? inDump : List.of(name);
        if (!tocTables.isEmpty()) {
            tables.put(name, tocTables);
        }
        t.on(ctx.step("pg-verify", "Verify: connect, list databases, count rows" + (tables.isEmpty() ? ""
                        : ", compare with the dump's table of contents")))
                .param("mode", "dump").param("databases", PgRestoreSteps.json(verifyDbs))
                .param("tables", tables.isEmpty() ? null : PgRestoreSteps.json(tables))
                .reads(t.where()).add();
    }

    /**
     * The dump's table of contents: listed by the pg_restore here (pg_restore --list), or read by dbrescue itself
     * when the pg_restore that loads it runs in an image (the plan runs no container). False after a FAIL.
     */
    private static boolean readContents(PgContainerPlan.Client client, Path file, String format, List<String> tocTables,
                                        Set<String> owners, Set<String> extensions, PlanContext ctx) {
        if (client.inContainer()) {
            try {
                PgArchiveToc.ofDump(file, format).collect(tocTables, owners, extensions);
            } catch (IOException | RuntimeException e) {
                ctx.warn("dump", "Could not read the dump's contents: " + e.getMessage(), "Verification will count rows only.");
            }
            return true;
        }
        Path tool = client.dir().resolve("pg_restore");
        Path list = null;
        try {
            list = Files.createTempFile("dbrescue-toc-", ".txt");
            Exec.Result r = Exec.of(List.of(tool.toString(), "--list", file.toString()))
                    .stdoutTo(list).timeout(java.time.Duration.ofMinutes(10)).run(null);
            if (!r.ok()) {
                ctx.fail("dump", "pg_restore cannot read the dump's table of contents: " + r.stderrTail().strip(),
                        "The dump is damaged or too new for " + tool + "; nothing was touched.");
                return false;
            }
            readToc(Files.readAllLines(list), tocTables, owners, extensions);
        } catch (Exception e) {
            ctx.warn("dump", "Could not list the dump's contents: " + e.getMessage(), "Verification will count rows only.");
        } finally {
            if (list != null) {
                try {
                    Files.deleteIfExists(list);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
        return true;
    }

    private static long sizeOf(Finding f, Path file) {
        if (f.getSizeBytes() > 0) {
            return f.getSizeBytes();
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Extensions the dump creates (PostGIS, hstore...) must be installable in the target before anything
     * runs: a missing one would stop the restore half way. The fix names the package.
     */
    private static void checkExtensions(Set<String> extensions, PgRestoreTarget t, String serverVersion, PlanContext ctx) {
        if (extensions.isEmpty()) {
            return;
        }
        Set<String> available;
        try {
            available = t.availableExtensions();
        } catch (SQLException e) {
            ctx.warn("extensions", "Could not ask the server which extensions it can install: " + e.getMessage(),
                    "The restore stops with a clear error if one of " + String.join(", ", extensions) + " is missing.");
            return;
        }
        List<String> missing = extensions.stream().filter(x -> !available.contains(x)).toList();
        if (missing.isEmpty()) {
            ctx.pass("extensions", "The extensions the dump uses can be installed: " + String.join(", ", extensions) + ".");
            return;
        }
        String major = Integer.toString(PgRestoreTools.major(serverVersion));
        List<String> hints = missing.stream().map(x -> PgRestoreTools.extensionHint(x, major)).toList();
        ctx.fail("extensions", "The dump uses the extension(s) " + String.join(", ", missing) + ", which PostgreSQL "
                        + serverVersion + " here cannot install" + (missing.stream().anyMatch(PgRestoreTools::removedFromCore)
                        ? " (some were removed from newer PostgreSQL versions)" : "") + ".",
                String.join(" ", hints) + " Then run again; nothing was touched.");
    }

    private static final Pattern TOC_EXTENSION = Pattern.compile("^\\d+; \\d+ \\d+ EXTENSION - (\\S+)(?: .*)?$");
    private static final Pattern PLAIN_EXTENSION =
            Pattern.compile("^CREATE EXTENSION (?:IF NOT EXISTS )?\"?([^\" ;]+)\"?.*$");

    static void readToc(List<String> lines, List<String> tables, Set<String> owners, Set<String> extensions) {
        for (String line : lines) {
            Matcher ext = TOC_EXTENSION.matcher(line.strip());
            if (ext.matches()) {
                extensions.add(ext.group(1));
            }
            Matcher m = TOC_DATA.matcher(line);
            if (m.matches()) {
                tables.add(m.group(1) + "." + m.group(2));
            }
            Matcher all = TOC_LINE.matcher(line);
            if (all.matches()) {
                String[] words = all.group(1).split(" ");
                String owner = words[words.length - 1];
                if (!owner.equals("-") && !owner.isEmpty()) {
                    owners.add(owner);
                }
            }
        }
    }

    /** The owners pg_dump names in its "-- Name: x; Type: T; Schema: s; Owner: o" comments (one streaming read). */
    static void plainOwners(Path file, Set<String> owners, Set<String> extensions) {
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                io.dbrescue.scan.Compression.of(io.dbrescue.scan.ReadOnly.head(file, 8))
                        .decompress(io.dbrescue.scan.ReadOnly.open(file)), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("CREATE EXTENSION ")) {
                    Matcher m = PLAIN_EXTENSION.matcher(line);
                    if (m.matches()) {
                        extensions.add(m.group(1));
                    }
                }
                int at = line.startsWith("-- Name: ") ? line.lastIndexOf("; Owner: ") : -1;
                if (at > 0) {
                    String owner = line.substring(at + "; Owner: ".length()).strip();
                    if (!owner.isEmpty() && !owner.equals("-")) {
                        owners.add(owner);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: the scan already judged the file; missing roles then fail the load with a clear message
        }
    }

    /** "shop" for shop.sql.gz, shop.dump, shop.backup... */
    static String baseName(Path file) {
        String n = file.getFileName().toString();
        for (boolean changed = true; changed; ) {
            changed = false;
            for (String ext : List.of(".gz", ".zst", ".xz", ".bz2", ".sql", ".dump", ".backup", ".pgdump", ".custom",
                    ".tar", ".dir", ".pgsql", ".psql", ".out")) {
                if (n.toLowerCase(java.util.Locale.ROOT).endsWith(ext) && n.length() > ext.length()) {
                    n = n.substring(0, n.length() - ext.length());
                    changed = true;
                }
            }
        }
        return n;
    }
}
