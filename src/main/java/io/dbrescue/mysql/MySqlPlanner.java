package io.dbrescue.mysql;

import io.dbrescue.run.OsUsers;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Decision.Alternative;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.Status;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.machine.Versions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MariaDB / MySQL: a data directory of the same product and major version goes in directly (stop the
 * target, safety copy, copy, start, verify); a dump goes into the running target server through its
 * client. MariaDB data never goes into MySQL nor the other way round; data newer than the target is
 * refused; older data goes through the container strategy ({@link MySqlContainerPlan}).
 */
public final class MySqlPlanner implements EnginePlanner {
    static final Set<String> SYSTEM = Set.of("mysql", "sys", "performance_schema", "information_schema");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Override
    public boolean handles(Finding f) {
        return (f.getEngine() == Engine.MARIADB || f.getEngine() == Engine.MYSQL)
                && (f.getKind() == Kind.DATA_DIRECTORY || f.getKind() == Kind.DUMP);
    }

    /** The server the data would run on: --target-bin first, then discovery, then the usual places. */
    record Server(Path program, MySqlClient.ServerVersion version) {
        String label() {
            return version.product() + " " + version.version();
        }
    }

    static Server server(Target target, TargetOptions opts) {
        List<Path> candidates = new ArrayList<>();
        if (opts.binDir() != null) {
            candidates.add(opts.binDir());
            candidates.add(opts.binDir().resolve("bin"));
            candidates.add(opts.binDir().resolve("sbin"));
        } else {
            for (Engine e : List.of(Engine.MARIADB, Engine.MYSQL)) {
                for (InstalledServer s : target.servers(e)) {
                    if (s.binDir() != null) {
                        candidates.add(s.binDir());
                    }
                }
            }
            candidates.addAll(List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/usr/local/mysql/bin")));
        }
        for (Path dir : candidates) {
            for (String name : List.of("mariadbd", "mysqld")) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    MySqlClient.ServerVersion v = MySqlClient.programVersion(p);
                    if (v != null) {
                        return new Server(p, v);
                    }
                }
            }
        }
        return null;
    }

    /** The server that answers, found once per options and passwords (decide and plan both ask). */
    private final Map<Login, MySqlTarget.Found> answering = new HashMap<>();

    /** What a login to the target is made of: the user's options and the passwords of the plan. */
    private record Login(TargetOptions options, io.dbrescue.run.Secrets secrets) {
    }

    MySqlTarget.Found answering(TargetOptions o, io.dbrescue.run.Secrets secrets) {
        return answering.computeIfAbsent(new Login(o, secrets), x -> MySqlTarget.find(o, o.binDir(), secrets));
    }

    /**
     * What the data would go into: the server that answers (asked, not inferred from the programs installed),
     * else the installed server program (a stopped server: the data is copied and it is started).
     */
    private record Into(String label, MySqlClient.ServerVersion version, boolean answers) {
    }

    private Into into(Target target, RecoveryRequest request) {
        MySqlTarget.Found found = answering(request.target(), target.secrets());
        if (found.ok()) {
            return new Into(found.target().describe(), found.target().version(), true);
        }
        Server server = server(target, request.target());
        return server == null ? null : new Into(server.label(), server.version(), false);
    }

    @Override
    public Decision decide(Finding f, Strategy requested, Target target, RecoveryRequest request) {
        String product = f.getEngine().displayName();
        List<Alternative> alts = new ArrayList<>();
        if (f.getKind() == Kind.DUMP) {
            return decideDump(f, requested, alts);
        }
        Into server = into(target, request);
        String ver = f.getVersion();
        alts.add(new Alternative(Strategy.DUMP_RESTORE, false, "this is a data directory, not a dump; select a "
                + "mariadb-dump / mysqldump of it if the backup has one"));
        if (server == null) {
            alts.add(new Alternative(Strategy.CONTAINER, false, "it moves the data into a running newer server, "
                    + "and none is installed here"));
            return refuse(f, "No MariaDB or MySQL server answers or is installed here (no mariadbd or mysqld found). "
                    + "Install " + product + (ver != null ? " " + InstalledServer.majorOf(f.getEngine(), ver) : "")
                    + " (e.g. apt install mariadb-server) or give its folder with --target-bin.", alts);
        }
        String label = server.label();
        boolean dataMaria = f.getEngine() == Engine.MARIADB;
        if (dataMaria != server.version().mariadb()) {
            alts.add(new Alternative(Strategy.CONTAINER, false, "it moves data between servers of the same "
                    + "product only"));
            return refuse(f, product + " data cannot be started by " + label + ": MariaDB and MySQL "
                    + "have different data dictionaries and system tables, so neither reads the other's data "
                    + "directory safely. Install " + product + (ver != null ? " " + InstalledServer.majorOf(f.getEngine(), ver) : "")
                    + ", or restore a dump of it (a SQL dump usually loads across the two).", alts);
        }
        if (ver == null) {
            alts.add(new Alternative(Strategy.CONTAINER, false, "the version is needed to pick the image"));
            return refuse(f, "The files of this " + product + " data directory do not say which version made it ("
                    + f.getDetails().getOrDefault("versionHint", "no upgrade-info file") + "), so dbrescue cannot "
                    + "tell whether " + label + " may start it.", alts);
        }
        String dataMajor = InstalledServer.majorOf(f.getEngine(), ver);
        int cmp = Versions.compare(dataMajor, server.version().major());
        if (cmp > 0) {
            alts.add(new Alternative(Strategy.CONTAINER, false, "moves older data into a newer server only"));
            return refuse(f, product + " " + ver + " data is newer than " + (server.answers() ? "" : "the installed ") + label
                    + ": servers cannot go back to an older version's files (no downgrades). Install "
                    + product + " " + dataMajor + " or newer, or restore a dump of it.", alts);
        }
        if (cmp < 0) {
            return decideOlder(f, requested, request, server, alts, target.secrets());
        }
        alts.add(new Alternative(Strategy.CONTAINER, false, "not needed: the versions match"));
        if (requested == Strategy.CONTAINER) {
            return refuse(f, "The target is " + label + " itself: no container is needed, the files are "
                    + "copied into place (--strategy direct).", alts);
        }
        if (requested != Strategy.AUTO && requested != Strategy.DIRECT) {
            return refuse(f, "Only direct applies to a " + product + " " + dataMajor + " data directory going into "
                    + label + ".", alts);
        }
        String why = "Same major version (" + product + " " + ver + " data, target " + label + "): the "
                + "data directory is copied into place and started.";
        if (Boolean.FALSE.equals(f.getCleanShutdown())) {
            why += " It was copied while running; the same major version replays its redo log on start.";
        }
        return decision(f, Strategy.DIRECT, why, alts);
    }

    private Decision decideOlder(Finding f, Strategy requested, RecoveryRequest request, Into server,
                                 List<Alternative> alts, io.dbrescue.run.Secrets secrets) {
        String product = f.getEngine().displayName();
        String dataMajor = InstalledServer.majorOf(f.getEngine(), f.getVersion());
        alts.add(new Alternative(Strategy.DIRECT, false, server.label() + " cannot open " + product + " "
                + dataMajor + " files without an upgrade, and the backup's files are never changed"));
        if (requested != Strategy.AUTO && requested != Strategy.CONTAINER) {
            return refuse(f, product + " " + f.getVersion() + " data is from an older major version than "
                    + server.label() + ": only the container strategy moves it (or restore a dump of it).", alts);
        }
        String how;
        if (server.answers()) {
            MySqlTarget t = answering(request.target(), secrets).target();
            how = MySqlUpgradeChoice.choose(f, t, MySqlSettings.ofBackup(f, request.backupRoot()), request).reason();
        } else {
            how = product + " " + dataMajor + " runs in a Podman container on a copy of it (on 127.0.0.1 only), and the "
                    + "newer client tools move its databases and accounts into the running " + server.label()
                    + " server; row counts are compared before the container is removed.";
        }
        return decision(f, Strategy.CONTAINER, product + " " + f.getVersion() + " data, and the target is "
                + server.label() + ": " + how, alts);
    }

    private Decision decideDump(Finding f, Strategy requested, List<Alternative> alts) {
        String product = f.getEngine().displayName();
        alts.add(new Alternative(Strategy.DIRECT, false, "a dump is not a data directory: it is replayed into a "
                + "running server"));
        alts.add(new Alternative(Strategy.CONTAINER, false, "not needed: a dump loads into newer servers"));
        if (f.getStatus() == Status.DAMAGED) {
            return refuse(f, "This dump is damaged (" + String.join(" ", f.getWarnings())
                    + ") Restoring it would lose the missing part.", alts);
        }
        if (requested != Strategy.AUTO && requested != Strategy.DUMP_RESTORE) {
            return refuse(f, "A " + product + " dump can only be restored with dump-restore (fed to the "
                    + "target server's client).", alts);
        }
        return decision(f, Strategy.DUMP_RESTORE, "A " + product + " dump (" + f.getFormat()
                + ") is replayed into the running target server with its client.", alts);
    }

    private static Decision decision(Finding f, Strategy s, String reason, List<Alternative> alts) {
        return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), s, reason, alts);
    }

    private static Decision refuse(Finding f, String reason, List<Alternative> alts) {
        return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), null, reason, alts);
    }

    @Override
    public void plan(Finding f, Decision d, Target target, PlanContext ctx) {
        if (d.strategy() == Strategy.DIRECT) {
            planDirect(f, target, ctx);
        } else if (d.strategy() == Strategy.CONTAINER) {
            MySqlTarget.Found found = answering(ctx.request().target(), ctx.secrets());
            if (found.ok()) {
                MySqlSettings old = MySqlSettings.ofBackup(f, ctx.request().backupRoot());
                MySqlUpgradeChoice how = MySqlUpgradeChoice.choose(f, found.target(), old, ctx.request());
                if (how.inPlace()) {
                    MySqlUpgradePlan.plan(f, ctx, found.target(), how, old);
                    return;
                }
            }
            MySqlContainerPlan.plan(f, target, ctx, server(target, ctx.request().target()), found);
        } else {
            planDump(f, ctx);
        }
    }

    // ---- direct ---------------------------------------------------------------------------------------

    private void planDirect(Finding f, Target target, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        TargetOptions opts = req.target();
        Server server = server(target, opts);
        InstalledServer.Cluster cluster = target.servers(f.getEngine()).stream()
                .flatMap(s -> s.clusters().stream()).findFirst().orElse(null);
        MySqlTarget.Found found = answering(opts, ctx.secrets());
        MySqlTarget live = found.ok() ? found.target() : null;
        Path data = opts.dataDir() != null ? opts.dataDir() : live != null ? live.dataDir()
                : cluster != null ? cluster.dataDir() : Path.of("/var/lib/mysql");
        int port = opts.port() != null ? opts.port() : cluster != null && cluster.port() != null ? cluster.port() : 3306;
        String host = opts.hostOr("127.0.0.1");
        boolean root = target.root();
        String runAs = opts.runAs() != null ? opts.runAs() : cluster != null && cluster.owner() != null ? cluster.owner()
                : root ? "mysql" : OsUsers.me();
        Path source = req.backupRoot().resolve(f.getPath());
        String service = root ? MySqlSteps.activeService() : null;
        if (service != null && opts.dataDir() != null && !opts.dataDir().equals(Path.of("/var/lib/mysql"))) {
            service = null; // the service runs /var/lib/mysql; the user chose another place
        }
        Path socket = MySqlSteps.socketFor(data);
        Path binDir = server.program().getParent();

        ctx.pass("server", server.label() + " at " + server.program());
        MySqlSettings old = MySqlSettings.ofBackup(f, req.backupRoot());
        if (live != null) {
            MySqlSettingsCheck.check(ctx, old, live.settings(), live.label(), MySqlSettingsCheck.Way.FILES);
        } else {
            ctx.pass("settings", "dbrescue starts " + server.label() + " itself, with the old server's settings that "
                    + "decide whether its data opens" + (old.serverArgs().isEmpty() ? " (none differ from the defaults)"
                    : ": " + String.join(" ", old.serverArgs())) + ".");
        }
        boolean liveHere = live != null && live.dataDir().normalize().equals(data.toAbsolutePath().normalize());
        boolean running = liveHere || MySqlClient.accepts(host, port) || MySqlSteps.livePid(data) != null;
        boolean exists = Files.exists(data, LinkOption.NOFOLLOW_LINKS);
        if (exists && !Files.isDirectory(data)) {
            ctx.fail("target-data", data + " exists and is not a folder.", "Give the data directory with --target-data.");
        }
        Path parent = data.toAbsolutePath().getParent();
        if (!exists && (parent == null || !Files.isDirectory(parent))) {
            ctx.fail("target-data", "The folder above " + data + " does not exist.",
                    "Create it, or give another place with --target-data.");
        }
        if (exists && !req.safetyCopy()) {
            ctx.warn("safety-copy", data + " exists and will be replaced without a safety copy (--no-safety-copy, or backup_existing_data = false in the settings).",
                    "Leave out --no-safety-copy (and set backup_existing_data = true) to keep it.");
        }
        if (root && runAs.equals("root")) {
            ctx.fail("run-as", "MariaDB/MySQL must not run as root.", "Give the server's OS user with --run-as (usually mysql).");
        }
        if (!root && !runAs.equals(OsUsers.me())) {
            ctx.fail("permission", "Giving the files to " + runAs + " and starting the server as that user needs root.",
                    "Run dbrescue with sudo, or run it as " + runAs + ".");
        }
        if (root && !userExists(runAs)) {
            ctx.fail("run-as", "The OS user " + runAs + " does not exist here.",
                    "Install the server package (it creates the mysql user) or give --run-as USER.");
        }
        ctx.diskSpace(exists ? data : parent, f.getSizeBytes());
        if (!running && !MySqlClient.accepts(host, port) && portBusy(port)) {
            ctx.fail("port", "Port " + port + " is in use by another program.", "Stop it or choose --target-port.");
        }
        if (Boolean.FALSE.equals(f.getCleanShutdown())) {
            ctx.warn("clean-shutdown", "The backup was taken while the server ran (or after a crash): it will do crash "
                    + "recovery when started; non-InnoDB tables (MyISAM, Aria) may need REPAIR TABLE.",
                    "Nothing to do now; check the verification's row counts afterwards.");
        }
        if (MySqlClient.program(binDir, "mariadb-admin", "mysqladmin") == null) {
            ctx.warn("tools", "mariadb-admin was not found: the server is stopped and checked through its pid file.",
                    "Install the client (apt install mariadb-client) for a cleaner shutdown.");
        }
        MySqlClient conn = new MySqlClient(binDir, null, null, socket.toString(),
                opts.user() != null ? opts.user() : "root", ctx.secrets());
        String stamp = LocalDateTime.now().format(STAMP);
        if (running) {
            // the server that answers is stopped through the connection that reached it (Debian: root over the
            // socket, by unix_socket; root over TCP would be refused)
            MySqlClient stopConn = liveHere ? new MySqlClient(binDir, live.conn().host(), live.conn().port(),
                    live.conn().socket(), live.conn().user(), ctx.secrets())
                    : new MySqlClient(binDir, host, port, null, opts.user() != null ? opts.user() : "root",
                            ctx.secrets());
            PlanContext.StepBuilder b = ctx.step("mysql-stop", "Stop the " + (service != null ? "service " + service
                            : "server on port " + port) + " so its data directory can be replaced")
                    .argv(service != null ? List.of("systemctl", "stop", service)
                            : concat(stopConn.admin(), stopConn.connection(), "shutdown"))
                    .writes("the running server (stopped)").needsRoot(service != null)
                    .undo("start it again");
            params(b, stopConn.params());
            startParams(b, server, data, port, socket, runAs, service).add();
        }
        if (exists && req.safetyCopy()) {
            Path safety = data.resolveSibling(data.getFileName() + ".before-dbrescue-" + stamp);
            ctx.step("move-aside", "Keep what is in " + data + " as the safety copy").reads(data.toString())
                    .writes(safety.toString()).param("path", data).param("safety", safety)
                    .undo("move " + safety + " back to " + data).add();
        } else if (exists) {
            ctx.step("remove", "Remove what is in " + data + " (no safety copy)").writes(data.toString())
                    .param("path", data).undo("cannot be undone (no safety copy)").add();
        }
        ctx.step("copy-tree", "Copy the data directory into place").reads(source.toString()).writes(data.toString())
                .bytes(f.getSizeBytes()).needsRoot(root).param("source", source).param("target", data)
                .param("owner", root ? runAs : null)
                .undo("delete the copy").add();
        PlanContext.StepBuilder start = ctx.step("mysql-start", "Start " + server.label() + " on the restored data")
                .argv(service != null ? List.of("systemctl", "start", service) : concatAll(startArgv(server, data, port,
                        socket), old.serverArgs()))
                .writes("a running server on 127.0.0.1:" + port).needsRoot(service != null)
                .undo("stop it");
        startParams(start, server, data, port, socket, runAs, service).add();
        PlanContext.StepBuilder verify = ctx.step("mysql-verify", "Check the restored databases: list them and count rows")
                .reads(service != null ? "the server" : socket.toString())
                .param("expect", String.join("\n", f.getDatabases()));
        params(verify, service != null ? new MySqlClient(binDir, host, port, null, conn.user(), ctx.secrets()).params()
                : conn.params());
        verify.add();
    }

    static List<String> startArgv(Server server, Path data, int port, Path socket) {
        return List.of(server.program().toString(), "--no-defaults",
                "--basedir=" + server.program().getParent().getParent(), "--datadir=" + data, "--socket=" + socket,
                "--port=" + port, "--bind-address=127.0.0.1", "--pid-file=" + MySqlSteps.pidFile(data));
    }

    private static PlanContext.StepBuilder startParams(PlanContext.StepBuilder b, Server server, Path data, int port,
                                                       Path socket, String runAs, String service) {
        return b.param("server", server.program()).param("dataDir", data).param("port", port).param("serverSocket", socket)
                .param("runAs", runAs).param("service", service);
    }

    private static List<String> concatAll(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static void params(PlanContext.StepBuilder b, Map<String, Object> p) {
        p.forEach(b::param);
    }

    static List<String> concat(Path program, List<String> args, String... more) {
        List<String> a = new ArrayList<>();
        a.add(program == null ? "mariadb-admin" : program.toString());
        a.addAll(args);
        a.addAll(List.of(more));
        return a;
    }

    static boolean userExists(String user) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean portBusy(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    // ---- dump -----------------------------------------------------------------------------------------

    private void planDump(Finding f, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        TargetOptions opts = req.target();
        String user = opts.user() != null ? opts.user() : "root";
        MySqlTarget.Found found = answering(opts, ctx.secrets());
        MySqlClient conn = found.tried() != null ? found.tried() : new MySqlClient(opts.binDir(), opts.hostOr("127.0.0.1"),
                opts.port() != null ? opts.port() : 3306, null, user, ctx.secrets());
        Path dump = req.backupRoot().resolve(f.getPath());
        if (conn.client() == null) {
            ctx.fail("tools", "The MariaDB/MySQL client (mariadb or mysql) is not installed.",
                    "apt install mariadb-client (Debian/Ubuntu), dnf install mariadb (Fedora), pacman -S "
                            + "mariadb-clients (Arch); or give its folder with --target-bin.");
            return;
        }
        ctx.pass("tools", "client " + conn.client());
        MySqlClient.ServerVersion sv;
        Set<String> existing = new LinkedHashSet<>();
        try {
            sv = conn.serverVersion();
            for (String[] row : conn.query("SHOW DATABASES")) {
                existing.add(row[0]);
            }
        } catch (io.dbrescue.run.StepFailure e) {
            ctx.fail("target", "Cannot reach the target server at " + conn.where() + " as " + user + ": "
                    + e.getMessage(), e.fix());
            return;
        } catch (IOException | InterruptedException e) {
            ctx.fail("target", "Cannot reach the target server at " + conn.where() + ": " + e.getMessage(),
                    "Start it, or point dbrescue at it with --target-host / --target-port / --target-user.");
            return;
        }
        ctx.pass("target", sv.product() + " " + sv.version() + " answers at " + conn.where() + " as " + user + ".");
        boolean dumpMaria = f.getEngine() == Engine.MARIADB;
        if (dumpMaria != sv.mariadb()) {
            ctx.warn("product", "This is a " + f.getEngine().displayName() + " dump going into " + sv.product()
                    + ": most SQL loads across the two, but collations and features of one (e.g. MySQL 8's "
                    + "utf8mb4_0900_* collations, MariaDB's sequences) are unknown to the other.",
                    "If the restore stops on such a statement, edit a copy of the dump or install "
                            + f.getEngine().displayName() + ".");
        } else if (f.getVersion() != null && Versions.compare(InstalledServer.majorOf(f.getEngine(), f.getVersion()),
                sv.major()) > 0) {
            ctx.warn("version", "The dump comes from " + f.getEngine().displayName() + " " + f.getVersion()
                    + ", newer than the target's " + sv.version() + ": newer collations or syntax may be refused.",
                    "If the restore stops, install " + f.getEngine().displayName() + " " + f.getVersion() + " or newer.");
        }

        List<String> dbs = new ArrayList<>(f.getDatabases());
        @SuppressWarnings("unchecked")
        List<String> system = (List<String>) f.getDetails().getOrDefault("systemDatabases", List.of());
        boolean named = MySqlSteps.namesItsDatabases(dump);
        Set<String> drop = new LinkedHashSet<>(system);
        if (!system.isEmpty()) {
            ctx.warn("system-databases", "The dump holds the system database(s) " + String.join(", ", system)
                    + " (users, grants): they are left out so that the target's own users stay as they are.",
                    "Re-create the users you need by hand (CREATE USER / GRANT).");
        }
        if (dbs.isEmpty()) {
            ctx.fail("databases", "The dump does not say which database it holds, so dbrescue cannot tell where to "
                    + "load it.", "Restore it by hand: mariadb DBNAME < dump.");
            return;
        }
        List<String> clash = dbs.stream().filter(existing::contains).toList();
        List<String> restore = new ArrayList<>(dbs);
        String renameTo = null;
        List<String> replace = List.of();
        if (!clash.isEmpty()) {
            switch (req.onConflict()) {
                case ASK -> {
                    ctx.fail("conflict", "The target already has a database named " + String.join(", ", clash) + ".",
                            "Choose what to do with --on-conflict skip (leave it, restore the others), replace "
                                    + "(safety dump, drop, restore)" + (named ? "" : " or rename (restore as "
                                    + clash.get(0) + "_restored)") + ".");
                    return;
                }
                case SKIP -> {
                    restore.removeAll(clash);
                    drop.addAll(clash);
                    ctx.pass("conflict", "Skipped (already in the target): " + String.join(", ", clash) + ".");
                }
                case RENAME -> {
                    if (named) {
                        ctx.fail("conflict", "Rename is not supported for MariaDB/MySQL dumps made with --databases "
                                        + "or --all-databases: they name their databases in USE and CREATE DATABASE "
                                        + "statements (and views and triggers may too), which cannot be rewritten "
                                        + "safely. The target already has " + String.join(", ", clash) + ".",
                                "Use --on-conflict skip or replace, or rename the existing database first.");
                        return;
                    }
                    renameTo = clash.get(0) + "_restored";
                    if (existing.contains(renameTo)) {
                        ctx.fail("conflict", "Both " + clash.get(0) + " and " + renameTo + " already exist in the target.",
                                "Rename or drop " + renameTo + " first, or use --on-conflict replace.");
                        return;
                    }
                    restore = List.of(renameTo);
                    ctx.pass("conflict", clash.get(0) + " exists: the dump is restored as " + renameTo + ".");
                }
                case REPLACE -> {
                    replace = clash;
                    ctx.pass("conflict", "Replaced after a safety dump: " + String.join(", ", clash) + ".");
                }
            }
        }
        if (restore.isEmpty()) {
            ctx.pass("nothing-to-do", "Every database of this dump is already in the target and was skipped.");
            return;
        }
        if (conn.dumper() == null && !replace.isEmpty()) {
            ctx.fail("tools", "mariadb-dump is needed for the safety dump before replacing.",
                    "Install the client (apt install mariadb-client).");
        }
        String stamp = LocalDateTime.now().format(STAMP);
        for (String db : replace) {
            PlanContext.StepBuilder b = ctx.step("mysql-safety-dump", "Safety dump of the existing database " + db)
                    .argv(concat(conn.dumper(), conn.connection(), "--single-transaction", "--routines", "--events",
                            "--triggers", "--databases", db))
                    .reads(conn.where()).writes("the run folder: safety-" + db + "-" + stamp + ".sql")
                    .param("database", db).param("file", "safety-" + db + "-" + stamp + ".sql")
                    .undo("nothing (the safety dump is kept)");
            params(b, conn.params());
            b.add();
            PlanContext.StepBuilder drop1 = ctx.step("mysql-drop", "Drop the existing database " + db)
                    .argv(concat(conn.client(), conn.connection(), "-e", "DROP DATABASE " + MySqlClient.ident(db)))
                    .writes(conn.where()).param("database", db).param("file", "safety-" + db + "-" + stamp + ".sql")
                    .undo("load the safety dump back");
            params(drop1, conn.params());
            drop1.add();
        }
        List<String> argv = new ArrayList<>();
        argv.add(conn.client().toString());
        argv.addAll(conn.connection());
        argv.add("--binary-mode");
        if (!named) {
            argv.add(renameTo != null ? renameTo : dbs.get(0));
        }
        String format = f.getFormat() == null ? "plain" : f.getFormat();
        PlanContext.StepBuilder r = ctx.step("mysql-restore", "Load the dump into " + sv.product() + " " + sv.version()
                        + " (" + String.join(", ", restore) + ")")
                .argv(argv).reads(dump + (format.equals("plain") ? "" : " (decompressed as it streams)"))
                .writes(conn.where() + ": " + String.join(", ", restore)).bytes(sizeOf(dump))
                .param("dump", dump).param("databases", String.join("\n", restore))
                .param("createFirst", named ? null : restore.get(0))
                .param("leaveOut", drop.isEmpty() ? null : String.join("\n", drop))
                .undo("drop the databases it created: " + String.join(", ", restore));
        params(r, conn.params());
        r.add();
        PlanContext.StepBuilder v = ctx.step("mysql-verify", "Check the restored databases: list them and count rows")
                .reads(conn.where()).param("expect", String.join("\n", restore));
        params(v, conn.params());
        v.add();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
