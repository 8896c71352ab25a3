package io.dbrescue.postgres.restore;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.plan.Replacement;
import io.dbrescue.plan.Replacements;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.TypedStep;
import io.dbrescue.run.StepFailure;
import io.dbrescue.scan.Compression;
import io.dbrescue.scan.ReadOnly;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The steps of a dump restore into a running server:
 * <ul>
 * <li>{@code pg-create-db} (host, port, user, database, [roles]): creates the roles the dump's objects
 * belong to when the server lacks them (NOLOGIN), then the empty database (from template0); undo drops
 * the database and the roles it created;</li>
 * <li>{@code pg-drop-db} (host, port, user, database, pgDump, pgRestore): for --on-conflict replace, a
 * safety {@code pg_dump -Fc} of the existing database into the run folder, then DROP DATABASE; undo
 * brings it back from that safety dump;</li>
 * <li>{@code pg-restore} (mode archive | plain | dumpall, file, tool, host, port, user, database...):
 * pg_restore for custom / directory / tar archives (progress: data entries done, from --verbose), psql
 * fed through stdin for plain SQL (compressed files are decompressed on the fly; progress: bytes of
 * the file read); undo leaves the target as before the step (the database empty again, or the
 * databases a script created dropped).</li>
 * </ul>
 */
final class PgRestoreSteps {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PgRestoreSteps.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private PgRestoreSteps() {
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sql(PgRestoreTarget t, String db, String sql) throws StepFailure {
        try (Connection c = t.connect(db); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("is being accessed by other users")) {
                throw new StepFailure("busy", "The database is in use: " + PgRestoreTarget.firstLine(m),
                        "Close the programs connected to it (SELECT * FROM pg_stat_activity shows them) and run again.", e);
            }
            throw t.failure(e);
        }
    }

    static boolean exists(PgRestoreTarget t, String db) throws StepFailure {
        try {
            return t.databases().contains(db);
        } catch (SQLException e) {
            throw t.failure(e);
        }
    }

    static void createDatabase(PgRestoreTarget t, String db) throws StepFailure {
        sql(t, "postgres", "CREATE DATABASE " + PgRestoreTarget.ident(db) + " TEMPLATE template0");
    }

    static void dropDatabase(PgRestoreTarget t, String db) throws StepFailure {
        sql(t, "postgres", "DROP DATABASE IF EXISTS " + PgRestoreTarget.ident(db));
    }

    /** {@code pg-create-db}: the roles the dump's objects belong to (when missing, NOLOGIN), then the empty database. */
    record PgCreateDb(PgRestoreTarget.Login login, String database, List<String> roles) implements StepParams {
        @Override
        public String kind() {
            return "pg-create-db";
        }
    }

    /**
     * {@code pg-drop-db}: a safety dump of the existing database with pgDump into the run folder, then DROP DATABASE;
     * undo brings it back with pgRestore. The preview shows the dump's command with RUN_FOLDER for the run's folder.
     */
    record PgDropDb(PgRestoreTarget.Login login, String database, String pgDump, String pgRestore)
            implements StepParams, StepParams.Replaces {
        @Override
        public String kind() {
            return "pg-drop-db";
        }

        @Override
        public Replacement replacement(Step step, Replacements.Where where) {
            return new Replacement(step.group(), "database", database + " on "
                    + Replacements.Where.server(step, login.host(), login.port()),
                    where.runFolder().resolve(safetyName()).toString());
        }

        @Override
        public List<String> argv() {
            return dumpArgv(Path.of("RUN_FOLDER").resolve(safetyName()));
        }

        String safetyName() {
            return database.replaceAll("[^A-Za-z0-9._-]", "_") + "-before-replace.dump";
        }

        List<String> dumpArgv(Path safety) {
            PgRestoreTarget t = login.target(null);
            return List.of(pgDump, "-Fc", "-w", "-h", t.toolHost(), "-p", Integer.toString(login.port()), "-U",
                    login.user(), "-d", database, "-f", safety.toString());
        }

        List<String> restoreArgv(Path safety) {
            PgRestoreTarget t = login.target(null);
            return List.of(pgRestore, "-w", "-h", t.toolHost(), "-p", Integer.toString(login.port()), "-U", login.user(),
                    "-d", database, safety.toString());
        }
    }

