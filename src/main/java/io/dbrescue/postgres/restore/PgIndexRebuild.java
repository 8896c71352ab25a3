package io.dbrescue.postgres.restore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The user indexes of one database that use a collation whose order changed or may have changed
 * ({@link PgCollations}): checked with amcheck's {@code bt_index_check} (B-tree indexes; the extension is installed
 * for the check when the server has it and the database does not, and dropped again), and rebuilt — those whose
 * collation changed (at risk whatever the check says: a check sees only the pages it reads in order), those that
 * fail the check, and those that could not be checked — with {@code REINDEX INDEX CONCURRENTLY} where the server
 * (12+) and the index allow it (not for exclusion constraints), else {@code REINDEX INDEX}. An index that cannot be
 * rebuilt is a problem for the summary, not a reason to undo the restore: the data is there.
 */
final class PgIndexRebuild {
    private static final Logger LOG = LoggerFactory.getLogger(PgIndexRebuild.class);

    private PgIndexRebuild() {
    }

    /** A user index: OID, table OID, schema-qualified quoted name, plain name, access method, flags, collations. */
    record Index(long oid, long table, String qualified, String relname, String shown, String am, boolean valid,
                 boolean exclusion, List<Long> collations) {
    }

    static void run(Statement s, String db, int version, Map<Long, PgCollations.Collation> risky,
                    PgCollations.Options o, PgCollations.Outcome out) throws SQLException {
        // an invalid index answers no query (and may be the NAME_ccnew leftover of a REINDEX CONCURRENTLY cut off):
        // left as it is, not made valid by a rebuild
        List<Index> indexes = indexes(s).stream().filter(i -> i.valid()
                && i.collations().stream().anyMatch(risky::containsKey)).toList();
        if (indexes.isEmpty()) {
            return;
        }
        try (Amcheck amcheck = o.amcheck() ? Amcheck.open(s, version) : null) {
            for (Index i : indexes) {
                handle(s, db, version, i, risky, amcheck, o, out);
            }
        }
    }

    private static void handle(Statement s, String db, int version, Index i, Map<Long, PgCollations.Collation> risky,
                               Amcheck amcheck, PgCollations.Options o, PgCollations.Outcome out) {
        String name = db + "." + i.shown();
        PgCollations.Collation changed = i.collations().stream().map(risky::get)
                .filter(c -> c != null && c.state() == PgCollations.State.CHANGED).findFirst().orElse(null);
        String failed = null;
        boolean checked = false;
        if (amcheck != null && i.am().equals("btree") && i.valid()) {
            try {
                amcheck.check(i.oid());
                checked = true;
                out.checked.add(name + ": in order");
            } catch (SQLException e) {
                failed = PgRestoreTarget.firstLine(String.valueOf(e.getMessage())).replaceFirst("^ERROR:\\s*", "");
                checked = true;
                out.checked.add(name + ": FAILED (" + failed + ")");
            }
        }
        if (checked && failed == null && changed == null) {
            return; // the order is unknown, and the check found it right
        }
        String reason = failed != null ? "bt_index_check failed" : changed != null ? "collation "
                + (changed.isDefault() ? "of the database" : changed.name()) + " changed: " + changed.why()
                : "could not be checked: " + (amcheck == null ? "amcheck is not available"
                : i.am() + " indexes are not checked by amcheck");
        try {
            reindex(s, version, i, o.concurrently());
            out.rebuilt.add(name + " (" + reason + ")");
        } catch (SQLException e) {
            out.problems.add("the index " + name + " could not be rebuilt (" + reason + "): "
                    + PgRestoreTarget.firstLine(String.valueOf(e.getMessage())).replaceFirst("^ERROR:\\s*", ""));
        }
    }

