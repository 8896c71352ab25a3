package io.dbrescue.postgres;

import io.dbrescue.plan.Step;
import io.dbrescue.run.CopyTree;
import io.dbrescue.run.Exec;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The steps of the pg_upgrade path:
 * <ul>
 * <li>{@code pg-initdb} (argv, dir, [runAs], workDir): the new cluster (a half-made one from an
 * interrupted attempt is deleted first); undo deletes it;</li>
 * <li>{@code pg-upgrade} (argv, check, old, new, [runAs], workDir): pg_upgrade, every line of its output in
 * the live log; {@code --check} changes nothing; undo of the real run deletes the new cluster and makes
 * the copy usable again (pg_upgrade --link renames its global/pg_control to pg_control.old);</li>
 * <li>{@code pg-post-upgrade} (host, port, user, databases): per database, collation versions compared
 * with what the C library / ICU of the new server provide — where they changed, the indexes that use
 * such a collation are rebuilt (REINDEX) and the version refreshed (ALTER DATABASE / COLLATION ...
 * REFRESH VERSION); extensions updated to the new version's default ({@link PgExtensionUpdate}: PostGIS with
 * postgis_extensions_upgrade(), the others with ALTER EXTENSION ... UPDATE).</li>
 * </ul>
 */
final class PgUpgradeSteps {
    private PgUpgradeSteps() {
    }

    static Map<String, StepExecutor> all() {
        return Map.of("pg-initdb", new InitDb(), "pg-upgrade", new Upgrade(), "pg-post-upgrade", new PostUpgrade());
    }

