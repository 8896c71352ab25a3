package io.dbrescue.postgres.restore;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dbrescue.container.ContainerSteps;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.CopyTree;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.run.TypedStep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The steps that move a cluster out of an old server (in a container) into a newer one:
 * <ul>
 * <li>{@code pg-prepare-copy} (dataDir, owner, [preload]): the copy gets a minimal postgresql.conf and pg_hba.conf
 * (listen inside the container, trust — the container is published on 127.0.0.1 only and removed
 * after; the old cluster's shared_preload_libraries that the image has), the originals kept beside them as
 * *.from-backup; a stale postmaster.pid is removed;</li>
 * <li>{@code pg-container-start} (..., image, [database]): {@link ContainerSteps#start} with a readiness check that
 * logs in — a FATAL answer other than "starting up" ends the wait at once with the server's words and the fix for a
 * container ({@link PgStartFailure#inContainer}), as does a container that stops;</li>
 * <li>{@code pg-move-globals} (argv = pg_dumpall --globals-only, file, target): the roles the target
 * lacks are created with their attributes and passwords; roles it has are left as they are; undo drops
 * the roles it created;</li>
 * <li>{@code pg-dump-db} (argv = pg_dump -Fd, dir, [emptyMarker]): one database into a dump folder;
 * the old "postgres" database is skipped when it holds no tables;</li>
 * <li>{@code pg-compare} (databases old → new): every table's row count on both servers must match;</li>
 * <li>{@code pg-analyze} (argv with DATABASE, databases): vacuumdb --analyze-in-stages per database (a
 * failure is reported, not rolled back: the data is in place).</li>
 * </ul>
 */
final class PgMoveSteps {
    private static final Pattern CREATE_ROLE = Pattern.compile("^CREATE ROLE (\"(?:[^\"]|\"\")+\"|[^\\s;]+);$");
    private static final Pattern ROLE_STATEMENT =
            Pattern.compile("^(?:ALTER|COMMENT ON) ROLE (\"(?:[^\"]|\"\")+\"|[^\\s;]+)[ ;].*$", Pattern.DOTALL);

    private PgMoveSteps() {
    }

    static Map<String, StepExecutor> all() {
        return Map.of("pg-prepare-copy", new PrepareCopy(), "pg-container-start", containerStart(),
                "pg-move-globals", new MoveGlobals(), "pg-dump-db", new DumpDatabase(), "pg-compare", new Compare(),
                "pg-analyze", new Analyze());
    }

    /**
     * {@code pg-prepare-copy}: the copy's minimal configuration; owner owns the files written; preload is the old
     * cluster's shared_preload_libraries the server has (none when absent). superuser is for the reader of the plan.
     */
    record PgPrepareCopy(Path dataDir, String owner, String superuser, String preload) implements StepParams {
        @Override
        public String kind() {
            return "pg-prepare-copy";
        }
    }

    /**
     * {@code pg-container-start}: argv (podman run) starts the old server in the container name; it is ready when user
     * logs in to database (postgres when absent) on host:port. holds: the container that a container-stop releases.
     */
    record PgContainerStart(List<String> argv, String name, String host, int port, String user, String image,
                            String database, String holds, long readySeconds) implements ContainerSteps.Started {
        @Override
        public String kind() {
            return "pg-container-start";
        }

        PgRestoreTarget old(io.dbrescue.run.Secrets secrets) {
            return new PgRestoreTarget(host, port, user, secrets);
        }
    }

    /** {@code pg-move-globals}: argv (pg_dumpall --globals-only) writes file; its roles go to the login's server. */
    record PgMoveGlobals(PgRestoreTarget.Login login, List<String> argv, Path file) implements StepParams {
        @Override
        public String kind() {
            return "pg-move-globals";
        }
    }

    /**
     * {@code pg-dump-db}: argv (pg_dump -Fd) dumps database from the old server (host, port, user) into dir;
     * emptyMarker: the file that says the database holds no tables (then it is not dumped).
     */
    record PgDumpDb(List<String> argv, Path dir, String database, String host, int port, String user, Path emptyMarker)
            implements StepParams {
        @Override
        public String kind() {
            return "pg-dump-db";
        }
    }

    /**
     * {@code pg-compare}: row counts of databases (old name → new name) on the old server (oldHost, oldPort, oldUser)
     * and the login's; a database with a marker in emptyDir is skipped.
     */
    record PgCompare(PgRestoreTarget.Login login, String oldHost, int oldPort, String oldUser,
                     Map<String, String> databases, Path emptyDir) implements StepParams {
        @Override
        public String kind() {
            return "pg-compare";
        }
    }

    /**
     * {@code pg-analyze}: argv (vacuumdb, DATABASE standing for each database) run for every one of databases, with the
     * login's password (no login in the step: the command line's own).
     */
    record PgAnalyze(PgRestoreTarget.Login login, List<String> argv, List<String> databases) implements StepParams {
        @Override
        public String kind() {
            return "pg-analyze";
        }

        /** The command line for one database. */
        List<String> argv(String database) {
            return argv.stream().map(a -> a.equals("DATABASE") ? database : a).toList();
        }
    }

    /** {@link ContainerSteps#start} with the PostgreSQL readiness check and reading of a stopped server's log. */
    static StepExecutor containerStart() {
        return ContainerSteps.start(PgContainerStart.class, PgMoveSteps::ready,
                (p, reason, log) -> PgStartFailure.inContainer(p.image(), false, reason, log));
    }

    /**
     * The old server is ready when its superuser can log in. A refused login will not get better by waiting, and
     * neither will any other FATAL the server answers with (a database's locale missing in the image...): those end
     * the wait at once, with the server's own words. Only "starting up" / "too many clients" and no answer at all
     * (not listening yet) mean: wait.
     */
    static boolean ready(PgContainerStart p, StepContext ctx) throws Exception {
        PgRestoreTarget old = p.old(ctx.secrets());
        try (Connection c = old.connect(p.database() == null ? "postgres" : p.database())) {
            return c.isValid(5);
        } catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            if (state.equals("28000") || state.equals("28P01")) {
                throw new StepFailure("auth", "The old server does not know the user " + old.user() + " ("
                        + PgRestoreTarget.firstLine(String.valueOf(e.getMessage())) + ").",
                        "The scan names the old cluster's superuser; if it is wrong, report it with dbrescue --save-debug-log.");
            }
            String said = serverSaid(e);
            if (said != null && !WAIT_STATES.contains(state)) {
                throw PgStartFailure.inContainer(p.image(), true, said, null);
            }
            return false; // starting up, or not listening yet
        }
    }

    /** SQLSTATEs of a server that will let dbrescue in if it waits: starting up / in recovery, too many clients. */
    private static final java.util.Set<String> WAIT_STATES = java.util.Set.of("57P03", "53300", "53400", "57P01");

    /** The server's own FATAL/PANIC answer with its DETAIL ("FATAL: ...\nDETAIL: ..."), or null when none came. */
    static String serverSaid(SQLException e) {
        if (!(e instanceof org.postgresql.util.PSQLException p) || p.getServerErrorMessage() == null) {
            return null;
        }
        org.postgresql.util.ServerErrorMessage m = p.getServerErrorMessage();
        String severity = String.valueOf(m.getSeverity());
        if (!severity.equals("FATAL") && !severity.equals("PANIC")) {
            return null;
        }
        return severity + ":  " + m.getMessage() + (m.getDetail() == null ? "" : "\nDETAIL:  " + m.getDetail())
                + (m.getHint() == null ? "" : "\nHINT:  " + m.getHint());
    }

    static final class PrepareCopy implements TypedStep<PgPrepareCopy> {
        @Override
        public void run(PgPrepareCopy p, Step step, StepContext ctx) throws Exception {
            Path data = p.dataDir();
            String owner = p.owner();
            for (String name : List.of("postgresql.conf", "pg_hba.conf", "pg_ident.conf", "postgresql.auto.conf")) {
                Path f = data.resolve(name);
                Path kept = data.resolve(name + ".from-backup");
                if (Files.exists(f, LinkOption.NOFOLLOW_LINKS) && !Files.exists(kept, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(f, kept);
                }
            }
            Files.deleteIfExists(data.resolve("postmaster.pid"));
            Files.deleteIfExists(data.resolve("postmaster.opts"));
            write(data.resolve("postgresql.conf"), owner, String.join("\n",
                    "# Written by dbrescue for the old server in its container; the original is postgresql.conf.from-backup.",
                    "listen_addresses = '*'",
                    "port = 5432",
                    "unix_socket_directories = '/tmp'",
                    "max_connections = 40",
                    "shared_preload_libraries = " + PgConf.quote(p.preload() == null ? "" : p.preload()),
                    "logging_collector = off",
                    "log_destination = 'stderr'",
                    ""));
            write(data.resolve("pg_hba.conf"), owner, String.join("\n",
                    "# Written by dbrescue: the container publishes its port on 127.0.0.1 only and is removed after the move.",
                    "local all all trust",
                    "host all all 0.0.0.0/0 trust",
                    "host all all ::/0 trust",
                    ""));
            write(data.resolve("pg_ident.conf"), owner, "");
        }

        private static void write(Path file, String owner, String text) throws IOException {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            PgDirectSteps.chown(file, owner);
        }
    }

    static final class MoveGlobals implements TypedStep<PgMoveGlobals> {
        @Override
        public void run(PgMoveGlobals p, Step step, StepContext ctx) throws Exception {
            Path file = p.file();
            Files.deleteIfExists(file);
            PgRestoreProcess.Result r = PgRestoreSteps.runTool(p.argv(), null, line -> { },
                    ctx.runDir().resolve("pg_dumpall-" + step.id() + ".log"), ctx);
            if (!r.ok()) {
                throw PgRestoreSteps.toolFailure("Reading the roles of the old server (pg_dumpall --globals-only)", r,
                        p.argv().get(0));
            }
            PgRestoreTarget t = p.login().target(ctx.secrets());
            List<String> have;
            try {
                have = t.roles();
            } catch (SQLException e) {
                throw t.failure(e);
            }
            List<String> created = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            Path createdFile = createdFile(step, ctx);
            try (Connection c = t.connect("postgres"); Statement s = c.createStatement()) {
                for (String sql : statements(Files.readAllLines(file, StandardCharsets.UTF_8))) {
                    Matcher create = CREATE_ROLE.matcher(sql);
                    Matcher other = ROLE_STATEMENT.matcher(sql);
                    String role = create.matches() ? unquote(create.group(1)) : other.matches() ? unquote(other.group(1)) : null;
                    if (role != null && have.contains(role)) {
                        continue; // a role the target has: kept as it is there
                    }
                    try {
                        s.execute(sql);
                        if (create.matches()) {
                            created.add(role);
                            Files.writeString(createdFile, PgRestoreSteps.json(created));
                        }
                    } catch (SQLException e) {
                        if (create.matches()) {
                            throw t.failure(e);
                        }
                        problems.add(PgRestoreTarget.firstLine(String.valueOf(e.getMessage())));
                    }
                }
            } catch (SQLException e) {
                throw t.failure(e);
            } finally {
                Files.deleteIfExists(file); // it holds password hashes
            }
            ctx.report("rolesCreated", created);
            if (!problems.isEmpty()) {
                ctx.report("roleWarnings", problems);
                ctx.log("Some role settings could not be applied: " + String.join("; ", problems));
            }
        }

        @Override
        public void undo(PgMoveGlobals p, Step step, StepContext ctx) throws Exception {
            Path createdFile = createdFile(step, ctx);
            if (!Files.exists(createdFile)) {
                return;
            }
            PgRestoreTarget t = p.login().target(ctx.secrets());
            List<String> created = PgRestoreSteps.JSON.readValue(createdFile.toFile(), new TypeReference<List<String>>() { });
            for (int i = created.size() - 1; i >= 0; i--) {
                PgRestoreSteps.sql(t, "postgres", "DROP ROLE IF EXISTS " + PgRestoreTarget.ident(created.get(i)));
            }
            Files.delete(createdFile);
        }

        private static Path createdFile(Step step, StepContext ctx) {
            return ctx.runDir().resolve("pg-move-globals-" + step.id() + ".roles.json");
        }

        /** The SQL statements of a pg_dumpall --globals-only script (comments, SET and psql meta-commands left out). */
        static List<String> statements(List<String> lines) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (String line : lines) {
                if (cur.length() == 0 && (line.isBlank() || line.startsWith("--") || line.startsWith("\\")
                        || line.startsWith("SET "))) {
                    continue;
                }
                cur.append(cur.length() == 0 ? "" : "\n").append(line);
                if (line.stripTrailing().endsWith(";")) {
                    out.add(cur.toString().strip());
                    cur.setLength(0);
                }
            }
            return out;
        }

        static String unquote(String ident) {
            return ident.startsWith("\"") ? ident.substring(1, ident.length() - 1).replace("\"\"", "\"") : ident;
        }
    }

    static final class DumpDatabase implements TypedStep<PgDumpDb> {
        @Override
        public void run(PgDumpDb p, Step step, StepContext ctx) throws Exception {
            Path dir = p.dir();
            String db = p.database();
            PgRestoreTarget old = new PgRestoreTarget(p.host(), p.port(), p.user(), ctx.secrets());
            long tables;
            try (Connection c = old.connect(db); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*), current_setting('shared_preload_libraries') FROM pg_class c "
                         + "JOIN pg_namespace n ON n.oid = c.relnamespace "
                         + "WHERE c.relkind IN ('r','p','v','m','S','f') AND n.nspname NOT IN ('pg_catalog','information_schema') "
                         + "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'")) {
                r.next();
                tables = r.getLong(1);
                if (!r.getString(2).isEmpty()) {
                    ctx.report("oldServerPreloaded", r.getString(2)); // what the old server really runs with
                }
            } catch (SQLException e) {
                throw old.failure(e);
            }
            Path marker = p.emptyMarker();
            if (marker != null && tables == 0) {
                Files.createDirectories(marker.getParent());
                Files.writeString(marker, "no tables");
                ctx.log("The old " + db + " database holds no tables: nothing to move from it.");
                return;
            }
            CopyTree.delete(dir);
            Files.createDirectories(dir.getParent());
            AtomicLong done = new AtomicLong();
            long total = Math.max(1, tables);
            PgRestoreProcess.Result r = PgRestoreSteps.runTool(p.argv(), null, line -> {
                if (line.contains("dumping contents of table")) {
                    ctx.progress(Math.min(step.bytes(), done.incrementAndGet() * step.bytes() / total));
                }
            }, ctx.runDir().resolve("pg_dump-" + step.id() + ".log"), ctx);
            if (!r.ok()) {
                CopyTree.delete(dir);
                throw PgRestoreSteps.toolFailure("Dumping " + db + " from the old server (pg_dump)", r, p.argv().get(0));
            }
            ctx.report("dumped", db);
        }

        @Override
        public void undo(PgDumpDb p, Step step, StepContext ctx) throws Exception {
            CopyTree.delete(p.dir());
            if (p.emptyMarker() != null) {
                Files.deleteIfExists(p.emptyMarker());
            }
        }
    }

    static final class Compare implements TypedStep<PgCompare> {
        @Override
        public void run(PgCompare p, Step step, StepContext ctx) throws Exception {
            PgRestoreTarget old = new PgRestoreTarget(p.oldHost(), p.oldPort(), p.oldUser(), ctx.secrets());
            PgRestoreTarget now = p.login().target(ctx.secrets());
            Map<String, String> dbs = p.databases();
            Path emptyDir = p.emptyDir();
            long tablesCompared = 0;
            long rows = 0;
            List<String> differences = new ArrayList<>();
            for (Map.Entry<String, String> e : dbs.entrySet()) {
                if (Files.exists(emptyDir.resolve(e.getKey().replaceAll("[^A-Za-z0-9._-]", "_") + ".empty"))) {
                    continue;
                }
                Map<String, Long> before = counts(old, e.getKey());
                Map<String, Long> after = counts(now, e.getValue());
                for (Map.Entry<String, Long> t : before.entrySet()) {
                    Long n = after.get(t.getKey());
                    if (n == null) {
                        differences.add(e.getKey() + "." + t.getKey() + " is missing in " + e.getValue());
                    } else if (!n.equals(t.getValue())) {
                        differences.add(e.getKey() + "." + t.getKey() + ": " + t.getValue() + " rows in the old server, "
                                + n + " in the new one");
                    } else {
                        tablesCompared++;
                        rows += n;
                    }
                }
            }
            ctx.report("tablesCompared", tablesCompared);
            ctx.report("rowsCompared", rows);
            if (!differences.isEmpty()) {
                throw new StepFailure("verify", "The new server does not hold the same rows as the old one:\n  "
                        + String.join("\n  ", differences.subList(0, Math.min(10, differences.size()))),
                        "Read the restore logs in the run folder; the databases were rolled back and the backup is untouched.");
            }
            ctx.log("Row counts match in all " + tablesCompared + " tables (" + rows + " rows).");
        }

        /**
         * Exact row counts of every table ("schema.table" → rows), except the tables of extensions (PostGIS's
         * spatial_ref_sys...): the new version's CREATE EXTENSION fills those, and may fill them differently.
         */
        private static Map<String, Long> counts(PgRestoreTarget t, String db) throws StepFailure {
            Map<String, Long> out = new LinkedHashMap<>();
            try (Connection c = t.connect(db)) {
                java.util.Set<String> ofExtensions = new java.util.HashSet<>();
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT n.nspname || '.' || c.relname "
                        + "FROM pg_depend d JOIN pg_class c ON c.oid = d.objid JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'")) {
                    while (r.next()) {
                        ofExtensions.add(r.getString(1));
                    }
                }
                for (String[] table : PgVerifyStep.tables(c)) {
                    if (!ofExtensions.contains(table[0] + "." + table[1])) {
                        out.put(table[0] + "." + table[1], PgVerifyStep.count(c, table[0], table[1]));
                    }
                }
            } catch (SQLException e) {
                throw t.failure(e);
            }
            return out;
        }
    }

    static final class Analyze implements TypedStep<PgAnalyze> {
        @Override
        public void run(PgAnalyze p, Step step, StepContext ctx) throws Exception {
            PgRestoreTarget t = p.login().host() == null ? null : p.login().target(ctx.secrets());
            for (String db : p.databases() == null ? List.<String>of() : p.databases()) {
                List<String> argv = p.argv(db);
                argv = t == null ? argv : t.toolArgv(argv);
                PgRestoreProcess.Result r = PgRestoreSteps.runTool(argv, null, line -> { },
                        ctx.runDir().resolve("vacuumdb-" + step.id() + ".log"), ctx);
                if (!r.ok()) { // the data is in place: missing statistics only slow queries down until autovacuum runs
                    ctx.report("statisticsWarning", "vacuumdb did not finish for " + db + ": "
                            + PgRestoreTarget.firstLine(r.stderrTail().strip()) + " — run ANALYZE in it by hand.");
                }
            }
        }
    }
}