    /**
     * {@code pg-restore}: the planned client command (argv: pg_restore, or psql fed through stdin) loading file;
     * mode archive | plain | dumpall. skipIfExists: a marker that the dump holds nothing of its own; dataEntries: the
     * archive's data entries (progress); merged: the existing database it goes into (undo drops what it added);
     * creates: the databases the script creates (undo drops them); recreate: the database undo empties again.
     */
    record PgRestore(PgRestoreTarget.Login login, List<String> argv, String mode, Path file, String skipIfExists,
                     boolean stdin, long dataEntries, String merged, List<String> creates, String recreate)
            implements StepParams {
        @Override
        public String kind() {
            return "pg-restore";
        }
    }

    static final class CreateDatabase implements TypedStep<PgCreateDb> {
        @Override
        public void run(PgCreateDb p, Step step, StepContext ctx) throws Exception {
            PgRestoreTarget t = p.login().target(ctx.secrets());
            String db = p.database();
            List<String> created = new ArrayList<>();
            List<String> have;
            try {
                have = t.roles();
            } catch (SQLException e) {
                throw t.failure(e);
            }
            for (String role : p.roles() == null ? List.<String>of() : p.roles()) {
                if (!have.contains(role)) {
                    created.add(role);
                    Files.writeString(rolesFile(step, ctx), json(created));
                    sql(t, "postgres", "CREATE ROLE " + PgRestoreTarget.ident(role) + " NOLOGIN");
                    ctx.log("Created the role " + role + " (the dump's objects belong to it; it cannot log in until "
                            + "you give it a password: ALTER ROLE ... LOGIN PASSWORD ...).");
                }
            }
            if (!created.isEmpty()) {
                ctx.report("rolesCreated", created);
            }
            if (exists(t, db)) {
                throw new StepFailure("conflict", "A database called " + db + " appeared in " + t.where()
                        + " after the pre-flight checks.", "Run again: the pre-flight will ask what to do with it.");
            }
            Files.writeString(marker(step, ctx), db);
            createDatabase(t, db);
        }

        @Override
        public void undo(PgCreateDb p, Step step, StepContext ctx) throws Exception {
            PgRestoreTarget t = p.login().target(ctx.secrets());
            if (Files.exists(marker(step, ctx))) {
                dropDatabase(t, p.database());
                Files.delete(marker(step, ctx));
            }
            Path roles = rolesFile(step, ctx);
            if (Files.exists(roles)) {
                for (String role : JSON.readValue(roles.toFile(), new TypeReference<List<String>>() { })) {
                    sql(t, "postgres", "DROP ROLE IF EXISTS " + PgRestoreTarget.ident(role));
                }
                Files.delete(roles);
            }
        }

        private static Path marker(Step step, StepContext ctx) {
            return ctx.runDir().resolve("pg-create-db-" + step.id() + ".done");
        }

        private static Path rolesFile(Step step, StepContext ctx) {
            return ctx.runDir().resolve("pg-create-db-" + step.id() + ".roles.json");
        }
    }

    static final class DropDatabase implements TypedStep<PgDropDb> {
        @Override
        public void run(PgDropDb p, Step step, StepContext ctx) throws Exception {
            PgRestoreTarget t = p.login().target(ctx.secrets());
            String db = p.database();
            if (!exists(t, db)) {
                return; // already dropped in an earlier attempt: its safety dump is in the run folder
            }
            // 0600: pg_dump writes into it
            Path safety = io.dbrescue.settings.PrivateFiles.file(ctx.runDir().resolve(p.safetyName()));
            List<String> argv = t.toolArgv(p.dumpArgv(safety));
            PgRestoreProcess.Result r = runTool(argv, null, line -> { }, ctx.runDir().resolve("pg_dump-" + step.id() + ".log"), ctx);
            if (!r.ok()) {
                Files.deleteIfExists(safety);
                throw PgRestoreSteps.toolFailure("The safety dump of " + db + " (pg_dump)", r, argv.get(0));
            }
            ctx.report("safetyDump", safety.toString());
            dropDatabase(t, db);
        }

