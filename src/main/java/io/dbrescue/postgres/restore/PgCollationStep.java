package io.dbrescue.postgres.restore;

import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepFailure;
import io.dbrescue.run.TypedStep;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pg-collations} (host, port, user, [socket, peer], libc same | changed | unknown, libcWhy): after a data
 * directory was copied directly onto this system and its server started, in every database that takes connections
 * (template1 too: from 15 a CREATE DATABASE refuses a template whose collation version differs) the collations are
 * judged, the text indexes at risk checked and rebuilt and the recorded versions refreshed ({@link PgCollations}),
 * then template0's version. The summary lists the indexes checked and rebuilt, or says that nothing changed.
 * Nothing to undo: a rebuilt index holds the same rows, and a rollback puts the whole data directory back anyway.
 */
final class PgCollationStep implements TypedStep<PgCollationStep.PgCollationsParams> {
    /** {@code pg-collations}: the login's server; libc (same | changed | unknown) and why, as the plan judged it. */
    record PgCollationsParams(PgRestoreTarget.Login login, String libc, String libcWhy) implements StepParams {
        @Override
        public String kind() {
            return "pg-collations";
        }

        PgCollations.State state() {
            return PgCollations.State.valueOf((libc == null ? "UNKNOWN" : libc).toUpperCase(java.util.Locale.ROOT));
        }
    }

    @Override
    public void run(PgCollationsParams p, Step step, StepContext ctx) throws Exception {
        PgRestoreTarget t = p.login().target(ctx.secrets());
        PgCollations.Options o = new PgCollations.Options(p.state(), p.libcWhy(), true, true, true);
        int version;
        List<String> dbs;
        try {
            version = t.serverVersionNum();
            dbs = connectable(t);
        } catch (SQLException e) {
            StepFailure f = t.failure(e);
            if (f.kind().equals("auth")) {
                // the data is in place and the server runs; only our login is refused: say what was not done
                ctx.report(PgVerifyStep.NOT_VERIFIED, "The collations were not checked: dbrescue could not log in as "
                        + t.user() + " (" + PgRestoreTarget.firstLine(f.getMessage()) + "). Check the text indexes by "
                        + "hand (amcheck's bt_index_check) if the old system had another C library or ICU.");
                return;
            }
            throw f;
        }
        PgCollations.Outcome all = new PgCollations.Outcome();
        for (String db : dbs) {
            ctx.checkCancelled();
            try (Connection c = t.connect(db)) {
                all.add(PgCollations.inDatabase(c, db, version, o));
            } catch (SQLException e) {
                throw t.failure(e);
            }
        }
        try (Connection c = t.connect(dbs.isEmpty() ? "postgres" : dbs.get(0))) {
            PgCollations.refreshUnconnectable(c, version, all);
        } catch (SQLException e) {
            throw t.failure(e);
        }
        report(all, ctx);
    }

    private static void report(PgCollations.Outcome all, StepContext ctx) {
        ctx.report("collationsRefreshed", all.refreshed.isEmpty() ? "none changed" : all.refreshed);
        ctx.report("indexesChecked", all.checked.isEmpty() ? "none needed checking" : all.checked);
        ctx.report("indexesRebuilt", all.rebuilt.isEmpty() ? "none" : all.rebuilt);
        String said = all.rebuilt.isEmpty() && all.refreshed.isEmpty() && all.checked.isEmpty()
                ? "nothing changed: no index needed checking, none was rebuilt"
                : all.checked.size() + " index(es) checked, " + all.rebuilt.size() + " rebuilt"
                + (all.refreshed.isEmpty() ? "" : ", versions refreshed: " + String.join(", ", all.refreshed));
        ctx.report("collations", said);
        ctx.log("Collations: " + said + ".");
        if (!all.problems.isEmpty()) {
            ctx.report(PgVerifyStep.NOT_VERIFIED, "The restore is done, but " + String.join("; ", all.problems)
                    + ". Lookups through such an index may miss rows: fix what the message names (duplicates a "
                    + "unique index now sees, for example) and run REINDEX INDEX on it.");
        }
    }

    /** The databases that take connections, template1 included. */
    static List<String> connectable(PgRestoreTarget t) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = t.connect("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT datname FROM pg_database WHERE datallowconn ORDER BY datname")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
