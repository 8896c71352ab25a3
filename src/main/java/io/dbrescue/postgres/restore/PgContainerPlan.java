package io.dbrescue.postgres.restore;

import io.dbrescue.container.ContainerRun;
import io.dbrescue.container.ContainerSteps;
import io.dbrescue.container.Podman;
import io.dbrescue.plan.Containers;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.Journal;
import io.dbrescue.run.OsUsers;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans the container strategy's dump path for a PostgreSQL data directory older than the target
 * server: a copy of the old data (never the backup itself) is served by the OLD version in a Podman
 * container on 127.0.0.1, and the NEWER client tools (the target's own, or those in an image of the
 * target version) move roles and each database into the running target server — pg_dumpall
 * --globals-only, then pg_dump -Fd -j N / pg_restore -j N per database — with every table's rows
 * compared between the two servers before the container is removed.
 */
public final class PgContainerPlan {
    public static final String DATA_IN_CONTAINER = "/var/lib/postgresql/data";
    private static final Set<String> SKIP_DBS = Set.of("template0", "template1");

    private PgContainerPlan() {
    }

    /** A folder mounted into the client's container at the same path. */
    record Volume(String path, boolean readOnly) {
    }

    /**
     * The client tools the move uses: a folder here, or an image run with the host's network and these folders
     * mounted at the same place: the work folder, a dump to read (read-only), the target's socket folder.
     */
    record Client(Path dir, String image, String version, String runId, List<Volume> volumes, boolean stdin) {
        Client(Path dir, String image, String version, String runId, Path work) {
            this(dir, image, version, runId, work == null ? List.of() : List.of(new Volume(work.toString(), false)), false);
        }

        boolean inContainer() {
            return image != null;
        }

        /** The same client fed through stdin (podman run -i passes it on) when it runs in the image. */
        Client interactive(boolean feed) {
            return new Client(dir, image, version, runId, volumes, feed);
        }

        /** The same client with one more folder mounted (at the same path) when it runs in the image. */
        Client mounting(String hostPath, boolean readOnly) {
            List<Volume> v = new ArrayList<>(volumes);
            v.add(new Volume(hostPath, readOnly));
            return new Client(dir, image, version, runId, List.copyOf(v), stdin);
        }

        /** The same client able to reach the target's socket folder (mounted when it runs in the image). */
        Client reaching(PgRestoreTarget t) {
            return t.socket() && inContainer() ? mounting(t.socketDir(), false) : this;
        }

        /** The argv of one client program (pg_dump, pg_restore...), run here or in the client image. */
        List<String> argv(String program, List<String> args) {
            List<String> cmd = new ArrayList<>();
            if (!inContainer()) {
                cmd.add(dir.resolve(program).toString());
                cmd.addAll(args);
                return cmd;
            }
            cmd.add(program);
            cmd.addAll(args);
            ContainerRun run = ContainerRun.of(image, runId).hostNetwork();
            if (stdin) {
                run.interactive();
            }
            for (Volume v : volumes) {
                if (v.readOnly()) {
                    run.mountReadOnly(v.path(), v.path());
                } else {
                    run.mount(v.path(), v.path());
                }
            }
            return run.env(PgRestoreTarget.PASSWORD_ENV).command(cmd).argv();
        }

        String where() {
            return inContainer() ? "in the image " + image : "in " + dir;
        }
    }

    /** The old version's server: its image (with the extensions and locales the old databases need). */
    private record OldServer(PgOldImage.Choice choice, io.dbrescue.container.LocaleImage.Decision locales,
                             boolean podman) {
        String runImage() {
            return locales == null ? choice.image() : locales.image();
        }
    }

    /** The running target server, as the pre-flight found it. */
    private record NewServer(PgRestoreTarget t, String version, int major, List<String> dbs, List<String> roles,
                             Set<String> available, String checksums) {
    }

