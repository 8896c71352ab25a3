package io.dbrescue.postgres.restore;

import io.dbrescue.postgres.scan.PgArchiveToc;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.run.Exec;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Status;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The DUMP_RESTORE strategy: a dump loaded into the running target server with pg_restore or psql. */
public final class PgDumpPlan {
    private static final Pattern TOC_LINE = Pattern.compile("^\\d+; \\d+ \\d+ (.+)$");
    private static final Pattern TOC_DATA = Pattern.compile("^\\d+; \\d+ \\d+ TABLE DATA (\\S+) (\\S+) \\S+$");

    private PgDumpPlan() {
    }

    public static void plan(Finding f, Target target, PlanContext ctx) {
        RecoveryRequest req = ctx.request();
        TargetOptions o = req.target();
        Path file = req.backupRoot().resolve(f.getPath()).normalize();
        boolean archive = PgFinding.isArchive(f);
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
        List<Path> dirs = o.binDir() != null ? List.of(o.binDir()) : PgTargetServers.clientDirs(target, o);
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
