package io.dbrescue.mysql;

import io.dbrescue.container.ContainerRun;
import io.dbrescue.container.ContainerSteps;
import io.dbrescue.container.Podman;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.run.Journal;
import io.dbrescue.run.OsUsers;
import io.dbrescue.run.StepFailure;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.target.InstalledServer;
import io.dbrescue.target.Target;
import io.dbrescue.target.TargetOptions;
import io.dbrescue.target.Versions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the container strategy for a MariaDB / MySQL data directory of an OLDER major version than the
 * target server: a copy of the old data (never the backup) is served by the old version in a Podman
 * container (published on 127.0.0.1 only, started with --skip-grant-tables so that dbrescue gets in
 * whatever the old root password was), the newer client tools here dump the user databases
 * (mariadb-dump --databases ... --single-transaction --routines --triggers --events) into the run
 * folder and load them into the running target server, and every table's row count is compared
 * between the two servers before the container is removed. Accounts and grants (the mysql system
 * database) are not moved: a warning says so and lists how to recreate them.
 */
final class MySqlContainerPlan {
    static final String DATA_IN_CONTAINER = "/var/lib/mysql";
    static final String MYSQL_UNVERIFIED = "MySQL through a container is planned like MariaDB but not tested here "
            + "(no MySQL server or image can be installed where dbrescue is tested).";
    private static final Pattern CLIENT_VERSION = Pattern.compile("(?:Distrib|from)\\s+(\\d+\\.\\d+(?:\\.\\d+)?)");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

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

    static void plan(Finding f, Target target, PlanContext ctx, MySqlPlanner.Server server) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        Engine engine = f.getEngine();
        String product = engine.displayName();
        String oldVersion = f.getVersion();
        String oldMajor = InstalledServer.majorOf(engine, oldVersion);
        Path source = req.backupRoot().resolve(f.getPath()).normalize();
        String tag = (engine == Engine.MARIADB ? "mariadb" : "mysql") + oldMajor;
        Path work = Journal.runsDir().resolve(ctx.runId()).resolve(tag + "-" + ctx.groupNumber());
        Path copy = work.resolve("old-data");
        Path dump = work.resolve("dump.sql");
        boolean root = target.root() || "root".equals(System.getProperty("user.name"));
        String me = System.getProperty("user.name");

        if (engine == Engine.MYSQL) {
            ctx.warn("unverified", MYSQL_UNVERIFIED, "Check the row counts the run reports, and the data, yourself.");
        }

        // Podman and the old version's image
        boolean podman = Podman.program() != null;
        if (podman) {
            ctx.pass("podman", "Podman " + (target.podmanVersion() == null ? "" : target.podmanVersion() + " ")
                    + "(" + Podman.program() + ") runs the old server.");
        } else {
            ctx.fail("podman", "Podman is not installed; the container strategy runs " + product + " " + oldMajor
                    + " in a Podman container.", Podman.installHint());
        }
        String oldImage = req.containers().image(engine, oldMajor, oldVersion);
        if (podman) {
            ContainerSteps.checkImage(ctx, oldImage, product + " " + oldMajor + " server");
        }

        // the newer client tools here (the target's own first)
        Path clientDir = clientDir(o, server, oldMajor);
        if (clientDir == null) {
            ctx.fail("client-tools", "No " + product + " client tools (mariadb-dump and mariadb, or mysqldump and mysql) "
                    + "of version " + oldMajor + " or newer are installed here; they move the data out of the old server.",
                    "Install the client of the target's version: apt install mariadb-client (Debian/Ubuntu), "
                            + "dnf install mariadb (Fedora), pacman -S mariadb-clients (Arch); or give its folder with "
                            + "--target-bin.");
            return;
        }
        MySqlClient anyClient = new MySqlClient(clientDir, "127.0.0.1", 3306, null, "root");
        String clientVersion = clientVersion(anyClient.dumper());
        ctx.pass("client-tools", anyClient.dumper().getFileName() + " " + clientVersion + " (" + anyClient.dumper()
                + ") and " + anyClient.client() + " move the data.");