    /** One move through the container: who runs the old server, its container, the clients, the run's folder. */
    private record Move(Finding f, NewServer server, OldServer old, Client client, Client toOld, String runAs,
                        OsUsers.Ids ids, String superuser, Path work, int port0, String name, int jobs) {
        String oldMajor() {
            return f.getVersion();
        }

        Path copy() {
            return work.resolve("old-data");
        }

        Path dumps() {
            return work.resolve("dumps");
        }

        String oldPort() {
            return Integer.toString(port0);
        }

        PgRestoreTarget t() {
            return server.t();
        }
    }

    /**
     * The dump path: the old version's server in a container on a copy, each database moved with pg_dump and
     * pg_restore into the running newer server, compared, analyzed, verified.
     */
    public static void planDump(Finding f, Target target, PlanContext ctx, InstalledServer newer) {
        RecoveryRequest req = ctx.request();
        Path work = Journal.runsDir().resolve(ctx.runId()).resolve("pg" + f.getVersion() + "-" + ctx.groupNumber());
        OldServer old = oldServer(f, target, ctx);
        NewServer server = newServer(f, newer, ctx);
        if (server == null) {
            return;
        }
        PgConfigPlan.dumpPathNote(f, req.backupRoot(), server.t(), ctx);
        // the newer client tools: here, else in the image of the target's version
        Client toOld = client(target, req.target(), server.major(), ctx, work, old.podman(), req.containers());
        if (toOld == null) {
            return;
        }
        boolean root = target.root() || io.dbrescue.run.OsUsers.isRoot();
        String runAs = req.target().runAs() != null ? req.target().runAs() : root ? "postgres" : System.getProperty("user.name");
        OsUsers.Ids ids = runAsChecked(f, runAs, root, ctx);
        if (ids == null) {
            return;
        }
        checkExtensions(f, server, ctx);
        Map<String, String> into = new LinkedHashMap<>();
        List<String> drop = new ArrayList<>();
        conflicts(f, server, into, drop, ctx);
        // the databases created in the target need their locales there (CREATE DATABASE ... LOCALE)
        PgLocales.checkTarget(ctx, server.t(), PgLocales.ofDatabases(f, into.keySet().stream()
                .filter(d -> !d.equals("postgres")).toList()));
        List<String> existingRoles = roleNames(f).stream().filter(server.roles()::contains)
                .filter(r -> !r.equals(server.t().user())).toList();
        if (!existingRoles.isEmpty()) {
            ctx.warn("roles", "The role(s) " + String.join(", ", existingRoles) + " exist in the target already: they are "
                    + "kept as they are there (their password and rights are not changed).",
                    "Nothing to do, unless they should match the old cluster: then ALTER ROLE them after the move.");
        }
        // disk: the copy and the dumps on the run folder's disk
        long size = f.getSizeBytes();
        ctx.diskSpace(work, size + size / 2);
        String name = "dbrescue-" + ctx.runId() + "-pg" + f.getVersion() + "-" + ctx.groupNumber();
        Move m = new Move(f, server, old, toOld.reaching(server.t()), toOld, runAs, ids,
                String.valueOf(f.getDetails().getOrDefault("superuser", "postgres")), work,
                io.dbrescue.machine.Ports.freeLoopback(), name, Math.max(1, req.jobs()));
        startOldServer(m, ctx);
        dropSteps(m, drop, target, ctx);
        Map<String, String> compare = moveDatabases(m, into, ctx);
        finish(m, compare, ctx);
    }

    /** Podman, and the old version's image: one with the extensions the old databases use and their locales. */
    private static OldServer oldServer(Finding f, Target target, PlanContext ctx) {
        String oldMajor = f.getVersion();
        boolean podman = Podman.program() != null;
        if (podman) {
            ctx.pass("podman", "Podman " + (target.podmanVersion() == null ? "" : target.podmanVersion() + " ")
                    + "(" + Podman.program() + ") runs the old server.");
        } else {
            ctx.fail("podman", "Podman is not installed; the container strategy runs PostgreSQL " + oldMajor
                    + " in a Podman container.", Podman.installHint());
        }
        // the old version's image: one that has the extensions the old databases use, and what it preloads
        PgOldImage.Choice old = PgOldImage.choose(f, ctx.request().backupRoot(), ctx.request().containers(), oldMajor,
                ctx, podman);
        // and the locales its databases use: added to that image in a derived one when it lacks them
        io.dbrescue.container.LocaleImage.Decision locales = podman
                ? PgLocales.forImage(ctx, f, old.image(), "PostgreSQL " + oldMajor + " server") : null;
        return new OldServer(old, locales, podman);
    }

