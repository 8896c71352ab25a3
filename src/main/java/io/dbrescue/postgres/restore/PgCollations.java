package io.dbrescue.postgres.restore;

import io.dbrescue.postgres.scan.SystemLibraries;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collations of a restored or upgraded database whose sort order may differ from the one its text indexes were
 * built with — a data directory moved to a system with another C library (glibc 2.28 changed the order of most
 * locales) or ICU, or upgraded with pg_upgrade — and what is done about them: the indexes that use such a collation
 * are rebuilt (or first checked with amcheck where the change is unknown, see {@link PgIndexRebuild}) and the
 * recorded versions refreshed (ALTER DATABASE ... REFRESH COLLATION VERSION, ALTER COLLATION ... REFRESH VERSION).
 * Shared by the direct path ({@code pg-collations}, {@link PgCollationStep}) and the pg_upgrade path
 * ({@code pg-post-upgrade}).
 *
 * <p>A collation is judged by what PostgreSQL records: pg_collation.collversion (ICU from 10, libc from 13) and
 * pg_database.datcollversion (the database's default, from 15), compared with what the server's libraries say now
 * (pg_collation_actual_version, pg_database_collation_actual_version). Where nothing is recorded (a default
 * collation before 15, a musl-built cluster) the caller's judgement of the C library is used, from the old system's
 * files ({@link SystemLibraries}); C, POSIX, C.UTF-8 and the builtin provider compare code points and never change.
 */
final class PgCollations {
    static final long DEFAULT_COLLATION = 100;

    private PgCollations() {
    }

    /** SAME: nothing to do; CHANGED: the indexes are rebuilt; UNKNOWN: checked with amcheck, rebuilt where that fails. */
    enum State { SAME, CHANGED, UNKNOWN }

    /**
     * @param libcUnrecorded the state of libc collations that record no version (from the old system's C library)
     * @param libcWhy        why, for the summary ("glibc 2.27 (Ubuntu 18.04) → 2.36")
     * @param checkUnknown   UNKNOWN is checked (direct); false: treated as SAME (pg_upgrade, as before)
     * @param amcheck        check indexes with amcheck's bt_index_check (installed for the check when missing)
     * @param concurrently   REINDEX INDEX CONCURRENTLY where the server and the index allow it
     */
    record Options(State libcUnrecorded, String libcWhy, boolean checkUnknown, boolean amcheck, boolean concurrently) {
        /** pg_upgrade's post-upgrade step: recorded versions only, plain REINDEX. */
        static Options afterUpgrade() {
            return new Options(State.SAME, null, false, false, false);
        }
    }

    /** A collation in use: its OID, the name to refresh it by, provider (c, i, b), locale, versions, state and why. */
    record Collation(long oid, String name, String provider, String locale, String recorded, String actual,
                     State state, String why) {
        boolean isDefault() {
            return oid == DEFAULT_COLLATION;
        }
    }

    /** What was done, over one or more databases: the names are database.index / database.collation. */
    static final class Outcome {
        final List<String> checked = new ArrayList<>();
        final List<String> rebuilt = new ArrayList<>();
        final List<String> refreshed = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        void add(Outcome o) {
            checked.addAll(o.checked);
            rebuilt.addAll(o.rebuilt);
            refreshed.addAll(o.refreshed);
            problems.addAll(o.problems);
        }
    }

    /** Judges the collations of the database {@code c} is connected to, rebuilds and refreshes. */
    static Outcome inDatabase(Connection c, String db, int version, Options o) throws SQLException {
        Outcome out = new Outcome();
        if (version < 90100) {
            return out; // no collation per column or index before 9.1
        }
        try (Statement s = c.createStatement()) {
            // the restored configuration may carry a statement_timeout (42s...) that a large REINDEX would exceed
            s.execute("SET statement_timeout = 0");
            s.execute("SET lock_timeout = 0");
            s.execute("SET default_transaction_read_only = off"); // a carried setting must not stop the repair
            List<Collation> all = collations(s, version, o);
            Map<Long, Collation> risky = new LinkedHashMap<>();
            for (Collation col : all) {
                if (col.state() != State.SAME) {
                    risky.put(col.oid(), col);
                }
            }
            if (!risky.isEmpty()) {
                PgIndexRebuild.run(s, db, version, risky, o, out);
            }
            refresh(s, db, all, out);
        }
        return out;
    }

    /**
     * Refreshes the recorded version of databases that take no connections (template0) where it differs: from 15 a
     * CREATE DATABASE from a template whose version differs is refused. They hold no user indexes.
     */
    static void refreshUnconnectable(Connection c, int version, Outcome out) throws SQLException {
        if (version < 150000) {
            return;
        }
        List<String[]> stale = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT datname, datcollversion, "
                + "pg_database_collation_actual_version(oid) FROM pg_database WHERE NOT datallowconn")) {
            while (r.next()) {
                if (r.getString(2) != null && r.getString(3) != null && !r.getString(2).equals(r.getString(3))) {
                    stale.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String[] d : stale) {
                s.execute("ALTER DATABASE " + PgRestoreTarget.ident(d[0]) + " REFRESH COLLATION VERSION");
                out.refreshed.add(d[0] + " (" + d[1] + " → " + d[2] + ")");
            }
        }
    }

    /** The database's default collation and the named ones that a column or an index uses, judged. */
    static List<Collation> collations(Statement s, int version, Options o) throws SQLException {
        List<Collation> out = new ArrayList<>();
        String defaults = version >= 150000 ? "SELECT datlocprovider::text, datcollate, "
                + (version >= 170000 ? "datlocale" : "daticulocale") + ", datcollversion, "
                + "pg_database_collation_actual_version(oid) FROM pg_database WHERE datname = current_database()"
                : "SELECT 'c', datcollate::text, NULL, NULL, NULL FROM pg_database WHERE datname = current_database()";
        try (ResultSet r = s.executeQuery(defaults)) {
            if (r.next()) {
                String provider = r.getString(1);
                String locale = provider.equals("c") ? r.getString(2) : r.getString(3);
                out.add(judge(DEFAULT_COLLATION, "", provider, locale, r.getString(4), r.getString(5), o));
            }
        }
        String name = version >= 130000 ? "c.oid::regcollation::text"
                : "quote_ident(n.nspname) || '.' || quote_ident(c.collname)";
        String versions = version >= 100000 ? "c.collprovider::text, c.collversion, pg_collation_actual_version(c.oid)"
                : "'c', NULL, NULL";
        // only those in use (an index key or a column): an ICU build carries thousands of collations, and judging
        // each unused one cost seconds for nothing (measured: ~2,700, 2.3 s)
        try (ResultSet r = s.executeQuery("SELECT c.oid, " + name + ", " + versions + ", c.collcollate::text "
                + "FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace WHERE c.oid <> "
                + DEFAULT_COLLATION + " AND c.oid IN (SELECT unnest(indcollation::oid[]) FROM pg_index UNION "
                + "SELECT attcollation FROM pg_attribute WHERE attcollation <> 0 AND attnum > 0) ORDER BY 2")) {
            while (r.next()) {
                out.add(judge(r.getLong(1), r.getString(2), r.getString(3), r.getString(6), r.getString(4),
                        r.getString(5), o));
            }
        }
        return out;
    }

    /** The state of one collation: by its recorded and actual versions, else by what is known of the library. */
    static Collation judge(long oid, String name, String provider, String locale, String recorded, String actual,
                           Options o) {
        String p = provider == null || provider.equals("d") ? "c" : provider;
        if (p.equals("b") || p.equals("c") && codePointOrder(locale)) {
            return new Collation(oid, name, p, locale, recorded, actual, State.SAME, "compares code points");
        }
        if (recorded != null && actual != null) {
            boolean same = recorded.equals(actual);
            return new Collation(oid, name, p, locale, recorded, actual, same ? State.SAME : State.CHANGED,
                    same ? "version " + actual + " then and now" : "version " + recorded + " → " + actual);
        }
        State s;
        String why;
        if (p.equals("c")) {
            s = o.libcUnrecorded();
            why = "no version recorded; " + (o.libcWhy() == null ? "the C library was not compared" : o.libcWhy());
        } else {
            s = State.UNKNOWN;
            why = "no version recorded";
        }
        if (s == State.UNKNOWN && !o.checkUnknown()) {
            s = State.SAME;
        }
        return new Collation(oid, name, p, locale, recorded, actual, s, why);
    }

    /** C, POSIX and C.UTF-8 sort by bytes / code points, whatever the C library's version. */
    static boolean codePointOrder(String locale) {
        return locale == null || locale.isEmpty() || locale.equals("C") || locale.equals("POSIX")
                || locale.matches("(?i)C\\.utf-?8");
    }

    /** ALTER DATABASE / COLLATION ... REFRESH where both versions are known and differ (PostgreSQL refuses otherwise). */
    private static void refresh(Statement s, String db, List<Collation> all, Outcome out) throws SQLException {
        for (Collation col : all) {
            if (col.recorded() == null || col.actual() == null || col.recorded().equals(col.actual())) {
                continue;
            }
            if (col.isDefault()) {
                s.execute("ALTER DATABASE " + PgRestoreTarget.ident(db) + " REFRESH COLLATION VERSION");
                out.refreshed.add(db + " (" + col.recorded() + " → " + col.actual() + ")");
            } else {
                s.execute("ALTER COLLATION " + col.name() + " REFRESH VERSION");
                out.refreshed.add(db + "." + col.name() + " (" + col.recorded() + " → " + col.actual() + ")");
            }
        }
    }
}