    /** REINDEX INDEX CONCURRENTLY where possible (a failed one leaves an invalid copy, dropped), else REINDEX INDEX. */
    static void reindex(Statement s, int version, Index i, boolean concurrently) throws SQLException {
        if (concurrently && version >= 120000 && i.valid() && !i.exclusion()) {
            try {
                s.execute("REINDEX INDEX CONCURRENTLY " + i.qualified());
                return;
            } catch (SQLException e) {
                LOG.info("REINDEX INDEX CONCURRENTLY {} failed ({}); rebuilding it with REINDEX INDEX", i.qualified(),
                        e.getMessage());
                dropLeftovers(s, i);
            }
        }
        s.execute("REINDEX INDEX " + i.qualified());
    }

    /** The invalid NAME_ccnew index a failed REINDEX CONCURRENTLY leaves behind. */
    private static void dropLeftovers(Statement s, Index i) throws SQLException {
        List<String> left = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
                + "FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE NOT x.indisvalid AND x.indrelid = " + i.table() + " AND strpos(c.relname, "
                + literal(i.relname() + "_ccnew") + ") = 1")) {
            while (r.next()) {
                left.add(r.getString(1));
            }
        }
        for (String l : left) {
            s.execute("DROP INDEX " + l);
        }
    }

    /** A string constant, the same whatever standard_conforming_strings says. */
    static String literal(String v) {
        return "E'" + v.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** The user indexes (not in pg_catalog, information_schema, TOAST or temporary schemas) with their collations. */
    static List<Index> indexes(Statement s) throws SQLException {
        List<Index> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT i.indexrelid, i.indrelid, quote_ident(n.nspname) || '.' || "
                + "quote_ident(c.relname), c.relname, i.indexrelid::regclass::text, am.amname, i.indisvalid, "
                + "EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid AND x.contype = 'x'), "
                + "array_to_string(i.indcollation::oid[], ',') FROM pg_index i "
                + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "JOIN pg_am am ON am.oid = c.relam WHERE c.relkind = 'i' "
                + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)' "
                + "ORDER BY 3")) {
            while (r.next()) {
                List<Long> colls = new ArrayList<>();
                for (String c : r.getString(9).split(",")) {
                    if (!c.isBlank() && !c.strip().equals("0")) {
                        colls.add(Long.parseLong(c.strip()));
                    }
                }
                out.add(new Index(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
                        r.getString(6), r.getBoolean(7), r.getBoolean(8), colls));
            }
        }
        return out;
    }

    /**
     * amcheck in one database: the one there, else installed for the check (marked by a comment, so that a run cut
     * off before it dropped it drops it on the resume) and dropped again; null when the server cannot have it.
     */
    static final class Amcheck implements AutoCloseable {
        static final String MARK = "installed by dbrescue for a check; dropped after it";
        private final Statement s;
        private final String schema;
        private final boolean ours;

        private Amcheck(Statement s, String schema, boolean ours) {
            this.s = s;
            this.schema = schema;
            this.ours = ours;
        }

        static Amcheck open(Statement s, int version) {
            if (version < 100000) {
                return null; // amcheck is in contrib from 10
            }
            try {
                Amcheck there = find(s);
                if (there != null) {
                    return there;
                }
                try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck'")) {
                    if (!r.next()) {
                        return null;
                    }
                }
                s.execute("CREATE EXTENSION amcheck");
                s.execute("COMMENT ON EXTENSION amcheck IS " + literal(MARK));
                return find(s);
            } catch (SQLException e) {
                LOG.info("amcheck could not be installed: {}", e.getMessage());
                return null;
            }
        }

        private static Amcheck find(Statement s) throws SQLException {
            try (ResultSet r = s.executeQuery("SELECT quote_ident(n.nspname), obj_description(e.oid, 'pg_extension') "
                    + "FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'")) {
                return r.next() ? new Amcheck(s, r.getString(1), MARK.equals(r.getString(2))) : null;
            }
        }

        /** bt_index_check: throws with amcheck's message when the index is out of order. */
        void check(long index) throws SQLException {
            try (ResultSet r = s.executeQuery("SELECT " + schema + ".bt_index_check(" + index + "::regclass)")) {
                r.next();
            }
        }

        @Override
        public void close() throws SQLException {
            if (ours) {
                s.execute("DROP EXTENSION amcheck");
            }
        }
    }
}