        // the target server: reachable, its version, its databases
        String user = o.user() != null ? o.user() : "root";
        MySqlClient conn;
        Path debSocket = Path.of("/run/mysqld/mysqld.sock");
        if (o.host() == null && o.port() == null && Files.exists(debSocket)) {
            conn = new MySqlClient(clientDir, null, null, debSocket.toString(), user);
        } else {
            conn = new MySqlClient(clientDir, o.hostOr("127.0.0.1"), o.port() != null ? o.port() : 3306, null, user);
        }
        MySqlClient.ServerVersion sv;
        Set<String> existing = new LinkedHashSet<>();
        try {
            sv = conn.serverVersion();
            for (String[] row : conn.query("SHOW DATABASES")) {
                existing.add(row[0]);
            }
        } catch (StepFailure e) {
            ctx.fail("target", "Cannot reach the target server at " + conn.where() + " as " + user + ": "
                    + e.getMessage() + " The container strategy moves the data into the running " + server.label()
                    + " server.", e.fix());
            return;
        } catch (IOException | InterruptedException e) {
            ctx.fail("target", "Cannot reach the target server at " + conn.where() + ": " + e.getMessage(),
                    "Start it, or point dbrescue at it with --target-host / --target-port / --target-user (password in "
                            + "MYSQL_PWD or ~/.my.cnf).");
            return;
        }
        if (sv.mariadb() != (engine == Engine.MARIADB)) {
            ctx.fail("target", "The server at " + conn.where() + " is " + sv.product() + " " + sv.version() + ", not "
                    + product + ".", "Point dbrescue at a " + product + " server with --target-host / --target-port.");
            return;
        }
        if (Versions.compare(sv.major(), oldMajor) <= 0) {
            ctx.fail("target", "The server at " + conn.where() + " is " + sv.product() + " " + sv.version()
                    + ", not newer than the data (" + oldVersion + ").", "Point dbrescue at the new server with "
                    + "--target-host / --target-port.");
            return;
        }
        ctx.pass("target", sv.product() + " " + sv.version() + " answers at " + conn.where() + " as " + user + ".");

        // who owns the copy and runs the old server
        String runAs = o.runAs() != null ? o.runAs() : root ? "mysql" : me;
        OsUsers.Ids ids = OsUsers.lookup(runAs);
        if (ids == null) {
            ctx.fail("run-as", "There is no OS user called " + runAs + " to own the copy and run the old server.",
                    "Install the server package (it creates the mysql user) or name another with --run-as.");
            return;
        }
        if (ids.uid() == 0) {
            ctx.fail("run-as", product + " must not run as root, and the copy would belong to root.",
                    "Give the OS user that owns and runs the old server with --run-as (usually mysql).");
            return;
        }
        if (!root && !runAs.equals(me)) {
            ctx.fail("permissions", "The copy must belong to " + runAs + "; dbrescue runs as " + me + ".",
                    "Run dbrescue as root (sudo), or --run-as " + me + ".");
            return;
        }
        ctx.pass("run-as", "The copy belongs to " + runAs + " (uid " + ids.uid() + "), which runs " + product + " "
                + oldMajor + " in the container.");

        // accounts are not moved
        ctx.warn("accounts", "Users and grants (the old mysql system database) are not moved: the old server runs "
                        + "with --skip-grant-tables (so that any root password works), and the target keeps its own "
                        + "accounts. The run lists the old accounts in its summary.",
                "Re-create the accounts your applications use on the target: CREATE USER 'app'@'localhost' "
                        + "IDENTIFIED BY '...'; GRANT ALL ON db.* TO 'app'@'localhost';");
        if (Boolean.FALSE.equals(f.getCleanShutdown())) {
            ctx.warn("clean-shutdown", "The backup was taken while the server ran (or after a crash): the old server "
                    + "does its crash recovery on the copy first; non-InnoDB tables (MyISAM, Aria) may be damaged.",
                    "Nothing to do now; the row counts are compared after the move.");
        }