    /** The target server: reachable, newer than the data, its databases, roles and extensions. Null after a FAIL. */
    private static NewServer newServer(Finding f, InstalledServer newer, PlanContext ctx) {
        TargetOptions o = ctx.request().target();
        String into = " The dump path moves the data into the running PostgreSQL " + newer.major() + " server.";
        InstalledServer.Cluster running = newer.clusters().stream().filter(InstalledServer.Cluster::running).findFirst()
                .orElse(null);
        int port = o.port() != null ? o.port() : running != null && running.port() != null ? running.port() : 5432;
        PgLogin.Result login = PgLogin.resolve(o.host(), "127.0.0.1", port, o.user(), ctx.secrets());
        if (!login.ok()) {
            ctx.fail(login.failure().kind().equals("auth") ? "credentials" : "server", login.failure().getMessage()
                    + into, login.failure().fix());
            return null;
        }
        PgRestoreTarget t = login.target();
        NewServer server;
        try {
            String version = t.serverVersion();
            server = new NewServer(t, version, PgRestoreTools.major(version), t.databases(), t.roles(),
                    t.availableExtensions(), t.setting("data_checksums"));
        } catch (SQLException e) {
            var failure = t.failure(e);
            ctx.fail(failure.kind().equals("auth") ? "credentials" : "server", failure.getMessage() + into, failure.fix());
            return null;
        }
        if (server.major() <= PgRestoreTools.major(f.getVersion())) {
            ctx.fail("server", "The server at " + t.where() + " is PostgreSQL " + server.version() + ", not newer than the "
                    + "data (" + f.getVersion() + ").", "Point dbrescue at the new server with --target-host/--target-port.");
            return null;
        }
        ctx.pass("server", "PostgreSQL " + server.version() + " at " + t.where() + ", logged in"
                + (t.relayed() ? " without a password" : " as " + t.user())
                + "; data checksums " + server.checksums() + " there — the restored data is written by it, so it follows "
                + "that setting.");
        return server;
    }

    /** Who the old server runs as (it owns the copy), and who logs in there; null after a FAIL. */
    private static OsUsers.Ids runAsChecked(Finding f, String runAs, boolean root, PlanContext ctx) {
        String me = System.getProperty("user.name");
        OsUsers.Ids ids = OsUsers.lookup(runAs);
        if (ids == null) {
            ctx.fail("run-as", "There is no OS user called " + runAs + " to own the copy and run the old server.",
                    "Create it (sudo useradd --system " + runAs + ") or name another with --run-as.");
            return null;
        }
        if (ids.uid() == 0) {
            ctx.fail("run-as", "PostgreSQL refuses to run as root, and the copy would belong to root.",
                    "Give the user that owns and runs the old server with --run-as (usually postgres).");
            return null;
        }
        if (!root && !runAs.equals(me)) {
            ctx.fail("permissions", "The copy must belong to " + runAs + "; dbrescue runs as " + me + ".",
                    "Run dbrescue as root (sudo), or --run-as " + me + ".");
            return null;
        }
        String superuser = String.valueOf(f.getDetails().getOrDefault("superuser", "postgres"));
        ctx.pass("run-as", "The copy belongs to " + runAs + " (uid " + ids.uid() + "), which runs PostgreSQL "
                + f.getVersion() + " in the container; dbrescue logs in there as " + superuser + ", the old cluster's "
                + "superuser" + (f.getDetails().containsKey("superuser") ? "" : " (assumed: the catalog did not say)") + ".");
        return ids;
    }

