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

    public static void planDump(Finding f, Target target, PlanContext ctx, InstalledServer newer) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        String oldMajor = f.getVersion();
        String newMajor = newer.major();
        Path source = req.backupRoot().resolve(f.getPath()).normalize();
        Path work = Journal.runsDir().resolve(ctx.runId()).resolve("pg" + oldMajor + "-" + ctx.groupNumber());
        Path copy = work.resolve("old-data");
        Path dumps = work.resolve("dumps");
        Containers containers = req.containers();
        boolean root = target.root() || "root".equals(System.getProperty("user.name"));
        String me = System.getProperty("user.name");

        // Podman and the old version's image
        boolean podman = Podman.program() != null;
        if (podman) {
            ctx.pass("podman", "Podman " + (target.podmanVersion() == null ? "" : target.podmanVersion() + " ")
                    + "(" + Podman.program() + ") runs the old server.");
        } else {
            ctx.fail("podman", "Podman is not installed; the container strategy runs PostgreSQL " + oldMajor
                    + " in a Podman container.", Podman.installHint());
        }
        // the old version's image: one that has the extensions the old databases use, and what it preloads
        PgOldImage.Choice old = PgOldImage.choose(f, req.backupRoot(), containers, oldMajor, ctx, podman);
        String oldImage = old.image();
        // and the locales its databases use: added to that image in a derived one when it lacks them
        io.dbrescue.container.LocaleImage.Decision locales = podman
                ? PgLocales.forImage(ctx, f, oldImage, "PostgreSQL " + oldMajor + " server") : null;
        String runImage = locales == null ? oldImage : locales.image();

        // the target server: reachable, its version, its databases and roles
        InstalledServer.Cluster running = newer.clusters().stream().filter(InstalledServer.Cluster::running).findFirst()
                .orElse(null);
        int port = o.port() != null ? o.port() : running != null && running.port() != null ? running.port() : 5432;
        PgLogin.Result login = PgLogin.resolve(o.host(), "127.0.0.1", port, o.user(), ctx.secrets());
        if (!login.ok()) {
            ctx.fail(login.failure().kind().equals("auth") ? "credentials" : "server", login.failure().getMessage()
                    + " The dump path moves the data into the running PostgreSQL " + newMajor + " server.",
                    login.failure().fix());
            return;
        }
        PgRestoreTarget t = login.target();
        String host = t.host();
        String user = t.user();
        String serverVersion;
        List<String> targetDbs;
        List<String> targetRoles;
        Set<String> available;
        String checksums;
        try {
            serverVersion = t.serverVersion();
            targetDbs = t.databases();
            targetRoles = t.roles();
            available = t.availableExtensions();
            checksums = t.setting("data_checksums");
        } catch (SQLException e) {
            var failure = t.failure(e);
            ctx.fail(failure.kind().equals("auth") ? "credentials" : "server", failure.getMessage()
                    + " The dump path moves the data into the running PostgreSQL " + newMajor + " server.", failure.fix());
            return;
        }
        int targetMajor = PgRestoreTools.major(serverVersion);
        if (targetMajor <= PgRestoreTools.major(oldMajor)) {
            ctx.fail("server", "The server at " + t.where() + " is PostgreSQL " + serverVersion + ", not newer than the data ("
                    + oldMajor + ").", "Point dbrescue at the new server with --target-host/--target-port.");
            return;
        }
        ctx.pass("server", "PostgreSQL " + serverVersion + " at " + t.where() + ", logged in"
                + (t.relayed() ? " without a password" : " as " + user)
                + "; data checksums " + checksums + " there — the restored data is written by it, so it follows that setting.");
        PgConfigPlan.dumpPathNote(f, req.backupRoot(), t, ctx);

        // the newer client tools: here, else in the image of the target's version
        Client client = client(target, o, targetMajor, ctx, work, podman, containers);
        if (client == null) {
            return;
        }
        Client toOld = client; // reads the old server over TCP
        client = client.reaching(t); // writes into the target: its socket folder mounted when the login goes through it
        String toolHost = t.toolHost();

        // who the old server runs as, and who logs in
        String runAs = o.runAs() != null ? o.runAs() : root ? "postgres" : me;
        OsUsers.Ids ids = OsUsers.lookup(runAs);
        if (ids == null) {
            ctx.fail("run-as", "There is no OS user called " + runAs + " to own the copy and run the old server.",
                    "Create it (sudo useradd --system " + runAs + ") or name another with --run-as.");
            return;
        }
        if (ids.uid() == 0) {
            ctx.fail("run-as", "PostgreSQL refuses to run as root, and the copy would belong to root.",
                    "Give the user that owns and runs the old server with --run-as (usually postgres).");
            return;
        }
        if (!root && !runAs.equals(me)) {
            ctx.fail("permissions", "The copy must belong to " + runAs + "; dbrescue runs as " + me + ".",
                    "Run dbrescue as root (sudo), or --run-as " + me + ".");
            return;
        }
        String superuser = String.valueOf(f.getDetails().getOrDefault("superuser", "postgres"));
        ctx.pass("run-as", "The copy belongs to " + runAs + " (uid " + ids.uid() + "), which runs PostgreSQL " + oldMajor
                + " in the container; dbrescue logs in there as " + superuser + ", the old cluster's superuser"
                + (f.getDetails().containsKey("superuser") ? "" : " (assumed: the catalog did not say)") + ".");

        // extensions the old databases use must be installable in the target before anything runs
        Set<String> used = extensionsOf(f);
        List<String> missing = used.stream().filter(x -> !available.contains(x)).toList();
        if (used.isEmpty()) {
            ctx.pass("extensions", "The old databases use no extensions beyond plpgsql.");
        } else if (missing.isEmpty()) {
            ctx.pass("extensions", "PostgreSQL " + serverVersion + " can install the extensions the old databases use: "
                    + String.join(", ", used) + ".");
        } else {
            ctx.fail("extensions", "The old databases use the extension(s) " + String.join(", ", missing)
                    + ", which PostgreSQL " + serverVersion + " here cannot install.",
                    String.join(" ", missing.stream().map(x -> PgRestoreTools.extensionHint(x, Integer.toString(targetMajor)))
                            .toList()) + " Then run again; nothing was touched.");
        }
        Object tablespaces = f.getDetails().get("tablespaces");
        if (tablespaces instanceof List<?> l && !l.isEmpty()) {
            ctx.warn("tablespaces", "The old cluster has tablespaces outside its data directory; their tables are "
                    + "restored into the target's default tablespace (pg_restore --no-tablespaces).",
                    "Move them into a tablespace afterwards if you need to (ALTER TABLE ... SET TABLESPACE).");
        }

        // which databases, and what happens with names the target has already
        List<String> dbs = f.getDatabases().stream().filter(d -> !SKIP_DBS.contains(d)).toList();
        Map<String, String> into = new LinkedHashMap<>();
        List<String> drop = new ArrayList<>();
        for (String db : dbs) {
            if (db.equals("postgres") || !targetDbs.contains(db)) {
                into.put(db, db);
                continue;
            }
            String what = "A database called " + db + " already exists in " + t.where();
            switch (req.onConflict()) {
                case ASK -> ctx.fail("conflict", what + ".", "Choose with --on-conflict: skip (leave it, do not restore "
                        + db + "), rename (restore as " + db + "_restored) or replace (a safety pg_dump of the existing one "
                        + "into the run folder, then it is dropped).");
                case SKIP -> ctx.pass("conflict", what + ": --on-conflict skip leaves it alone; " + db + " is not restored.");
                case RENAME -> {
                    String renamed = db + "_restored";
                    if (targetDbs.contains(renamed)) {
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
        // the databases created in the target need their locales there (CREATE DATABASE ... LOCALE)
        PgLocales.checkTarget(ctx, t, PgLocales.ofDatabases(f, into.keySet().stream().filter(d -> !d.equals("postgres"))
                .toList()));
        List<String> existingRoles = roleNames(f).stream().filter(targetRoles::contains).filter(r -> !r.equals(user)).toList();
        if (!existingRoles.isEmpty()) {
            ctx.warn("roles", "The role(s) " + String.join(", ", existingRoles) + " exist in the target already: they are "
                    + "kept as they are there (their password and rights are not changed).",
                    "Nothing to do, unless they should match the old cluster: then ALTER ROLE them after the move.");
        }

        // disk: the copy and the dumps on the run folder's disk
        long size = f.getSizeBytes();
        ctx.diskSpace(work, size + size / 2);
        int port0 = io.dbrescue.machine.Ports.freeLoopback();
        String name = "dbrescue-" + ctx.runId() + "-pg" + oldMajor + "-" + ctx.groupNumber();
        int jobs = Math.max(1, req.jobs());

        ContainerSteps.planImage(ctx, oldImage, "PostgreSQL " + oldMajor);
        if (locales != null) {
            PgLocales.planImageStep(ctx, f, locales, "PostgreSQL " + oldMajor);
        }
        if (client.inContainer() && !client.image().equals(oldImage)) {
            ContainerSteps.planImage(ctx, client.image(), "client tools " + client.version());
        }
        ctx.step(new BasicSteps.Copy(source, copy, runAs, "rwx------"),
                        "Copy the PostgreSQL " + oldMajor + " data directory for the old server (the backup is not touched)")
                .reads(source.toString()).writes(copy + " (owner " + runAs + ", mode 0700)")
                .bytes(size).needsRoot(!runAs.equals(me)).undo("delete the copy").add();
        ctx.step("pg-prepare-copy", "Give the copy a minimal server configuration (reachable only through the container's "
                        + "port on 127.0.0.1; " + (old.preload().isEmpty() ? "no preloaded libraries" : "preloading "
                        + old.preload() + ", as the old cluster did") + ")")
                .param("dataDir", copy.toString()).param("owner", runAs).param("superuser", superuser)
                .param("preload", old.preload())
                .writes(copy + "/postgresql.conf, pg_hba.conf (the originals kept beside them)").add();
        ctx.step("pg-container-start", "Start PostgreSQL " + oldMajor + " in a container on 127.0.0.1:" + port0)
                .argv(ContainerRun.of(runImage, ctx.runId()).server(name).user(ids.uid(), ids.gid())
                        .publish(port0, 5432).mount(copy.toString(), DATA_IN_CONTAINER).stopSignal("SIGINT")
                        .command(List.of("postgres", "-D", DATA_IN_CONTAINER)).argv())
                .param("name", name).param("host", "127.0.0.1").param("port", port0).param("user", superuser)
                .param("image", runImage).param("database", readyDatabase(f)).param("holds", name)
                .param("readySeconds", Math.max(120, req.timeoutSeconds() / 10))
                .writes("a container " + name + " (removed at the end, whatever happens)").undo("remove the container").add();
        String oldPort = Integer.toString(port0);
        PgAttver.planOnServer(ctx, f, oldPort, superuser);
        Path globals = work.resolve("globals.sql");
        PlanContext.StepBuilder globalsStep = ctx.step("pg-move-globals", "Move the roles: pg_dumpall --globals-only " + client.version() + " " + client.where()
                        + ", loaded into " + t.where())
                .argv(toOld.argv("pg_dumpall", List.of("--globals-only", "--no-tablespaces", "-w", "-h", "127.0.0.1",
                        "-p", oldPort, "-U", superuser, "-f", globals.toString())))
                .param("file", globals.toString()).writesTo(globals).reads("the old server")
                .writes("roles on " + t.where()).undo("drop the roles it created");
        t.on(globalsStep).add();
        for (String db : drop) {
            Path pgDumpHere = PgRestoreTools.find("pg_dump", PgTargetServers.clientDirs(target, o));
            t.on(ctx.step("pg-drop-db", "Safety dump of the existing " + db + ", then drop it"))
                    .param("database", db)
                    .param("pgDump", String.valueOf(pgDumpHere)).param("pgRestore",
                            String.valueOf(PgRestoreTools.find("pg_restore", PgTargetServers.clientDirs(target, o))))
                    .writes("the run folder; drops " + db + " on " + t.where()).undo("restore " + db + " from the safety dump")
                    .add();
        }
        long perDb = into.isEmpty() ? 0 : size / into.size();
        Map<String, String> compare = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : into.entrySet()) {
            String db = e.getKey();
            String as = e.getValue();
            Path dir = dumps.resolve(db.replaceAll("[^A-Za-z0-9._-]", "_"));
            Path empty = dumps.resolve(db.replaceAll("[^A-Za-z0-9._-]", "_") + ".empty");
            ctx.step("pg-dump-db", "Dump " + db + " from PostgreSQL " + oldMajor + " (pg_dump " + client.version()
                            + ", -Fd -j " + jobs + ")")
                    .argv(toOld.argv("pg_dump", dumpArgs(client, jobs, oldPort, superuser, db, dir)))
                    .param("dir", dir.toString()).param("database", db).param("host", "127.0.0.1").param("port", oldPort)
                    .param("user", superuser).param("emptyMarker", db.equals("postgres") ? empty.toString() : null)
                    .reads(db + " on the old server").writes(dir.toString()).bytes(perDb / 2).undo("delete the dump").add();
            boolean create = as.equals(db) && !db.equals("postgres");
            boolean merge = db.equals("postgres"); // into the target's own postgres database, which stays
            List<String> args = new ArrayList<>(List.of("--verbose", "--exit-on-error", "-w", "--no-tablespaces"));
            // merging: one transaction, so a failure leaves nothing half done (no -j with it; it is small)
            args.addAll(merge ? List.of("--single-transaction") : List.of("-j", Integer.toString(jobs)));
            args.addAll(List.of("-h", toolHost, "-p", Integer.toString(port), "-U", user));
            if (create) {
                args.addAll(List.of("--create", "-d", "postgres"));
            } else {
                args.addAll(List.of("-d", as));
            }
            args.add(dir.toString());
            if (!create && !db.equals("postgres")) {
                t.on(ctx.step("pg-create-db", "Create the database " + as)).param("database", as)
                        .writes("database " + as + " on " + t.where()).undo("drop it").add();
            }
            t.on(ctx.step("pg-restore", "Restore " + db + (as.equals(db) ? "" : " as " + as) + " into PostgreSQL "
                            + serverVersion + (merge ? " (pg_restore --single-transaction, into the existing postgres database)"
                            : " (pg_restore -j " + jobs + ")")))
                    .argv(client.argv("pg_restore", args)).param("mode", "archive").param("file", dir.toString())
                    .param("creates", create ? PgRestoreSteps.json(List.of(as)) : null)
                    .param("recreate", !create && !db.equals("postgres") ? as : null)
                    .param("skipIfExists", merge ? empty.toString() : null).param("merged", merge ? as : null)
                    .reads(dir.toString()).writes("database " + as + " on " + t.where()).bytes(perDb - perDb / 2)
                    .undo(create ? "drop the database" : merge ? "drop the tables it added" : "empty the database again")
                    .add();
            compare.put(db, as);
        }
        t.on(ctx.step("pg-compare", "Compare every table's row count between PostgreSQL " + oldMajor + " and "
                        + serverVersion))
                .param("oldHost", "127.0.0.1").param("oldPort", oldPort).param("oldUser", superuser)
                .param("databases", PgRestoreSteps.json(compare)).param("emptyDir", dumps.toString())
                .reads("both servers").add();
        ctx.step("container-stop", "Stop PostgreSQL " + oldMajor + " and remove its container")
                .argv(List.of(Podman.command(), "stop", "-t", "60", name)).param("name", name).param("releases", name)
                .writes("removes the container " + name).add();
        List<String> restored = new ArrayList<>(compare.values());
        t.on(ctx.step("pg-analyze", "Rebuild the planner statistics (vacuumdb --analyze-in-stages)"))
                .argv(client.argv("vacuumdb", List.of("--analyze-in-stages", "-w", "-h", toolHost, "-p",
                        Integer.toString(port), "-U", user, "-d", "DATABASE")))
                .param("databases", PgRestoreSteps.json(restored))
                .reads(t.where()).writes("statistics on " + t.where()).add();
        ctx.step(new BasicSteps.Remove(work), "Delete the copy and the dumps (the backup is untouched)")
                .writes("deletes " + work).add();
        t.on(ctx.step("pg-verify", "Verify: connect, list databases, count rows")).param("mode", "dump")
                .param("databases", PgRestoreSteps.json(restored)).reads(t.where()).add();
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