        // which databases, and what happens with names the target has already
        List<String> dbs = f.getDatabases().stream().filter(d -> !MySqlPlanner.SYSTEM.contains(d)).toList();
        if (dbs.isEmpty()) {
            ctx.fail("databases", "The data directory holds no user databases (only " + String.join(", ", f.getDatabases())
                    + "), so there is nothing to move.", "Select another finding.");
            return;
        }
        List<String> clash = dbs.stream().filter(existing::contains).toList();
        List<String> move = new ArrayList<>(dbs);
        List<String> replace = List.of();
        if (!clash.isEmpty()) {
            String what = "The target already has the database(s) " + String.join(", ", clash);
            switch (req.onConflict()) {
                case ASK -> {
                    ctx.fail("conflict", what + ".", "Choose with --on-conflict: skip (leave them, move the others) or "
                            + "replace (safety dump into the run folder, drop, move).");
                    return;
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
                    return;
                }
                case REPLACE -> {
                    replace = clash;
                    ctx.warn("conflict", what + ": --on-conflict replace: a safety dump of each goes into the run "
                            + "folder, then it is dropped.", "Nothing to do; the safety dumps are named in the summary.");
                }
                default -> throw new IllegalStateException();
            }
        }
        if (move.isEmpty()) {
            ctx.pass("nothing-to-do", "Every database of this data directory is already in the target and was skipped.");
            return;
        }

        long size = f.getSizeBytes();
        ctx.diskSpace(work, size + size / 2);
        int oldPort = io.dbrescue.target.Ports.freeLoopback();
        String name = "dbrescue-" + ctx.runId() + "-" + tag + "-" + ctx.groupNumber();
        // MySQL 8 turns networking off under --skip-grant-tables: its clients use the socket in the copy
        boolean viaSocket = engine == Engine.MYSQL;
        String socketInContainer = viaSocket ? DATA_IN_CONTAINER + "/mysqld.sock" : "/tmp/mysqld.sock";
        MySqlClient old = viaSocket ? new MySqlClient(clientDir, null, null, copy.resolve("mysqld.sock").toString(), "root")
                : new MySqlClient(clientDir, "127.0.0.1", oldPort, null, "root");

        ContainerSteps.planImage(ctx, oldImage, product + " " + oldMajor);
        ctx.step("copy-tree", "Copy the " + product + " " + oldMajor + " data directory for the old server (the backup "
                        + "is not touched)")
                .param("source", source.toString()).param("target", copy.toString()).param("owner", runAs)
                .param("mode", "rwx------").reads(source.toString()).writes(copy + " (owner " + runAs + ", mode 0700)")
                .bytes(size).needsRoot(!runAs.equals(me)).undo("delete the copy").add();
        PlanContext.StepBuilder start = ctx.step("mysql-container-start", "Start " + product + " " + oldMajor
                        + " in a container on 127.0.0.1:" + oldPort)
                .argv(ContainerRun.of(oldImage, ctx.runId()).server(name).user(ids.uid(), ids.gid())
                        .publish(oldPort, 3306).mount(copy.toString(), DATA_IN_CONTAINER)
                        .command(serverCommand(engine, oldMajor, socketInContainer)).argv())
                .param("name", name).param("holds", name)
                .param("readySeconds", Math.max(120, req.timeoutSeconds() / 10))
                .writes("a container " + name + " (removed at the end, whatever happens)").undo("remove the container");
        MySqlPlanner.params(start, old.params());
        start.add();

