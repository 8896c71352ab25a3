package io.dbrescue.postgres.restore;

import java.util.Map;

/**
 * Settings that a newer PostgreSQL no longer accepts: a postgresql.conf that still sets one stops the server
 * at start ("unrecognized configuration parameter"). Measured, not copied from release notes: every name any
 * of the versions 9.6, 10, 11, 12, 14, 15, 16, 17 and 18 knows was given to each version's
 * {@code postgres -c NAME=0 -C NAME} (zonky's builds and Debian's 15), and a name counts as removed in the
 * first version that answers "unrecognized configuration parameter"; 13 (not at hand) from its release notes,
 * as are the pre-9.6 removals. Values a newer version refuses are listed apart ({@link #value}).
 */
final class PgRemovedSettings {
    /** What became of a setting. */
    record Gone(String removedIn, String renamedTo, String note) {
    }

    private static final Map<String, Gone> GONE = Map.ofEntries(
            Map.entry("checkpoint_segments", new Gone("9.5", null, "replaced by max_wal_size in 9.5")),
            Map.entry("unix_socket_directory", new Gone("9.3", "unix_socket_directories", "renamed in 9.3")),
            Map.entry("krb_srvname", new Gone("9.4", null, "Kerberos 5 logins were removed in 9.4")),
            Map.entry("krb_caseins_users", new Gone("9.4", null, "Kerberos 5 logins were removed in 9.4")),
            Map.entry("custom_variable_classes", new Gone("9.2", null, "not needed since 9.2")),
            Map.entry("silent_mode", new Gone("9.2", null, "removed in 9.2")),
            Map.entry("add_missing_from", new Gone("9.0", null, "removed in 9.0")),
            Map.entry("regex_flavor", new Gone("9.0", null, "removed in 9.0")),
            Map.entry("min_parallel_relation_size", new Gone("10", "min_parallel_table_scan_size", "renamed in 10")),
            Map.entry("sql_inheritance", new Gone("10", null, "removed in 10")),
            Map.entry("replacement_sort_tuples", new Gone("11", null, "removed in 11")),
            Map.entry("wal_keep_segments", new Gone("13", "wal_keep_size", "replaced by wal_keep_size in 13")),
            Map.entry("operator_precedence_warning", new Gone("14", null, "removed in 14")),
            Map.entry("vacuum_cleanup_index_scale_factor", new Gone("14", null, "removed in 14")),
            Map.entry("stats_temp_directory", new Gone("15", null, "statistics live in shared memory since 15")),
            Map.entry("force_parallel_mode", new Gone("16", "debug_parallel_query", "renamed in 16")),
            Map.entry("promote_trigger_file", new Gone("16", null, "removed in 16: use pg_ctl promote")),
            Map.entry("vacuum_defer_cleanup_age", new Gone("16", null, "removed in 16")),
            Map.entry("db_user_namespace", new Gone("17", null, "removed in 17")),
            Map.entry("old_snapshot_threshold", new Gone("17", null, "removed in 17")),
            Map.entry("trace_recovery_messages", new Gone("17", null, "removed in 17")));

    private PgRemovedSettings() {
    }

    /**
     * What happened to the setting by the new major ("9.6", "15"), or null when that one takes it. The old major
     * does not matter: a file that sets a name the new version refuses must change, whoever wrote it.
     */
    static Gone gone(String name, String oldMajor, String newMajor) {
        Gone g = GONE.get(name);
        return g != null && number(newMajor) >= number(g.removedIn()) ? g : null;
    }

    /**
     * A value the new version refuses, in the form it takes instead (null: keep it; "" : turn the setting off).
     * wal_keep_segments counts 16 MB segments; wal_keep_size wants the size.
     */
    static String value(String name, String value, String newMajorText) {
        int newMajor = number(newMajorText) / 10;
        String v = value.toLowerCase(java.util.Locale.ROOT);
        if (name.equals("password_encryption") && newMajor >= 14 && (v.equals("on") || v.equals("true"))) {
            return "md5"; // "on" meant md5
        }
        if (name.equals("password_encryption") && newMajor >= 14 && (v.equals("off") || v.equals("false"))) {
            return ""; // plain-text storage is gone: the default (scram-sha-256) applies
        }
        if (name.equals("default_with_oids") && newMajor >= 12 && (v.equals("on") || v.equals("true"))) {
            return ""; // tables WITH OIDS are gone
        }
        return null;
    }

    /** wal_keep_segments = N as wal_keep_size (N segments of 16 MB). */
    static String walKeepSize(String segments) {
        try {
            return Long.parseLong(segments.strip()) * 16 + "MB";
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "9.6" → 96, "15" → 150: comparable across the two numbering schemes; 0 when unknown. */
    static int number(String major) {
        if (major == null) {
            return 0;
        }
        String[] p = major.strip().split("\\.");
        try {
            int first = Integer.parseInt(p[0]);
            return first < 10 ? first * 10 + (p.length > 1 ? Integer.parseInt(p[1]) : 0) : first * 10;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
