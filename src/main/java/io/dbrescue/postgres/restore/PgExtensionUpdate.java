package io.dbrescue.postgres.restore;

import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.TypedStep;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Extensions brought up to the version the server's installed files provide, after a move that keeps the
 * catalog (pg_upgrade, or a data directory restored onto a system with a newer package of the extension):
 * the catalog still says the old version while the library is the new one. PostGIS has its own step for it
 * — {@code SELECT postgis_extensions_upgrade()} also updates postgis_raster, postgis_topology and the rest,
 * and handles the upgrades that plain ALTER EXTENSION cannot — every other extension gets
 * {@code ALTER EXTENSION name UPDATE}.
 *
 * <p>As a step, {@code pg-extensions} (host, port, user, databases): per database, reported as
 * extensionsUpdated.
 */
final class PgExtensionUpdate implements TypedStep<PgExtensionUpdate.PgExtensions> {
    /** {@code pg-extensions}: the extensions of databases on the login's server. */
    record PgExtensions(PgRestoreTarget.Login login, List<String> databases) implements StepParams {
        @Override
        public String kind() {
            return "pg-extensions";
        }
    }

    @Override
    public void run(PgExtensions p, Step step, StepContext ctx) throws Exception {
        PgRestoreTarget t = p.login().target(ctx.secrets());
        List<String> updated = new ArrayList<>();
        for (String db : p.databases() == null ? List.<String>of() : p.databases()) {
            try (Connection c = t.connect(db); Statement s = c.createStatement()) {
                updated.addAll(update(s, db));
            } catch (SQLException e) {
                throw t.failure(e);
            }
        }
        ctx.report("extensionsUpdated", updated.isEmpty() ? "none needed" : updated);
        if (!updated.isEmpty()) {
            ctx.log("Extensions updated to the installed versions: " + String.join(", ", updated));
        }
    }

    /** Updates the extensions of one database whose catalog version is not the installed default; returns them. */
    static List<String> update(Statement s, String db) throws SQLException {
        List<String> out = new ArrayList<>();
        List<String[]> old = outdated(s);
        boolean postgis = old.stream().anyMatch(e -> e[0].startsWith("postgis")) && hasPostgisUpgrade(s);
        if (postgis) {
            // twice at most: PostGIS asks for a second call when an upgrade crosses its script layouts
            for (int i = 0; i < 2 && outdated(s).stream().anyMatch(e -> e[0].startsWith("postgis")); i++) {
                try (ResultSet r = s.executeQuery("SELECT postgis_extensions_upgrade()")) {
                    r.next();
                }
            }
        }
        List<String[]> still = outdated(s);
        for (String[] e : old) {
            boolean byPostgis = postgis && e[0].startsWith("postgis");
            if (!byPostgis) {
                s.execute("ALTER EXTENSION " + PgRestoreTarget.ident(e[0]) + " UPDATE");
            }
            boolean left = still.stream().anyMatch(x -> x[0].equals(e[0])) && byPostgis;
            out.add(db + "." + e[0] + " " + e[1] + " → " + (left ? "(still " + e[1] + ")" : e[2])
                    + (byPostgis ? " (postgis_extensions_upgrade)" : ""));
        }
        return out;
    }

    /** name, catalog version, installed default version — of the extensions whose two versions differ. */
    private static List<String[]> outdated(Statement s) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT e.extname, e.extversion, a.default_version FROM pg_extension e "
                + "JOIN pg_available_extensions a ON a.name = e.extname "
                + "WHERE a.default_version IS DISTINCT FROM e.extversion ORDER BY e.extname")) {
            while (r.next()) {
                out.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
            }
        }
        return out;
    }

    private static boolean hasPostgisUpgrade(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_proc WHERE proname = 'postgis_extensions_upgrade'")) {
            return r.next() && r.getLong(1) > 0;
        }
    }
}
