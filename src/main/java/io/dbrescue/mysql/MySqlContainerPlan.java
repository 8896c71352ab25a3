package io.dbrescue.mysql;

import io.dbrescue.run.BasicSteps;
import io.dbrescue.container.ContainerRun;
import io.dbrescue.container.ContainerSteps;
import io.dbrescue.container.Podman;
import io.dbrescue.plan.Checks;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.run.Journal;
import io.dbrescue.run.OsUsers;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.machine.Versions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the container strategy for a MariaDB / MySQL data directory of an OLDER major version than the
 * target server (the server that answers, {@link MySqlTarget}): a copy of the old data (never the backup)
 * is served by the old version in a Podman container (published on 127.0.0.1 only, started with
 * --skip-grant-tables so that dbrescue gets in whatever the old root password was, and with the old
 * server's settings that decide whether its data opens — page size, lower_case_table_names, character
 * set, sql_mode — from the backup's option files, {@link MySqlSettings}); the newer client tools here dump
 * the user databases (mariadb-dump --databases ... --single-transaction --routines --triggers --events) into
 * the run folder and count their rows; the accounts and grants are read ({@link MySqlAccountSteps}); the
 * container is removed; the databases and then the accounts are loaded into the running target server, and
 * every table's row count is compared with the old server's.
 */
final class MySqlContainerPlan {
    static final String DATA_IN_CONTAINER = "/var/lib/mysql";
    static final String MYSQL_UNVERIFIED = "MySQL through a container is planned like MariaDB but not tested here "
            + "(no MySQL server or image can be installed where dbrescue is tested).";
    private static final Pattern CLIENT_VERSION = Pattern.compile("(?:Distrib|from)\\s+(\\d+\\.\\d+(?:\\.\\d+)?)");

    private MySqlContainerPlan() {
    }

    /** The mariadbd / mysqld command line of the old server in its container. */
    static List<String> serverCommand(Engine engine, String oldMajor, String socketInContainer) {
        boolean maria = engine == Engine.MARIADB;
        // MariaDB has called its server mariadbd since 10.4; older images (and MySQL) only have mysqld
        String program = maria && Versions.compare(oldMajor, "10.4") >= 0 ? "mariadbd" : "mysqld";
        return List.of(program, "--no-defaults", "--datadir=" + DATA_IN_CONTAINER, "--port=3306",
                "--bind-address=0.0.0.0", "--socket=" + socketInContainer, "--skip-name-resolve",
                "--skip-grant-tables");
    }

    /** What the plan knows as it goes: the finding, the old server, the target and the folders of the run. */
    private record Job(Finding f, PlanContext ctx, String product, String oldMajor, Path source, Path work, Path copy,
                       Path dump, String tag, boolean root, String me) {
        RecoveryRequest req() {
            return ctx.request();
        }
    }

    static void plan(Finding f, Target target, PlanContext ctx, MySqlPlanner.Server server, MySqlTarget.Found found) {
        RecoveryRequest req = ctx.request();
        Engine engine = f.getEngine();
        String oldMajor = InstalledServer.majorOf(engine, f.getVersion());
        String tag = (engine == Engine.MARIADB ? "mariadb" : "mysql") + oldMajor;
        Path work = Journal.runsDir().resolve(ctx.runId()).resolve(tag + "-" + ctx.groupNumber());
        Job job = new Job(f, ctx, engine.displayName(), oldMajor, req.backupRoot().resolve(f.getPath()).normalize(),
                work, work.resolve("old-data"), work.resolve("dump.sql"), tag,
                target.root() || OsUsers.isRoot(), OsUsers.me());
        if (engine == Engine.MYSQL) {
            ctx.warn("unverified", MYSQL_UNVERIFIED, "Check the row counts the run reports, and the data, yourself.");
        }
        String oldImage = req.containers().image(engine, oldMajor, f.getVersion());
        checkPodman(job, target, oldImage);
        Path clientDir = clientDir(req.target(), server, found.ok() ? found.target() : null, oldMajor);
        if (clientDir == null) {
            ctx.fail("client-tools", "No " + job.product() + " client tools (mariadb-dump and mariadb, or mysqldump and "
                    + "mysql) of version " + oldMajor + " or newer are installed here; they move the data out of the old "
                    + "server.", "Install the client of the target's version: apt install mariadb-client (Debian/Ubuntu), "
                    + "dnf install mariadb (Fedora), pacman -S mariadb-clients (Arch); or give its folder with --target-bin.");
            return;
        }
        MySqlClient anyClient = new MySqlClient(clientDir, "127.0.0.1", 3306, null, "root", ctx.secrets());
        String clientVersion = clientVersion(anyClient.dumper());
        ctx.pass("client-tools", anyClient.dumper().getFileName() + " " + clientVersion + " (" + anyClient.dumper()
                + ") and " + anyClient.client() + " move the data.");
        MySqlTarget t = checkTarget(job, found, clientDir);
        if (t == null) {
            return;
        }
        RunAs ids = runAs(job);
        if (ids == null) {
            return;
        }
        MySqlSettings old = MySqlSettings.ofBackup(f, req.backupRoot());
        MySqlSettingsCheck.check(ctx, old, t.settings(), t.label(), MySqlSettingsCheck.Way.ROWS);
        ctx.pass("accounts", "Users, roles and their grants (the old mysql system database) move too: read from the old "
                + "server (started with --skip-grant-tables, so any root password works; FLUSH PRIVILEGES loads its grant "
                + "tables for the reading) and made in the target after the databases, with their old passwords. An "
                + "account the target already has with other settings follows --on-conflict ("
                + req.onConflict().name().toLowerCase(java.util.Locale.ROOT) + (req.onConflict()
                == RecoveryRequest.Conflict.ASK ? ": the run stops before the target is changed" : "") + "). System "
                + "accounts (root, mariadb.sys, PUBLIC, mysql.*, debian-sys-maint) are left alone.");
        if (Boolean.FALSE.equals(f.getCleanShutdown())) {
            ctx.warn("clean-shutdown", "The backup was taken while the server ran (or after a crash): the old server "
                    + "does its crash recovery on the copy first; non-InnoDB tables (MyISAM, Aria) may be damaged.",
                    "Nothing to do now; the row counts are compared after the move.");
        }
        List<String> replace = new ArrayList<>();
        List<String> move = databases(job, t, replace);
        if (move == null) {
            return;
        }
        ctx.diskSpace(work, f.getSizeBytes() + f.getSizeBytes() / 2);
        steps(job, t, ids, old, oldImage, clientDir, clientVersion, move, replace);
    }

    private static void checkPodman(Job job, Target target, String oldImage) {
        boolean podman = Podman.program() != null;
        if (podman) {
            job.ctx().pass("podman", "Podman " + (target.podmanVersion() == null ? "" : target.podmanVersion() + " ")
                    + "(" + Podman.program() + ") runs the old server.");
            ContainerSteps.checkImage(job.ctx(), oldImage, job.product() + " " + job.oldMajor() + " server");
        } else {
            job.ctx().fail("podman", "Podman is not installed; the container strategy runs " + job.product() + " "
                    + job.oldMajor() + " in a Podman container.", Podman.installHint());
        }
    }

    /** The target server that answers, with the newer client tools; null (and a FAIL) when it cannot be used. */
    private static MySqlTarget checkTarget(Job job, MySqlTarget.Found found, Path clientDir) {
        PlanContext ctx = job.ctx();
        if (!found.ok()) {
            ctx.fail("target", found.problem() + " The container strategy moves the data into the running target server.",
                    found.fix());
            return null;
        }
        MySqlTarget t = found.target();
        MySqlClient conn = new MySqlClient(clientDir, t.conn().host(), t.conn().port(), t.conn().socket(),
                t.conn().user(), job.ctx().secrets());
        t = new MySqlTarget(conn, t.version(), t.dataDir(), t.baseDir(), t.pluginDir(), t.settings(), t.databases(),
                t.process());
        if (t.version().mariadb() != (job.f().getEngine() == Engine.MARIADB)) {
            ctx.fail("target", "The server at " + conn.where() + " is " + t.label() + ", not " + job.product() + ".",
                    "Point dbrescue at a " + job.product() + " server with --target-host / --target-port.");
            return null;
        }
        if (Versions.compare(t.version().major(), job.oldMajor()) <= 0) {
            ctx.fail("target", "The server at " + conn.where() + " is " + t.label() + ", not newer than the data ("
                    + job.f().getVersion() + ").", "Point dbrescue at the new server with --target-host / --target-port.");
            return null;
        }
        ctx.pass("target", t.describe() + "; its data is in " + t.dataDir() + ".");
        return t;
    }

    /** The OS user that owns the copy and runs the old server; null (and a FAIL) when there is none. */
    private static RunAs runAs(Job job) {
        PlanContext ctx = job.ctx();
        TargetOptions o = job.req().target();
        String runAs = o.runAs() != null ? o.runAs() : job.root() ? "mysql" : job.me();
        OsUsers.Ids ids = Checks.copyOwner(ctx, runAs, job.root(), job.product() + " " + job.oldMajor(), "mysql");
        if (ids == null) {
            return null;
        }
        return new RunAs(runAs, ids);
    }

    /** The OS user that owns the copy and runs the old server in the container. */
    private record RunAs(String name, OsUsers.Ids ids) {
    }

    /** The databases to move (null: nothing to do or a FAIL); those to replace go into {@code replace}. */
    private static List<String> databases(Job job, MySqlTarget t, List<String> replace) {
        PlanContext ctx = job.ctx();
        Finding f = job.f();
        List<String> dbs = f.getDatabases().stream().filter(d -> !MySqlPlanner.SYSTEM.contains(d)).toList();
        if (dbs.isEmpty()) {
            ctx.fail("databases", "The data directory holds no user databases (only " + String.join(", ", f.getDatabases())
                    + "), so there is nothing to move.", "Select another finding.");
            return null;
        }
        List<String> clash = dbs.stream().filter(t.databases()::contains).toList();
        List<String> move = new ArrayList<>(dbs);
        if (!clash.isEmpty()) {
            String what = "The target already has the database(s) " + String.join(", ", clash);
            switch (job.req().onConflict()) {
                case ASK -> {
                    ctx.fail("conflict", what + ".", "Choose with --on-conflict: skip (leave them, move the others) or "
                            + "replace (safety dump into the run folder, drop, move).");
                    return null;
                }
                case SKIP -> {
                    move.removeAll(clash);
                    ctx.pass("conflict", what + ": --on-conflict skip leaves them alone; they are not moved.");
                }
                case RENAME -> {
                    ctx.fail("conflict", what + ". Rename is not supported by the container strategy: the dump names "
                            + "its databases in USE and CREATE DATABASE statements (and views and triggers may too), "
                            + "which cannot be rewritten safely.", "Use --on-conflict skip or replace, or rename the "
                            + "existing database first.");
                    return null;
                }
                case REPLACE -> {
                    replace.addAll(clash);
                    ctx.warn("conflict", what + ": --on-conflict replace: a safety dump of each goes into the run "
                            + "folder, then it is dropped.", "Nothing to do; the safety dumps are named in the summary.");
                }
                default -> throw new IllegalStateException();
            }
        }
        if (move.isEmpty()) {
            ctx.pass("nothing-to-do", "Every database of this data directory is already in the target and was skipped.");
            return null;
        }
        return move;
    }

    private static void steps(Job job, MySqlTarget t, RunAs user, MySqlSettings old, String oldImage,
                              Path clientDir, String clientVersion, List<String> move, List<String> replace) {
        PlanContext ctx = job.ctx();
        MySqlClient conn = t.conn();
        int oldPort = io.dbrescue.machine.Ports.freeLoopback();
        String name = "dbrescue-" + ctx.runId() + "-" + job.tag() + "-" + ctx.groupNumber();
        // MySQL 8 turns networking off under --skip-grant-tables: its clients use the socket in the copy
        boolean viaSocket = job.f().getEngine() == Engine.MYSQL;
        MySqlClient oldConn = viaSocket
                ? new MySqlClient(clientDir, null, null, job.copy().resolve("mysqld.sock").toString(), "root",
                        job.ctx().secrets())
                : new MySqlClient(clientDir, "127.0.0.1", oldPort, null, "root", job.ctx().secrets());
        String oldLabel = job.product() + " " + job.oldMajor();
        startOld(job, user, old, oldImage, oldConn, name, oldPort,
                viaSocket ? DATA_IN_CONTAINER + "/mysqld.sock" : "/tmp/mysqld.sock");
        dumpOld(job, oldConn, clientVersion, move, job.f().getSizeBytes());
        Path accountsFile = job.work().resolve("accounts.sql");
        String record = "accounts-" + ctx.groupNumber() + ".json";
        ctx.step(new MySqlAccountSteps.MySqlAccountsRead(MySqlSteps.Login.of(conn), MySqlSteps.OldLogin.of(oldConn),
                        accountsFile, record, job.req().onConflict().name()), "Read the old server's accounts and "
                        + "grants (FLUSH PRIVILEGES, SHOW CREATE USER, SHOW GRANTS) and compare them with the target's")
                .reads("both servers").writes(accountsFile + " (mode 0600: password hashes)").undo("delete it").add();
        ctx.step(new ContainerSteps.ContainerStop(name), "Stop " + oldLabel + " and remove its container")
                .writes("removes the container " + name).add();
        MySqlDumpPlan.replaceSteps(ctx, conn, replace);
        load(ctx, conn, t, job.dump(), move, job.f().getSizeBytes());
        afterLoad(job, t, accountsFile, record, move, oldLabel);
    }

    /** The image, a copy of the old data for the old server, and that server in a container on the copy. */
    private static void startOld(Job job, RunAs user, MySqlSettings old, String oldImage, MySqlClient oldConn,
                                 String name, int oldPort, String socketInContainer) {
        PlanContext ctx = job.ctx();
        String runAs = user.name();
        String oldLabel = job.product() + " " + job.oldMajor();
        ContainerSteps.planImage(ctx, oldImage, oldLabel);
        ctx.step(new BasicSteps.Copy(job.source(), job.copy(), runAs, "rwx------"),
                        "Copy the " + oldLabel + " data directory for the old server (the backup is not touched)")
                .reads(job.source().toString())
                .writes(job.copy() + " (owner " + runAs + ", mode 0700)").bytes(job.f().getSizeBytes())
                .needsRoot(!runAs.equals(job.me())).undo("delete the copy").add();
        List<String> command = new ArrayList<>(serverCommand(job.f().getEngine(), job.oldMajor(), socketInContainer));
        command.addAll(old.serverArgs());
        List<String> argv = ContainerRun.of(oldImage, ctx.runId()).server(name).user(user.ids().uid(), user.ids().gid())
                .publish(oldPort, 3306).mount(job.copy().toString(), DATA_IN_CONTAINER).command(command).argv();
        ctx.step(new MySqlMoveSteps.MySqlContainerStart(MySqlSteps.Login.of(oldConn), argv, name, name,
                        Math.max(120, job.req().timeoutSeconds() / 10)), "Start " + oldLabel
                        + " in a container on 127.0.0.1:" + oldPort + (old.serverArgs().isEmpty() ? ""
                        : " with the old server's settings (" + String.join(" ", old.serverArgs()) + ")"))
                .writes("a container " + name + " (removed at the end, whatever happens)").undo("remove the container")
                .add();
    }

    /** The accounts made in the target, row counts compared, the work folder deleted, the databases verified. */
    private static void afterLoad(Job job, MySqlTarget t, Path accountsFile, String record, List<String> move,
                                  String oldLabel) {
        PlanContext ctx = job.ctx();
        MySqlClient conn = t.conn();
        MySqlSteps.Login login = MySqlSteps.Login.of(conn);
        ctx.step(new MySqlAccountSteps.MySqlAccountsLoad(login, accountsFile, record, String.join("\n", move)),
                        "Make the old accounts in " + t.label() + " with their passwords and grants, and check them")
                .reads(accountsFile.toString()).writes(conn.where() + ": accounts")
                .undo("drop the accounts it made; put replaced ones back").add();
        ctx.step(new MySqlMoveSteps.MySqlCompare(login, String.join("\n", move), job.work().resolve("old-counts.json"),
                        null), "Compare every table's row count between " + oldLabel + " and " + t.version().version())
                .reads("the new server and the old server's counts").add();
        ctx.step(new BasicSteps.Remove(job.work()),
                        "Delete the copy, the dump and the accounts file (the backup is untouched)")
                .writes("deletes " + job.work()).add();
        ctx.step(new MySqlSteps.MySqlVerify(MySqlSteps.Login.of(conn), String.join("\n", move)),
                "Check the restored databases: list them and count rows").reads(conn.where()).add();
    }

    private static void dumpOld(Job job, MySqlClient old, String clientVersion, List<String> move, long size) {
        List<String> dumpArgv = new ArrayList<>(List.of(old.dumper().toString()));
        dumpArgv.addAll(old.connection());
        dumpArgv.addAll(List.of("--single-transaction", "--routines", "--triggers", "--events", "--hex-blob",
                "--result-file=" + job.dump(), "--databases"));
        dumpArgv.addAll(move);
        job.ctx().step(new MySqlMoveSteps.MySqlDumpOld(MySqlSteps.Login.of(old), dumpArgv, job.dump(),
                        String.join("\n", move), job.work().resolve("old-counts.json")), "Dump " + String.join(", ", move)
                        + " from " + job.product() + " " + job.oldMajor() + " (" + old.dumper().getFileName() + " "
                        + clientVersion + ") and count its rows")
                .reads("the old server in the container").writes(job.dump().toString()).writesTo(job.dump())
                .bytes(size / 2).undo("delete the dump").add();
    }

    private static void load(PlanContext ctx, MySqlClient conn, MySqlTarget t, Path dump, List<String> move, long size) {
        List<String> loadArgv = new ArrayList<>(List.of(conn.client().toString()));
        loadArgv.addAll(conn.connection());
        loadArgv.add("--binary-mode");
        ctx.step(new MySqlSteps.MySqlRestore(MySqlSteps.Login.of(conn), dump, String.join("\n", move), null, null,
                        loadArgv), "Load " + String.join(", ", move) + " into " + t.label())
                .reads(dump.toString()).writes(conn.where() + ": " + String.join(", ", move)).bytes(size - size / 2)
                .undo("drop the databases it created: " + String.join(", ", move)).add();
    }

    /**
     * The folder of the newest client tools (dump program and client) of at least the old major version:
     * --target-bin, the folder of the server that answers, the installed server's folder, then the usual places.
     */
    static Path clientDir(TargetOptions o, MySqlPlanner.Server server, MySqlTarget t, String oldMajor) {
        List<Path> dirs = new ArrayList<>();
        if (o.binDir() != null) {
            dirs.add(o.binDir());
            dirs.add(o.binDir().resolve("bin"));
        }
        if (t != null && t.process() != null) { // the programs beside the server that answers
            dirs.add(t.process().program().getParent());
            if (t.process().program().getParent().getParent() != null) {
                dirs.add(t.process().program().getParent().getParent().resolve("bin"));
            }
        }
        if (t != null) {
            dirs.add(t.baseDir().resolve("bin"));
        }
        if (server != null) {
            dirs.add(server.program().getParent());
            if (server.program().getParent().getParent() != null) {
                dirs.add(server.program().getParent().getParent().resolve("bin"));
            }
        }
        dirs.addAll(MySqlClient.USUAL_BINS);
        Path best = null;
        String bestVersion = null;
        for (Path dir : dirs) {
            Path dumper = exe(dir, "mariadb-dump", "mysqldump");
            Path client = exe(dir, "mariadb", "mysql");
            if (dumper == null || client == null) {
                continue;
            }
            String v = clientVersion(dumper);
            if (v == null || Versions.compare(majorOf(v), oldMajor) < 0) {
                continue;
            }
            if (bestVersion == null || Versions.compare(majorOf(v), majorOf(bestVersion)) > 0) {
                best = dir;
                bestVersion = v;
            }
        }
        return best;
    }

    private static Path exe(Path dir, String... names) {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static String majorOf(String v) {
        String[] p = v.split("\\.");
        return p.length < 2 ? p[0] : p[0] + "." + p[1];
    }

    /** The server version a client program belongs to ("mariadb-dump from 11.4.5-MariaDB" → 11.4.5); null when unknown. */
    static String clientVersion(Path program) {
        if (program == null) {
            return null;
        }
        try {
            MySqlClient.Output out = MySqlClient.Output.run(List.of(program.toString(), "--version"), 30);
            Matcher m = CLIENT_VERSION.matcher(out.stdout() + out.stderr());
            // mariadb-upgrade 10.11 prints its version and exits with 1: the text counts, not the exit code
            return m.find() ? m.group(1) : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