    /** The extensions the old databases use must be installable in the target before anything runs. */
    private static void checkExtensions(Finding f, NewServer server, PlanContext ctx) {
        Set<String> used = extensionsOf(f);
        List<String> missing = used.stream().filter(x -> !server.available().contains(x)).toList();
        String serverVersion = server.version();
        if (used.isEmpty()) {
            ctx.pass("extensions", "The old databases use no extensions beyond plpgsql.");
        } else if (missing.isEmpty()) {
            ctx.pass("extensions", "PostgreSQL " + serverVersion + " can install the extensions the old databases use: "
                    + String.join(", ", used) + ".");
        } else {
            ctx.fail("extensions", "The old databases use the extension(s) " + String.join(", ", missing)
                    + ", which PostgreSQL " + serverVersion + " here cannot install.",
                    String.join(" ", missing.stream().map(x -> PgRestoreTools.extensionHint(x,
                            Integer.toString(server.major()))).toList()) + " Then run again; nothing was touched.");
        }
        Object tablespaces = f.getDetails().get("tablespaces");
        if (tablespaces instanceof List<?> l && !l.isEmpty()) {
            ctx.warn("tablespaces", "The old cluster has tablespaces outside its data directory; their tables are "
                    + "restored into the target's default tablespace (pg_restore --no-tablespaces).",
                    "Move them into a tablespace afterwards if you need to (ALTER TABLE ... SET TABLESPACE).");
        }
    }