        String stamp = LocalDateTime.now().format(STAMP);
        for (String db : replace) {
            PlanContext.StepBuilder b = ctx.step("mysql-safety-dump", "Safety dump of the existing database " + db)
                    .argv(MySqlPlanner.concat(conn.dumper(), conn.connection(), "--single-transaction", "--routines",
                            "--events", "--triggers", "--databases", db))
                    .reads(conn.where()).writes("the run folder: safety-" + db + "-" + stamp + ".sql")
                    .param("database", db).param("file", "safety-" + db + "-" + stamp + ".sql")
                    .undo("nothing (the safety dump is kept)");
            MySqlPlanner.params(b, conn.params());
            b.add();
            PlanContext.StepBuilder drop = ctx.step("mysql-drop", "Drop the existing database " + db)
                    .argv(MySqlPlanner.concat(conn.client(), conn.connection(), "-e", "DROP DATABASE " + MySqlClient.ident(db)))
                    .writes(conn.where()).param("database", db).param("file", "safety-" + db + "-" + stamp + ".sql")
                    .undo("load the safety dump back");
            MySqlPlanner.params(drop, conn.params());
            drop.add();
        }

        List<String> dumpArgv = new ArrayList<>(List.of(old.dumper().toString()));
        dumpArgv.addAll(old.connection());
        dumpArgv.addAll(List.of("--single-transaction", "--routines", "--triggers", "--events", "--hex-blob",
                "--result-file=" + dump, "--databases"));
        dumpArgv.addAll(move);
        PlanContext.StepBuilder d = ctx.step("mysql-dump-old", "Dump " + String.join(", ", move) + " from " + product
                        + " " + oldMajor + " (" + old.dumper().getFileName() + " " + clientVersion + ")")
                .argv(dumpArgv).param("file", dump).param("databases", String.join("\n", move))
                .reads("the old server in the container").writes(dump.toString()).writesTo(dump).bytes(size / 2)
                .undo("delete the dump");
        MySqlPlanner.params(d, old.params());
        d.add();

        List<String> loadArgv = new ArrayList<>(List.of(conn.client().toString()));
        loadArgv.addAll(conn.connection());
        loadArgv.add("--binary-mode");
        PlanContext.StepBuilder load = ctx.step("mysql-restore", "Load " + String.join(", ", move) + " into "
                        + sv.product() + " " + sv.version())
                .argv(loadArgv).param("dump", dump).param("databases", String.join("\n", move))
                .reads(dump.toString()).writes(conn.where() + ": " + String.join(", ", move)).bytes(size - size / 2)
                .undo("drop the databases it created: " + String.join(", ", move));
        MySqlPlanner.params(load, conn.params());
        load.add();

        PlanContext.StepBuilder cmp = ctx.step("mysql-compare", "Compare every table's row count between " + product
                        + " " + oldMajor + " and " + sv.version())
                .param("databases", String.join("\n", move)).reads("both servers");
        MySqlPlanner.params(cmp, conn.params());
        old.params().forEach((k, v) -> cmp.param("old" + Character.toUpperCase(k.charAt(0)) + k.substring(1), v));
        cmp.add();
        ctx.step("container-stop", "Stop " + product + " " + oldMajor + " and remove its container")
                .argv(List.of(Podman.command(), "stop", "-t", "60", name)).param("name", name).param("releases", name)
                .writes("removes the container " + name).add();
        ctx.step("remove", "Delete the copy and the dump (the backup is untouched)").param("path", work.toString())
                .writes("deletes " + work).add();
        PlanContext.StepBuilder v = ctx.step("mysql-verify", "Check the restored databases: list them and count rows")
                .reads(conn.where()).param("expect", String.join("\n", move));
        MySqlPlanner.params(v, conn.params());
        v.add();
    }

    /**
     * The folder of the newest client tools (dump program and client) of at least the old major version:
     * --target-bin, the target server's folder, then the usual places.
     */
    static Path clientDir(TargetOptions o, MySqlPlanner.Server server, String oldMajor) {
        List<Path> dirs = new ArrayList<>();
        if (o.binDir() != null) {
            dirs.add(o.binDir());
            dirs.add(o.binDir().resolve("bin"));
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
            return out.exit() == 0 && m.find() ? m.group(1) : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