        @Override
        public void undo(PgDropDb p, Step step, StepContext ctx) throws Exception {
            PgRestoreTarget t = p.login().target(ctx.secrets());
            String db = p.database();
            Path safety = ctx.runDir().resolve(p.safetyName());
            if (exists(t, db) || !Files.exists(safety)) {
                return;
            }
            createDatabase(t, db);
            List<String> argv = t.toolArgv(p.restoreArgv(safety));
            PgRestoreProcess.Result r = runTool(argv, null, line -> { }, ctx.runDir().resolve("pg_restore-undo-" + step.id() + ".log"), ctx);
            if (!r.ok()) {
                throw toolFailure("Bringing " + db + " back from its safety dump " + safety, r, argv.get(0));
            }
        }
    }

    static final class Restore implements TypedStep<PgRestore> {
        @Override
        public void run(PgRestore p, Step step, StepContext ctx) throws Exception {
            String mode = p.mode();
            Path file = p.file();
            String skip = p.skipIfExists();
            if (skip != null && Files.exists(Path.of(skip))) {
                ctx.log("Nothing to restore: " + file.getFileName() + " holds no tables of its own.");
                return;
            }
            Path log = ctx.runDir().resolve("restore-" + step.id() + ".log");
            boolean stdin = p.stdin();
            boolean dumpall = mode.equals("dumpall");
            long dataEntries = Math.max(1, p.dataEntries());
            AtomicLong done = new AtomicLong();
            List<String> errors = new ArrayList<>();
            List<String> ignored = new ArrayList<>();
            java.util.function.Consumer<String> lines = line -> {
                if (mode.equals("archive")) {
                    if (!stdin && (line.contains("processing data for table")
                            || line.contains("finished item") && line.contains(" TABLE DATA "))) {
                        ctx.progress(Math.min(step.bytes(), done.incrementAndGet() * step.bytes() / dataEntries));
                    }
                } else if (line.contains("ERROR:")) {
                    if (dumpall && line.contains("role \"") && line.contains("already exists")) {
                        ignored.add(line);
                    } else {
                        errors.add(line);
                    }
                }
            };
            PgRestoreTarget t = p.login().target(ctx.secrets());
            String merged = p.merged();
            if (merged != null) { // what the database holds before, so that undo removes only what the restore added
                Files.writeString(tablesBefore(step, ctx), json(userTables(t, merged)));
            }
            PgRestoreProcess.Result r;
            if (stdin) {
                try (InputStream raw = new io.dbrescue.run.ProgressInputStream(ReadOnly.open(file), ctx);
                     InputStream in = Compression.of(ReadOnly.head(file, 8)).decompress(raw)) {
                    r = runTool(t.toolArgv(p.argv()), in, lines, log, ctx);
                }
            } else {
                r = runTool(t.toolArgv(p.argv()), null, lines, log, ctx);
            }
            if (!ignored.isEmpty()) {
                ctx.report("rolesAlreadyThere", ignored.size() + " role(s) of the dump existed already and were kept");
            }
            if (!r.ok() || !errors.isEmpty()) {
                String first = errors.isEmpty() ? r.stderrTail() : String.join("\n", errors.subList(0, Math.min(6, errors.size())));
                throw toolFailure((mode.equals("archive") ? "pg_restore of " : "Loading (psql) ") + file.getFileName(),
                        new PgRestoreProcess.Result(r.ok() ? 3 : r.exitCode(), first), p.argv().get(0));
            }
            ctx.report("restoreLog", log.toString());
        }

        @Override
        public void undo(PgRestore p, Step step, StepContext ctx) throws Exception {
            PgRestoreTarget t = p.login().target(ctx.secrets());
            String merged = p.merged();
            Path before = tablesBefore(step, ctx);
            if (merged != null && Files.exists(before)) { // merged into an existing database: drop what it added
                List<String> had = JSON.readValue(before.toFile(), new TypeReference<List<String>>() { });
                for (String table : userTables(t, merged)) {
                    if (!had.contains(table)) {
                        String[] parts = JSON.readValue(table, String[].class);
                        sql(t, merged, "DROP TABLE IF EXISTS " + PgRestoreTarget.ident(parts[0]) + "."
                                + PgRestoreTarget.ident(parts[1]) + " CASCADE");
                    }
                }
                Files.delete(before);
            }
            for (String db : p.creates() == null ? List.<String>of() : p.creates()) { // --create plain dumps, pg_dumpall
                dropDatabase(t, db);
            }
            if (p.recreate() != null) { // back to the empty database the previous step made
                String db = p.recreate();
                if (exists(t, db)) {
                    dropDatabase(t, db);
                    createDatabase(t, db);
                }
            }
        }
    }

