package io.dbrescue.postgres.restore;

import io.dbrescue.plan.Destination;
import io.dbrescue.plan.Destinations;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.TypedStep;
import io.dbrescue.run.StepFailure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pg-verify} (host, port, user, databases, mode dump | direct, [tables]): connects, lists the
 * databases, counts the rows of every table of the restored databases (exact COUNT(*); above
 * {@link #EXACT_LIMIT} rows the planner's estimate, marked "estimated") and compares with the source
 * where it could be read: every table the dump's table of contents lists must be there; for a data
 * directory, every database the scan listed. The counts go to the summary. Changes nothing.
 */
final class PgVerifyStep implements TypedStep<PgVerifyStep.PgVerify> {
    static final long EXACT_LIMIT = 5_000_000;
    /** The report key of a restore whose verification could not run ({@link io.dbrescue.run.RunResult#NOT_VERIFIED}). */
    static final String NOT_VERIFIED = io.dbrescue.run.RunResult.NOT_VERIFIED_KEY;

    /**
     * {@code pg-verify}: log in, list the databases, count every table's rows in those named; tables (database: its
     * schema.table names, from the dump's table of contents) must all be there. mode "direct" (a copied data
     * directory): a refused login leaves the run not verified instead of failing it; else ("dump") it fails.
     */
    record PgVerify(PgRestoreTarget.Login login, String mode, List<String> databases, Map<String, List<String>> tables)
            implements StepParams, StepParams.Verifies {
        @Override
        public String kind() {
            return "pg-verify";
        }

        /** The server with psql: by peer through the socket as the server's OS user, else over TCP as the user. */
        @Override
        public Destination destination(Step step, String dataDirectory) {
            List<String> dbs = databases == null ? List.of() : databases;
            String dataDir = "direct".equals(mode) ? dataDirectory : null;
            String port = Integer.toString(login.port());
            String db = dbs.isEmpty() ? "postgres" : dbs.get(0);
            List<String> psql = new java.util.ArrayList<>();
            if (login.peer() != null && login.socket() != null) {
                psql.addAll(List.of("sudo", "-u", login.peer(), "psql", "-h", login.socket(), "-p", port, "-d", db));
            } else {
                psql.addAll(List.of("psql", "-h", login.host() == null ? "localhost" : login.host(), "-p", port));
                if (login.user() != null) {
                    psql.addAll(List.of("-U", login.user()));
                }
                psql.addAll(List.of("-d", db));
            }
            return new Destination(step.group(), "PostgreSQL on " + Destinations.server(login.host(), port)
                    + Destinations.databases(dbs) + (dataDir == null ? "" : " (data directory " + dataDir + ")"),
                    dataDir, psql, "psql");
        }
    }

    @Override
    public void run(PgVerify p, Step step, StepContext ctx) throws Exception {
        PgRestoreTarget t = p.login().target(ctx.secrets());
        List<String> present = presentDatabases(t, "direct".equals(p.mode()), ctx);
        if (present == null) {
            return;
        }
        ctx.report("databases", present);
        Map<String, List<String>> expectedTables = p.tables() == null ? Map.of() : p.tables();
        Map<String, Object> rows = new LinkedHashMap<>();
        Tally tally = new Tally();
        List<String> problems = new ArrayList<>();
        for (String db : p.databases() == null ? List.<String>of() : p.databases()) {
            if (!present.contains(db)) {
                problems.add("the database " + db + " is missing");
                continue;
            }
            Map<String, Object> counts = countRows(t, db, ctx, tally);
            rows.put(db, counts);
            for (String expected : expectedTables.getOrDefault(db, List.of())) {
                if (!counts.containsKey(expected)) {
                    problems.add("the table " + expected + " of the dump is missing in " + db);
                }
            }
        }
        ctx.report("rows", rows);
        if (!problems.isEmpty()) {
            throw new StepFailure("verify-failed", "Verification found a difference with the source: "
                    + String.join("; ", problems) + ".", "Read the restore log in the run folder for errors; the restore "
                    + "was rolled back.");
        }
        ctx.report("verified", "Connected to " + t.host() + ":" + t.port() + "; " + tally.tables + " table(s), "
                + tally.rows + " row(s)" + (tally.estimated ? " (large tables estimated)" : "")
                + (expectedTables.isEmpty() ? "" : "; every table of the dump's table of contents is there") + ".");
    }

    /**
     * The databases the server has; null (reported as not verified) when a copied data directory's server refuses
     * the login.
     */
    private static List<String> presentDatabases(PgRestoreTarget t, boolean direct, StepContext ctx)
            throws StepFailure {
        try {
            return t.databases();
        } catch (SQLException e) {
            StepFailure f = t.failure(e);
            if (direct && f.kind().equals("auth")) {
                // the server runs (the start step checked) with the data in place; only our login for counting is
                // refused: the data stays, but a verification that did not run is not a success (see RunResult)
                ctx.report(NOT_VERIFIED, "The server started on the restored data, but dbrescue could not log in as "
                        + t.user() + " to count rows (" + PgRestoreTarget.firstLine(f.getMessage()) + "), so nothing was "
                        + "verified. Check it by hand, as a user the restored pg_hba.conf lets in: psql -p " + t.port()
                        + " -l");
                return null;
            }
            throw f;
        }
    }

    /** Tables counted so far over all databases. */
    private static final class Tally {
        long rows;
        int tables;
        boolean estimated;
    }

    /** Every table of one database to its row count (exact up to {@link #EXACT_LIMIT}, else estimated). */
    private static Map<String, Object> countRows(PgRestoreTarget t, String db, StepContext ctx, Tally tally)
            throws StepFailure {
        Map<String, Object> counts = new LinkedHashMap<>();
        try (Connection c = t.connect(db)) {
            for (String[] table : tables(c)) {
                ctx.checkCancelled();
                String name = table[0] + "." + table[1];
                long estimate = Math.round(Double.parseDouble(table[2]));
                if (estimate > EXACT_LIMIT) {
                    counts.put(name, estimate + " (estimated)");
                    tally.rows += estimate;
                    tally.estimated = true;
                } else {
                    long n = count(c, table[0], table[1]);
                    counts.put(name, n);
                    tally.rows += n;
                }
                tally.tables++;
            }
        } catch (SQLException e) {
            throw t.failure(e);
        }
        return counts;
    }

    /** schema, name, reltuples of the ordinary tables (leaf partitions included, system schemas not). */
    static List<String[]> tables(Connection c) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT n.nspname, c.relname, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                        + "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2")) {
            while (r.next()) {
                out.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
            }
        }
        return out;
    }

    static long count(Connection c, String schema, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM "
                + PgRestoreTarget.ident(schema) + "." + PgRestoreTarget.ident(table))) {
            r.next();
            return r.getLong(1);
        }
    }
}
