package io.dbrescue.postgres.restore;

import io.dbrescue.postgres.scan.PgArchiveToc;
import io.dbrescue.plan.PlanContext;
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

    /** The server that receives the dump, as the pre-flight found it. */
    private record Server(PgRestoreTarget t, String version, int major, List<String> dbs, List<String> roles) {
    }

    /**
     * What the dump holds and how it is loaded: the client program (here or in an image), the tables of its table of
     * contents, the roles its objects belong to that the server lacks, the databases it names.
     */
    private record Dump(Path file, boolean archive, boolean dumpall, boolean wrapped, String toolName,
                        PgContainerPlan.Client client, List<String> tocTables, Set<String> owners, List<String> inDump) {
        /** A pg_dumpall file or a plain dump made with --create: it creates its databases by name itself. */
        boolean createsItself() {
            return dumpall || !archive && !inDump.isEmpty();
        }
    }

    /** The checks, then the steps: drop what --on-conflict replace replaces, create, restore, verify. */
    public static void plan(Finding f, Target target, PlanContext ctx) {
        if (!usable(f, ctx)) {
            return;
        }
        Server server = connect(f, target, ctx);
        if (server == null) {
            return;
        }
        Dump dump = contents(f, server, target, ctx);
        if (dump == null) {
            return;
        }
        String[] name = {defaultName(dump)};
        if (!conflicts(dump, server, target, ctx, name)) {
            return;
        }
        PgRestoreTarget t = server.t();
        if (!dump.owners().isEmpty()) {
            ctx.warn("roles", "The dump's objects belong to role(s) the server does not have: "
                    + String.join(", ", dump.owners()) + ". They are created (NOLOGIN) so that ownership is kept.",
                    "After the restore give them a password if they should log in: ALTER ROLE name LOGIN PASSWORD '...'.");
        }
        if (!dump.createsItself()) {
            List<String> missing = dump.owners().isEmpty() ? null : new ArrayList<>(dump.owners());
            ctx.step(new PgRestoreSteps.PgCreateDb(t.login(), name[0], missing), "Create the database " + name[0]
                            + (missing == null ? "" : " (and the missing roles)"))
                    .writes("database " + name[0] + " on " + t.where()).undo("drop it").add();
        }
        restoreStep(f, dump, t, name[0], ctx);
        Map<String, List<String>> tables = new LinkedHashMap<>();
        if (!dump.tocTables().isEmpty()) {
            tables.put(name[0], dump.tocTables());
        }
        ctx.step(new PgVerifyStep.PgVerify(t.login(), "dump", dump.dumpall() ? dump.inDump() : List.of(name[0]),
                        tables.isEmpty() ? null : tables), "Verify: connect, list databases, count rows"
                        + (tables.isEmpty() ? "" : ", compare with the dump's table of contents"))
                .reads(t.where()).add();
    }

    /** A damaged dump fails the pre-flight; one with roles only is said so. */
    private static boolean usable(Finding f, PlanContext ctx) {
        if (f.getStatus() == Status.DAMAGED) {
            ctx.fail("dump", "The dump is damaged: " + String.join(" ", f.getWarnings()),
                    "Look for another copy of it; nothing was touched.");
            return false;
        }
        if (Boolean.TRUE.equals(f.getDetails().get("globalsOnly"))) {
            ctx.warn("dump", "This pg_dumpall file holds only roles and tablespaces, no databases.",
                    "That is fine if you want the roles; the databases need their own dumps.");
        }
        return true;
    }

    /**
     * Where: --target-*, else the target cluster that runs, else localhost:5432; who: the login that works. Null
     * after a FAIL.
     */
    private static Server connect(Finding f, Target target, PlanContext ctx) {
        TargetOptions o = ctx.request().target();
        InstalledServer.Cluster runningCluster = target.servers(Engine.POSTGRESQL).stream()
                .flatMap(s -> s.clusters().stream()).filter(InstalledServer.Cluster::running).findFirst().orElse(null);
        int port = o.port() != null ? o.port() : runningCluster != null && runningCluster.port() != null
                ? runningCluster.port() : 5432;
        PgLogin.Result login = PgLogin.resolve(o.host(), "localhost", port, o.user(), ctx.secrets());
        if (!login.ok()) {
            ctx.fail(login.failure().kind().equals("auth") ? "credentials" : "server", login.failure().getMessage(),
                    login.failure().fix());
            return null;
        }
        PgRestoreTarget t = login.target();
        try {
            Server server = new Server(t, login.version(), login.major(), t.databases(), t.roles());
            ctx.pass("server", "PostgreSQL " + server.version() + " at " + t.where() + ", logged in"
                    + (t.relayed() ? " without a password" : " as " + t.user()));
            return server;
        } catch (SQLException e) {
            var failure = t.failure(e);
            ctx.fail(failure.kind().equals("auth") ? "credentials" : "server", failure.getMessage(), failure.fix());
            return null;
        }
    }

    /**
     * The client tools (here, else — an archive too new for them — the image of the server's version), and what the
     * dump holds: its table of contents (archives), the owners to create, the extensions it needs. Null after a FAIL.
     */
    private static Dump contents(Finding f, Server server, Target target, PlanContext ctx) {
        TargetOptions o = ctx.request().target();
        Path file = ctx.request().backupRoot().resolve(f.getPath()).normalize();
        boolean archive = PgFinding.isArchive(f);
        boolean dumpall = Boolean.TRUE.equals(f.getDetails().get("dumpall"));
        String toolName = archive ? "pg_restore" : "psql";
        PgContainerPlan.Client client = PgDumpClient.choose(f, toolName, server.t(), server.major(), target, o, ctx, file);
        if (client == null) {
            return null;
        }
        Set<String> owners = new LinkedHashSet<>();
        Set<String> extensions = new LinkedHashSet<>();
        boolean wrapped = archive && !(f.getFormat().equals("custom") || f.getFormat().equals("directory")
                || f.getFormat().equals("tar"));
        List<String> tocTables = new ArrayList<>();
        if (archive && !wrapped && !readContents(client, file, f.getFormat(), tocTables, owners, extensions, ctx)) {
            return null;
        }
        if (!archive && !dumpall) {
            plainOwners(file, owners, extensions);
        }
        owners.removeIf(r -> r.startsWith("pg_") || server.roles().contains(r));
        checkExtensions(extensions, server.t(), server.version(), ctx);
        List<String> inDump = f.getDatabases().stream().filter(x -> !x.startsWith("template")).toList();
        return new Dump(file, archive, dumpall, wrapped, toolName, client, tocTables, owners, inDump);
    }

    /** The database it goes into: the one it names, else the file's base name; null for pg_dumpall (all it names). */
    private static String defaultName(Dump d) {
        if (d.archive()) {
            return d.inDump().isEmpty() ? baseName(d.file()) : d.inDump().get(0);
        }
        return d.createsItself() ? (d.dumpall() ? null : d.inDump().get(0)) : baseName(d.file());
    }

    /**
     * Databases of the dump the server has already, handled as --on-conflict says; name[0] becomes the new name
     * under rename. False when the dump is not restored (a FAIL, or skip).
     */
    private static boolean conflicts(Dump d, Server server, Target target, PlanContext ctx, String[] name) {
        PgRestoreTarget t = server.t();
        List<String> dbs = server.dbs();
        List<String> clash = d.dumpall() ? d.inDump().stream().filter(x -> !x.equals("postgres") && dbs.contains(x))
                .toList() : dbs.contains(name[0]) ? List.of(name[0]) : List.of();
        if (clash.isEmpty()) {
            ctx.pass("conflict", d.dumpall() ? "None of the dump's databases exists in " + t.where() + "."
                    : "No database called " + name[0] + " in " + t.where() + ".");
            return true;
        }
        String what = "A database called " + String.join(", ", clash) + " already exists in " + t.where();
        switch (ctx.request().onConflict()) {
            case ASK -> {
                ctx.fail("conflict", what + ".", "Choose with --on-conflict: skip (leave it, restore nothing), rename "
                        + "(restore as " + clash.get(0) + "_restored), or replace (a safety pg_dump -Fc of the existing "
                        + "one into the run folder, then drop it and restore).");
                return false;
            }
            case SKIP -> {
                if (d.dumpall()) {
                    ctx.fail("conflict", what + "; a pg_dumpall file cannot skip single databases.",
                            "Use --on-conflict replace, or drop those databases first.");
                } else {
                    ctx.pass("conflict", what + ": --on-conflict skip leaves it alone; this dump is not restored.");
                }
                return false;
            }
            case RENAME -> {
                return rename(d, dbs, what, ctx, name);
            }
            case REPLACE -> {
                return replace(clash, server, target, what, ctx);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static boolean rename(Dump d, List<String> dbs, String what, PlanContext ctx, String[] name) {
        if (d.createsItself()) {
            ctx.fail("conflict", what + "; this dump creates its database by name itself ("
                    + (d.dumpall() ? "pg_dumpall" : "pg_dump --create") + "), so it cannot be restored under "
                    + "another name.", "Use --on-conflict replace or skip.");
            return false;
        }
        name[0] = name[0] + "_restored";
        if (dbs.contains(name[0])) {
            ctx.fail("conflict", what + ", and so does " + name[0] + ".", "Drop " + name[0]
                    + " (it may be from an earlier run) or use --on-conflict replace.");
            return false;
        }
        ctx.pass("conflict", what + ": restoring it as " + name[0] + ".");
        return true;
    }

    /** --on-conflict replace: a safety dump of each clashing database, then it is dropped (a pg_dump new enough). */
    private static boolean replace(List<String> clash, Server server, Target target, String what, PlanContext ctx) {
        TargetOptions o = ctx.request().target();
        List<Path> dirs = o.binDir() != null ? List.of(o.binDir()) : PgTargetServers.clientDirs(target, o);
        Path pgDump = PgRestoreTools.find("pg_dump", dirs);
        String v = PgRestoreTools.version(pgDump);
        String serverVersion = server.version();
        if (v == null || PgRestoreTools.major(v) < PgRestoreTools.major(serverVersion)) {
            ctx.fail("conflict", what + "; replacing it needs a safety dump first, and "
                    + (v == null ? "pg_dump is not installed" : "pg_dump " + v + " is older than the server ("
                    + serverVersion + ") and refuses to dump it") + ".",
                    PgRestoreTools.installHint("pg_dump", Integer.toString(PgRestoreTools.major(serverVersion))));
            return false;
        }
        ctx.warn("conflict", what + ": --on-conflict replace: a safety dump of it goes into the run folder, "
                + "then it is dropped.", "Nothing to do; the safety dump is named in the summary.");
        PgRestoreTarget t = server.t();
        for (String db : clash) {
            ctx.step(new PgRestoreSteps.PgDropDb(t.login(), db, pgDump.toString(),
                            String.valueOf(PgRestoreTools.find("pg_restore", dirs))),
                            "Safety dump of the existing " + db + ", then drop it")
                    .writes("the run folder; drops " + db + " on " + t.where())
                    .undo("restore " + db + " from the safety dump").add();
        }
        return true;
    }

    /** pg_restore for an archive, psql fed through stdin for SQL (and for an archive wrapped in compression). */
    private static void restoreStep(Finding f, Dump d, PgRestoreTarget t, String name, PlanContext ctx) {
        List<String> argv = new ArrayList<>();
        List<String> login = List.of("-h", t.toolHost(), "-p", "" + t.port(), "-U", t.user());
        String mode;
        if (d.archive()) {
            mode = "archive";
            argv.addAll(List.of("--verbose", "--exit-on-error", "-w"));
            int jobs = ctx.request().jobs();
            if (!d.wrapped() && !f.getFormat().equals("tar") && jobs > 1) {
                argv.addAll(List.of("-j", Integer.toString(jobs)));
            }
            argv.addAll(login);
            argv.addAll(List.of("-d", name));
            if (!d.wrapped()) {
                argv.add(d.file().toString());
            }
        } else {
            mode = d.dumpall() ? "dumpall" : "plain";
            argv.addAll(List.of("-X", "-q", "-w"));
            if (!d.dumpall()) {
                argv.addAll(List.of("-v", "ON_ERROR_STOP=1"));
            }
            argv.addAll(login);
            argv.addAll(List.of("-d", d.createsItself() ? "postgres" : name));
        }
        boolean stdin = !d.archive() || d.wrapped();
        PgContainerPlan.Client client = d.client();
        List<String> creates = d.dumpall() ? d.inDump().stream().filter(x -> !x.equals("postgres")).toList()
                : d.createsItself() ? List.of(name) : List.of();
        String restored = d.dumpall() ? String.join(", ", creates) : name;
        long dataEntries = Long.parseLong(String.valueOf(f.getDetails().getOrDefault("dataEntries", d.tocTables().size())));
        Path file = d.file();
        ctx.step(new PgRestoreSteps.PgRestore(t.login(), client.interactive(stdin).argv(d.toolName(), argv), mode, file,
                        null, stdin, dataEntries, null, creates.isEmpty() ? null : creates,
                        d.createsItself() ? null : name),
                        "Restore " + file.getFileName() + " into " + (restored.isEmpty() ? "the server"
                        : restored) + (stdin ? " (fed through stdin" + (f.getFormat().contains("-")
                        ? ", decompressed on the fly)" : ")") : "") + (client.inContainer() ? " with pg_restore "
                        + client.version() + " " + client.where() : ""))
                .reads(file.toString()).writes("database " + (restored.isEmpty() ? "postgres" : restored) + " on " + t.where())
                .bytes(sizeOf(f, file)).undo(d.createsItself() ? "drop the databases it created" : "empty the database again")
                .add();
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