    private static Path tablesBefore(Step step, StepContext ctx) {
        return ctx.runDir().resolve("pg-restore-" + step.id() + ".tables-before.json");
    }

    /** The user tables of a database, each as a JSON ["schema", "table"] (a stable, quotable form). */
    static List<String> userTables(PgRestoreTarget t, String db) throws StepFailure {
        List<String> out = new ArrayList<>();
        try (Connection c = t.connect(db)) {
            for (String[] table : PgVerifyStep.tables(c)) {
                out.add(json(List.of(table[0], table[1])));
            }
        } catch (SQLException e) {
            throw t.failure(e);
        }
        return out;
    }

    static PgRestoreProcess.Result runTool(List<String> argv, InputStream stdin, java.util.function.Consumer<String> lines,
                                           Path log, StepContext ctx) throws Exception {
        try {
            return PgRestoreProcess.run(argv, stdin, n -> { }, lines, log, ctx);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                String program = Path.of(argv.get(0)).getFileName().toString();
                throw new StepFailure("missing-binary", program + " is not installed (" + argv.get(0) + " cannot be run).",
                        PgRestoreTools.installHint(program, null));
            }
            throw e;
        }
    }

    /** A failed client tool, in words: login refused, server gone, disk full, dump damaged, too new... */
    static StepFailure toolFailure(String what, PgRestoreProcess.Result r, String program) {
        String low = r.stderrTail().toLowerCase(Locale.ROOT);
        // the one line that names the cause; the whole tail is in the step's log and the log file
        String cause = io.dbrescue.run.Failures.cause(r.stderrTail());
        String said = cause.isEmpty() ? "" : " " + Path.of(program).getFileName() + " said: " + cause;
        LOG.info("{} failed; {} said:\n{}", what, program, r.stderrTail().strip());
        if (low.contains("password authentication failed") || low.contains("no password supplied")
                || low.contains("authentication failed")) {
            return new StepFailure("auth", what + " failed: the server refused the login." + said,
                    "Give the right user with --target-user and the password in PGPASSWORD or ~/.pgpass.");
        }
        if (low.contains("connection refused") || low.contains("could not connect") || low.contains("is the server running")) {
            return new StepFailure("unreachable", what + " failed: the server is not reachable." + said,
                    "Start the server or point dbrescue at it with --target-host and --target-port; the step was rolled back.");
        }
        if (low.contains("no space left on device") || low.contains("could not extend file")) {
            return new StepFailure("disk-full", what + " failed: the server's disk is full." + said,
                    "Free space on the disk of the server's data directory and run again; the step was rolled back.");
        }
        if (low.contains("unsupported version") || low.contains("server version mismatch")) {
            return new StepFailure("version-mismatch", what + " failed: the client is too old for this." + said,
                    PgRestoreTools.installHint(Path.of(program).getFileName().toString(), null));
        }
        if (low.contains("unexpected end of file") || low.contains("could not read from input file")
                || low.contains("did not find magic string") || low.contains("corrupt") || low.contains("invalid data")) {
            return new StepFailure("damaged", what + " failed: the dump could not be read to its end." + said,
                    "The dump is damaged or cut short: look for another copy (dbrescue scan flags cut-short dumps).");
        }
        if (low.contains("role \"") && low.contains("does not exist")) {
            return new StepFailure("missing-role", what + " failed: a role the dump refers to is missing." + said,
                    "Create that role on the target (CREATE ROLE name) and run again.");
        }
        return new StepFailure("restore-failed", what + " failed (exit code " + r.exitCode() + ")." + said,
                "The full output is in the run folder's log and the log file; the step was rolled back.");
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