    private static Exec.Result run(Step step, StepContext ctx, String what) throws Exception {
        Exec.Result r;
        try {
            r = Exec.of(step.argv()).as(step.param("runAs", null)).dir(Path.of(step.param("workDir")))
                    .timeout(ctx.timeout()).run(ctx);
        } catch (java.io.IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                throw new StepFailure("missing-binary", what + ": " + step.argv().get(0) + " cannot be run.",
                        PgRestoreTools.installHint(Path.of(step.argv().get(0)).getFileName().toString(), null), e);
            }
            throw e;
        }
        for (String line : (r.stdoutTail() + "\n" + r.stderrTail()).split("\n")) {
            if (!line.isBlank()) {
                ctx.log(line.strip());
            }
        }
        return r;
    }

    static final class InitDb implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            CopyTree.delete(Path.of(step.param("dir")));
            Exec.Result r = PgUpgradeSteps.run(step, ctx, "initdb");
            if (!r.ok()) {
                throw new StepFailure("initdb", "initdb could not make the new cluster. It said:\n  "
                        + String.join("\n  ", tail(r, 8)), "A locale the old cluster used may be missing here "
                        + "(locale -a lists them; Debian: sudo dpkg-reconfigure locales). The backup is untouched.");
            }
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            CopyTree.delete(Path.of(step.param("dir")));
        }
    }

    static final class Upgrade implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            boolean check = Boolean.parseBoolean(step.param("check"));
            Exec.Result r = PgUpgradeSteps.run(step, ctx, "pg_upgrade");
            List<String> said = tail(r, 25);
            if (check) {
                ctx.report("pgUpgradeCheck", String.join("\n", said));
            }
            if (!r.ok()) {
                String text = String.join("\n", said);
                String fix = text.contains("could not load library") || text.contains("loadable_libraries")
                        ? "Install the extensions' packages for the new version (the list is in loadable_libraries.txt in "
                        + "the new cluster's pg_upgrade_output.d), then run again."
                        : "Read pg_upgrade's lines above (its logs are in the new cluster's pg_upgrade_output.d); or use "
                        + "--upgrade-method dump. The target was not touched; the backup is untouched.";
                throw new StepFailure(check ? "pg-upgrade-check" : "pg-upgrade", (check ? "pg_upgrade --check" : "pg_upgrade")
                        + " failed. It said:\n  " + String.join("\n  ", said), fix);
            }
            if (!check) {
                keepLogins(step, ctx);
            }
        }

        /**
         * pg_upgrade is done with its socket logins: no more trust. The new cluster gets the logins the target had —
         * its own pg_hba.conf and pg_ident.conf, read now, before the target is touched — so that whoever logged in
         * before (the owner by peer, roles with passwords over TCP) still does; without them, local peer.
         */
        private static void keepLogins(Step step, StepContext ctx) throws java.io.IOException {
            Path cluster = Path.of(step.param("new"));
            String owner = step.param("owner", null);
            String hbaFrom = step.param("hbaFrom", null);
            if (hbaFrom != null && Files.isReadable(Path.of(hbaFrom))) {
                copyConfig(Path.of(hbaFrom), cluster.resolve("pg_hba.conf"), owner);
                String identFrom = step.param("identFrom", null);
                if (identFrom != null && Files.isReadable(Path.of(identFrom))) {
                    copyConfig(Path.of(identFrom), cluster.resolve("pg_ident.conf"), owner);
                }
                ctx.log("The new cluster keeps the target's logins: its pg_hba.conf (" + hbaFrom + ")"
                        + (identFrom != null ? " and pg_ident.conf" : "") + ".");
                return;
            }
            String localAuth = step.param("localAuth", null);
            if (localAuth != null) {
                Path hba = cluster.resolve("pg_hba.conf");
                List<String> lines = Files.readAllLines(hba).stream()
                        .map(l -> l.startsWith("local") ? l.replaceAll("\\btrust\\s*$", localAuth) : l).toList();
                Files.write(hba, lines);
            }
        }

        private static void copyConfig(Path from, Path to, String owner) throws java.io.IOException {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            PgDirectSteps.chown(to, owner);
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            if (Boolean.parseBoolean(step.param("check"))) {
                return;
            }
            CopyTree.delete(Path.of(step.param("new")));
            Path old = Path.of(step.param("old")).resolve("global");
            if (Files.exists(old.resolve("pg_control.old")) && !Files.exists(old.resolve("pg_control"))) {
                Files.move(old.resolve("pg_control.old"), old.resolve("pg_control"));
            }
        }
    }

    static final class PostUpgrade implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            PgRestoreTarget t = PgRestoreSteps.target(step, ctx);
            List<String> reindexed = new ArrayList<>();
            List<String> refreshed = new ArrayList<>();
            List<String> updated = new ArrayList<>();
            for (String db : PgRestoreSteps.list(step, "databases")) {
                try (Connection c = t.connect(db); Statement s = c.createStatement()) {
                    // the database's default collation
                    String dbVersion = null;
                    String actual = null;
                    try (ResultSet r = s.executeQuery("SELECT datcollversion, pg_database_collation_actual_version(oid) "
                            + "FROM pg_database WHERE datname = current_database()")) {
                        if (r.next()) {
                            dbVersion = r.getString(1);
                            actual = r.getString(2);
                        }
                    }
                    if (dbVersion != null && actual != null && !dbVersion.equals(actual)) {
                        reindexed.addAll(reindex(s, db, "100"));
                        s.execute("ALTER DATABASE " + PgRestoreTarget.ident(db) + " REFRESH COLLATION VERSION");
                        refreshed.add(db + " (" + dbVersion + " → " + actual + ")");
                    }
                    // named collations (ICU, libc) whose version changed
                    List<String[]> stale = new ArrayList<>();
                    // only those in use (an index key or a column): an ICU build carries thousands of collations,
                    // and refreshing each unused one cost seconds for nothing (measured: ~2,700, 2.3 s)
                    try (ResultSet r = s.executeQuery("SELECT oid, oid::regcollation::text, collversion, "
                            + "pg_collation_actual_version(oid) FROM pg_collation WHERE collversion IS NOT NULL "
                            + "AND oid IN (SELECT unnest(indcollation::oid[]) FROM pg_index UNION "
                            + "SELECT attcollation FROM pg_attribute WHERE attcollation <> 0 AND attnum > 0) "
                            + "AND collversion IS DISTINCT FROM pg_collation_actual_version(oid)")) {
                        while (r.next()) {
                            stale.add(new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4)});
                        }
                    }
                    for (String[] coll : stale) {
                        reindexed.addAll(reindex(s, db, coll[0]));
                        s.execute("ALTER COLLATION " + coll[1] + " REFRESH VERSION");
                        refreshed.add(db + "." + coll[1] + " (" + coll[2] + " → " + coll[3] + ")");
                    }
                    // extensions: up to the new version's default (PostGIS by its own postgis_extensions_upgrade())
                    updated.addAll(PgExtensionUpdate.update(s, db));
                } catch (SQLException e) {
                    throw t.failure(e);
                }
            }
            ctx.report("collationsRefreshed", refreshed.isEmpty() ? "none changed" : refreshed);
            ctx.report("indexesRebuilt", reindexed.size());
            ctx.report("extensionsUpdated", updated);
            ctx.log(refreshed.isEmpty() ? "Collation versions: unchanged, no index needs rebuilding."
                    : "Collation versions changed (" + String.join(", ", refreshed) + "): rebuilt " + reindexed.size()
                    + " index(es).");
        }

        /** REINDEX of the user indexes with a key column of this collation (100: the database default). */
        private static List<String> reindex(Statement s, String db, String collationOid) throws SQLException {
            List<String> names = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT DISTINCT i.indexrelid::regclass::text FROM pg_index i "
                    + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
                    + "AND " + Long.parseLong(collationOid) + " = ANY (i.indcollation::oid[])")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            for (String index : names) {
                s.execute("REINDEX INDEX " + index);
            }
            return names.stream().map(n -> db + "." + n).toList();
        }
    }

    static List<String> tail(Exec.Result r, int n) {
        return io.dbrescue.container.ContainerSteps.lastLines(r.stdoutTail() + "\n" + r.stderrTail(), n);
    }
}
