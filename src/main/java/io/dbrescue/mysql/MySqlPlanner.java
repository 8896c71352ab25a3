package io.dbrescue.mysql;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
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
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

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
        return decideSameMajor(f, requested, label, alts);
    }

    /** Data of the target's major version: DIRECT (copied into place and started). */
    private Decision decideSameMajor(Finding f, Strategy requested, String label, List<Alternative> alts) {
        String product = f.getEngine().displayName();
        String ver = f.getVersion();
        String dataMajor = InstalledServer.majorOf(f.getEngine(), ver);
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
            MySqlDirectPlan.plan(f, target, ctx, server(target, ctx.request().target()),
                    answering(ctx.request().target(), ctx.secrets()));
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
            MySqlDumpPlan.plan(f, ctx, answering(ctx.request().target(), ctx.secrets()));
        }
    }

    static List<String> startArgv(Server server, Path data, int port, Path socket) {
        return List.of(server.program().toString(), "--no-defaults",
                "--basedir=" + server.program().getParent().getParent(), "--datadir=" + data, "--socket=" + socket,
                "--port=" + port, "--bind-address=127.0.0.1", "--pid-file=" + MySqlSteps.pidFile(data));
    }

    static List<String> concat(Path program, List<String> args, String... more) {
        List<String> a = new ArrayList<>();
        a.add(program == null ? "mariadb-admin" : program.toString());
        a.addAll(args);
        a.addAll(List.of(more));
        return a;
    }
}