    /** Which databases go where (into: old name to new name), and which existing ones are dropped first. */
    private static void conflicts(Finding f, NewServer server, Map<String, String> into, List<String> drop,
                                  PlanContext ctx) {
        for (String db : f.getDatabases().stream().filter(d -> !SKIP_DBS.contains(d)).toList()) {
            if (db.equals("postgres") || !server.dbs().contains(db)) {
                into.put(db, db);
                continue;
            }
            String what = "A database called " + db + " already exists in " + server.t().where();
            switch (ctx.request().onConflict()) {
                case ASK -> ctx.fail("conflict", what + ".", "Choose with --on-conflict: skip (leave it, do not restore "
                        + db + "), rename (restore as " + db + "_restored) or replace (a safety pg_dump of the existing one "
                        + "into the run folder, then it is dropped).");
                case SKIP -> ctx.pass("conflict", what + ": --on-conflict skip leaves it alone; " + db + " is not restored.");
                case RENAME -> {
                    String renamed = db + "_restored";
                    if (server.dbs().contains(renamed)) {
                        ctx.fail("conflict", what + ", and so does " + renamed + ".", "Drop " + renamed
                                + " or use --on-conflict replace.");
                    } else {
                        into.put(db, renamed);
                        ctx.pass("conflict", what + ": restoring it as " + renamed + ".");
                    }
                }
                case REPLACE -> {
                    into.put(db, db);
                    drop.add(db);
                    ctx.warn("conflict", what + ": --on-conflict replace: a safety dump of it goes into the run folder, "
                            + "then it is dropped.", "Nothing to do; the safety dump is named in the summary.");
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** The images, the copy and its configuration, the old server's container, then the roles moved. */
    private static void startOldServer(Move m, PlanContext ctx) {
        String oldMajor = m.oldMajor();
        String oldImage = m.old().choice().image();
        ContainerSteps.planImage(ctx, oldImage, "PostgreSQL " + oldMajor);
        if (m.old().locales() != null) {
            PgLocales.planImageStep(ctx, m.f(), m.old().locales(), "PostgreSQL " + oldMajor);
        }
        Client client = m.client();
        if (client.inContainer() && !client.image().equals(oldImage)) {
            ContainerSteps.planImage(ctx, client.image(), "client tools " + client.version());
        }
        Path source = ctx.request().backupRoot().resolve(m.f().getPath()).normalize();
        Path copy = m.copy();
        String runAs = m.runAs();
        ctx.step(new BasicSteps.Copy(source, copy, runAs, "rwx------"),
                        "Copy the PostgreSQL " + oldMajor + " data directory for the old server (the backup is not touched)")
                .reads(source.toString()).writes(copy + " (owner " + runAs + ", mode 0700)")
                .bytes(m.f().getSizeBytes()).needsRoot(!runAs.equals(System.getProperty("user.name")))
                .undo("delete the copy").add();
        String preload = m.old().choice().preload();
        ctx.step(new PgMoveSteps.PgPrepareCopy(copy, runAs, m.superuser(), preload),
                        "Give the copy a minimal server configuration (reachable only through the container's "
                        + "port on 127.0.0.1; " + (preload.isEmpty() ? "no preloaded libraries" : "preloading "
                        + preload + ", as the old cluster did") + ")")
                .writes(copy + "/postgresql.conf, pg_hba.conf (the originals kept beside them)").add();
        String name = m.name();
        ctx.step(new PgMoveSteps.PgContainerStart(ContainerRun.of(m.old().runImage(), ctx.runId()).server(name)
                        .user(m.ids().uid(), m.ids().gid()).publish(m.port0(), 5432).mount(copy.toString(), DATA_IN_CONTAINER)
                        .stopSignal("SIGINT").command(List.of("postgres", "-D", DATA_IN_CONTAINER)).argv(), name,
                        "127.0.0.1", m.port0(), m.superuser(), m.old().runImage(), readyDatabase(m.f()), name,
                        Math.max(120, ctx.request().timeoutSeconds() / 10)),
                        "Start PostgreSQL " + oldMajor + " in a container on 127.0.0.1:" + m.port0())
                .writes("a container " + name + " (removed at the end, whatever happens)").undo("remove the container").add();
        PgAttver.planOnServer(ctx, m.f(), m.oldPort(), m.superuser());
        Path globals = m.work().resolve("globals.sql");
        PgRestoreTarget t = m.t();
        ctx.step(new PgMoveSteps.PgMoveGlobals(t.login(), m.toOld().argv("pg_dumpall", List.of("--globals-only",
                        "--no-tablespaces", "-w", "-h", "127.0.0.1", "-p", m.oldPort(), "-U", m.superuser(), "-f",
                        globals.toString())), globals), "Move the roles: pg_dumpall --globals-only " + client.version()
                        + " " + client.where() + ", loaded into " + t.where())
                .writesTo(globals).reads("the old server")
                .writes("roles on " + t.where()).undo("drop the roles it created").add();
    }

    /** --on-conflict replace: a safety dump of each existing database, then it is dropped. */
    private static void dropSteps(Move m, List<String> drop, Target target, PlanContext ctx) {
        TargetOptions o = ctx.request().target();
        PgRestoreTarget t = m.t();
        for (String db : drop) {
            Path pgDumpHere = PgRestoreTools.find("pg_dump", PgTargetServers.clientDirs(target, o));
            ctx.step(new PgRestoreSteps.PgDropDb(t.login(), db, String.valueOf(pgDumpHere),
                            String.valueOf(PgRestoreTools.find("pg_restore", PgTargetServers.clientDirs(target, o)))),
                            "Safety dump of the existing " + db + ", then drop it")
                    .writes("the run folder; drops " + db + " on " + t.where()).undo("restore " + db + " from the safety dump")
                    .add();
        }
    }

    /** Each database dumped from the old server and restored into the target; old name to new name, as moved. */
    private static Map<String, String> moveDatabases(Move m, Map<String, String> into, PlanContext ctx) {
        long size = m.f().getSizeBytes();
        long perDb = into.isEmpty() ? 0 : size / into.size();
        Map<String, String> compare = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : into.entrySet()) {
            String db = e.getKey();
            Path dir = m.dumps().resolve(db.replaceAll("[^A-Za-z0-9._-]", "_"));
            Path empty = m.dumps().resolve(db.replaceAll("[^A-Za-z0-9._-]", "_") + ".empty");
            ctx.step(new PgMoveSteps.PgDumpDb(m.toOld().argv("pg_dump", dumpArgs(m.client(), m.jobs(), m.oldPort(),
                            m.superuser(), db, dir)), dir, db, "127.0.0.1", m.port0(), m.superuser(),
                            db.equals("postgres") ? empty : null), "Dump " + db + " from PostgreSQL " + m.oldMajor()
                            + " (pg_dump " + m.client().version() + ", -Fd -j " + m.jobs() + ")")
                    .reads(db + " on the old server").writes(dir.toString()).bytes(perDb / 2).undo("delete the dump").add();
            restoreSteps(m, db, e.getValue(), dir, empty, perDb - perDb / 2, ctx);
            compare.put(db, e.getValue());
        }
        return compare;
    }

    /** pg_restore of one database's dump: created by --create, into an empty one, or merged into postgres. */
    private static void restoreSteps(Move m, String db, String as, Path dir, Path empty, long bytes, PlanContext ctx) {
        PgRestoreTarget t = m.t();
        boolean create = as.equals(db) && !db.equals("postgres");
        boolean merge = db.equals("postgres"); // into the target's own postgres database, which stays
        List<String> args = new ArrayList<>(List.of("--verbose", "--exit-on-error", "-w", "--no-tablespaces"));
        // merging: one transaction, so a failure leaves nothing half done (no -j with it; it is small)
        args.addAll(merge ? List.of("--single-transaction") : List.of("-j", Integer.toString(m.jobs())));
        args.addAll(List.of("-h", t.toolHost(), "-p", Integer.toString(t.port()), "-U", t.user()));
        if (create) {
            args.addAll(List.of("--create", "-d", "postgres"));
        } else {
            args.addAll(List.of("-d", as));
        }
        args.add(dir.toString());
        if (!create && !db.equals("postgres")) {
            ctx.step(new PgRestoreSteps.PgCreateDb(t.login(), as, null), "Create the database " + as)
                    .writes("database " + as + " on " + t.where()).undo("drop it").add();
        }
        ctx.step(new PgRestoreSteps.PgRestore(t.login(), m.client().argv("pg_restore", args), "archive", dir,
                        merge ? empty.toString() : null, false, 0, merge ? as : null, create ? List.of(as) : null,
                        !create && !db.equals("postgres") ? as : null),
                        "Restore " + db + (as.equals(db) ? "" : " as " + as) + " into PostgreSQL " + m.server().version()
                        + (merge ? " (pg_restore --single-transaction, into the existing postgres database)"
                        : " (pg_restore -j " + m.jobs() + ")"))
                .reads(dir.toString()).writes("database " + as + " on " + t.where()).bytes(bytes)
                .undo(create ? "drop the database" : merge ? "drop the tables it added" : "empty the database again")
                .add();
    }

    /** The row counts compared, the old server's container stopped, statistics, the clean-up, the verification. */
    private static void finish(Move m, Map<String, String> compare, PlanContext ctx) {
        PgRestoreTarget t = m.t();
        ctx.step(new PgMoveSteps.PgCompare(t.login(), "127.0.0.1", m.port0(), m.superuser(), compare, m.dumps()),
                        "Compare every table's row count between PostgreSQL " + m.oldMajor() + " and "
                        + m.server().version())
                .reads("both servers").add();
        ctx.step(new ContainerSteps.ContainerStop(m.name()), "Stop PostgreSQL " + m.oldMajor() + " and remove its container")
                .writes("removes the container " + m.name()).add();
        List<String> restored = new ArrayList<>(compare.values());
        ctx.step(new PgMoveSteps.PgAnalyze(t.login(), m.client().argv("vacuumdb", List.of("--analyze-in-stages", "-w",
                        "-h", t.toolHost(), "-p", Integer.toString(t.port()), "-U", t.user(), "-d", "DATABASE")), restored),
                        "Rebuild the planner statistics (vacuumdb --analyze-in-stages)")
                .reads(t.where()).writes("statistics on " + t.where()).add();
        ctx.step(new BasicSteps.Remove(m.work()), "Delete the copy and the dumps (the backup is untouched)")
                .writes("deletes " + m.work()).add();
        ctx.step(new PgVerifyStep.PgVerify(t.login(), "dump", restored, null), "Verify: connect, list databases, count rows")
                .reads(t.where()).add();
    }

    /**
     * pg_dump's arguments: directory format, parallel; from pg_dump 16 on lz4 instead of the default gzip (the
     * dump is read back at once, so cheap compression wins: measured 16.1 / 21.4 s against gzip's 16.9 / 27.6 s
     * for dump + restore of a 1 GB database on 2 cores).
     */
    static List<String> dumpArgs(Client client, int jobs, String port, String user, String db, Path dir) {
        List<String> a = new ArrayList<>(List.of("-Fd", "-j", Integer.toString(jobs)));
        if (PgRestoreTools.major(client.version()) >= 16) {
            a.add("--compress=lz4");
        }
        a.addAll(List.of("--verbose", "-w", "-h", "127.0.0.1", "-p", port, "-U", user, "-d", db, "-f", dir.toString()));
        return a;
    }

    /** Client tools of at least the target's major version: here if there are, else in the target version's image. */
    private static Client client(Target target, TargetOptions o, int targetMajor, PlanContext ctx, Path work, boolean podman,
                                 Containers containers) {
        // a folder given with --target-bin is the only folder here that counts: never another one instead of it
        List<Path> dirs = o.binDir() != null ? List.of(o.binDir()) : PgTargetServers.clientDirs(target, o);
        Path best = null;
        String bestVersion = null;
        for (Path d : dirs) {
            Path dump = d.resolve("pg_dump");
            String v = PgRestoreTools.version(java.nio.file.Files.isExecutable(dump) ? dump : null);
            boolean all = List.of("pg_dumpall", "pg_restore", "psql", "vacuumdb").stream()
                    .allMatch(p -> java.nio.file.Files.isExecutable(d.resolve(p)));
            if (v != null && all && PgRestoreTools.major(v) >= targetMajor
                    && (bestVersion == null || PgRestoreTools.major(v) > PgRestoreTools.major(bestVersion))) {
                best = d;
                bestVersion = v;
            }
        }
        if (best != null) {
            ctx.pass("client-tools", "pg_dump / pg_restore " + bestVersion + " in " + best + " move the data.");
            // pg_dumpall runs "FOLDER/pg_dump" -V through popen to find its pg_dump
            io.dbrescue.run.ShellSafety.check(ctx, "shell-safe-path", "The folder of the client tools", best,
                    "pg_dumpall", "for --target-bin, or install them in their usual place.");
            return new Client(best, null, bestVersion, ctx.runId(), work);
        }
        String image = containers.image(Engine.POSTGRESQL, Integer.toString(targetMajor), Integer.toString(targetMajor));
        if (podman) {
            ctx.pass("client-tools", (o.binDir() != null ? "The folder given with --target-bin, " + o.binDir()
                    + ", has no client tools of PostgreSQL " + targetMajor + " or newer (pg_dump, pg_dumpall, pg_restore, "
                    + "psql, vacuumdb)" : "No pg_dump " + targetMajor + " here") + ": the client tools of the image " + image
                    + " move the data (run with the host's network, reaching both servers on this machine only).");
            ContainerSteps.checkImage(ctx, image, "PostgreSQL " + targetMajor + " client tools");
        }
        return new Client(null, image, Integer.toString(targetMajor), ctx.runId(), work);
    }

    /** The database the readiness check logs in to: postgres, or template1 where postgres was dropped. */
    static String readyDatabase(Finding f) {
        List<String> dbs = f.getDatabases();
        return dbs.isEmpty() || dbs.contains("postgres") ? "postgres" : "template1";
    }

    /** Extension names the old databases use (plpgsql, which every database has, left out). */
    @SuppressWarnings("unchecked")
    static Set<String> extensionsOf(Finding f) {
        Set<String> out = new LinkedHashSet<>();
        Object ext = f.getDetails().get("extensions");
        if (ext instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                if (v instanceof Map<?, ?> byName) {
                    byName.keySet().forEach(k -> out.add(String.valueOf(k)));
                } else if (v instanceof List<?> l) {
                    l.forEach(x -> out.add(String.valueOf(x)));
                }
            }
        }
        out.remove("plpgsql");
        return out;
    }

    /** Role names of the old cluster from the catalog, when the scan read them. */
    static List<String> roleNames(Finding f) {
        Object roles = f.getDetails().get("roles");
        List<String> out = new ArrayList<>();
        if (roles instanceof List<?> l) {
            for (Object r : l) {
                if (r instanceof Map<?, ?> m && m.get("name") != null) {
                    out.add(String.valueOf(m.get("name")));
                } else if (r instanceof String s) {
                    out.add(s);
                }
            }
        }
        out.removeIf(r -> r.startsWith("pg_"));
        return out;
    }
}
