package io.dbrescue.postgres.restore;

import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.CopyTree;
import io.dbrescue.run.Exec;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.run.TypedStep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
 * REFRESH VERSION), by {@link PgCollations} as the direct path does; extensions updated to the new version's default ({@link PgExtensionUpdate}: PostGIS with
 * postgis_extensions_upgrade(), the others with ALTER EXTENSION ... UPDATE).</li>
 * </ul>
 */
final class PgUpgradeSteps {
    private PgUpgradeSteps() {
    }

    static Map<String, StepExecutor> all() {
        return Map.of("pg-initdb", new InitDb(), "pg-upgrade", new Upgrade(), "pg-post-upgrade", new PostUpgrade());
    }

    /** {@code pg-initdb}: argv (initdb) makes the cluster dir, run as runAs (this user when absent) in workDir. */
    record PgInitDb(List<String> argv, Path dir, String runAs, Path workDir) implements StepParams {
        @Override
        public String kind() {
            return "pg-initdb";
        }
    }

    /**
     * {@code pg-upgrade}: argv (pg_upgrade, with --check when check) from the copy old into the cluster newCluster
     * (key "new"), run as runAs in workDir; localAuth: the local logins' method once pg_upgrade is done with trust.
     */
    record PgUpgrade(List<String> argv, boolean check, Path old, @Key("new") Path newCluster, String runAs,
                     Path workDir, String localAuth) implements StepParams {
        @Override
        public String kind() {
            return "pg-upgrade";
        }
    }

    /** {@code pg-post-upgrade}: collations and extensions of databases on the login's (new) server. */
    record PgPostUpgrade(PgRestoreTarget.Login login, List<String> databases) implements StepParams {
        @Override
        public String kind() {
            return "pg-post-upgrade";
        }
    }

    private static Exec.Result run(List<String> argv, String runAs, Path workDir, StepContext ctx, String what)
            throws Exception {
        Exec.Result r;
        try {
            r = Exec.of(argv).as(runAs).dir(workDir).timeout(ctx.timeout()).run(ctx);
        } catch (java.io.IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                throw new StepFailure("missing-binary", what + ": " + argv.get(0) + " cannot be run.",
                        PgRestoreTools.installHint(Path.of(argv.get(0)).getFileName().toString(), null), e);
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

    static final class InitDb implements TypedStep<PgInitDb> {
        @Override
        public void run(PgInitDb p, Step step, StepContext ctx) throws Exception {
            CopyTree.delete(p.dir());
            Exec.Result r = PgUpgradeSteps.run(p.argv(), p.runAs(), p.workDir(), ctx, "initdb");
            if (!r.ok()) {
                throw new StepFailure("initdb", "initdb could not make the new cluster. It said:\n  "
                        + String.join("\n  ", tail(r, 8)), "A locale the old cluster used may be missing here "
                        + "(locale -a lists them; Debian: sudo dpkg-reconfigure locales). The backup is untouched.");
            }
        }

        @Override
        public void undo(PgInitDb p, Step step, StepContext ctx) throws Exception {
            CopyTree.delete(p.dir());
        }
    }

    static final class Upgrade implements TypedStep<PgUpgrade> {
        @Override
        public void run(PgUpgrade p, Step step, StepContext ctx) throws Exception {
            boolean check = p.check();
            Exec.Result r = PgUpgradeSteps.run(p.argv(), p.runAs(), p.workDir(), ctx, "pg_upgrade");
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
                noMoreTrust(p);
            }
        }

        /**
         * pg_upgrade is done with its socket logins: no more trust in the new cluster's own pg_hba.conf. The rules it
         * runs with are the old cluster's, written by the pg-config step before it starts; this only keeps a cluster
         * left half-way (a run stopped between the two) from letting every local user in.
         */
        private static void noMoreTrust(PgUpgrade p) throws java.io.IOException {
            String localAuth = p.localAuth();
            if (localAuth != null) {
                Path hba = p.newCluster().resolve("pg_hba.conf");
                List<String> lines = Files.readAllLines(hba).stream()
                        .map(l -> l.startsWith("local") ? l.replaceAll("\\btrust\\s*$", localAuth) : l).toList();
                Files.write(hba, lines);
            }
        }

        @Override
        public void undo(PgUpgrade p, Step step, StepContext ctx) throws Exception {
            if (p.check()) {
                return;
            }
            CopyTree.delete(p.newCluster());
            Path old = p.old().resolve("global");
            if (Files.exists(old.resolve("pg_control.old")) && !Files.exists(old.resolve("pg_control"))) {
                Files.move(old.resolve("pg_control.old"), old.resolve("pg_control"));
            }
        }
    }

    static final class PostUpgrade implements TypedStep<PgPostUpgrade> {
        @Override
        public void run(PgPostUpgrade p, Step step, StepContext ctx) throws Exception {
            PgRestoreTarget t = p.login().target(ctx.secrets());
            List<String> reindexed = new ArrayList<>();
            List<String> refreshed = new ArrayList<>();
            List<String> updated = new ArrayList<>();
            int version;
            try {
                version = t.serverVersionNum();
            } catch (SQLException e) {
                throw t.failure(e);
            }
            for (String db : p.databases() == null ? List.<String>of() : p.databases()) {
                try (Connection c = t.connect(db); Statement s = c.createStatement()) {
                    // collations whose recorded version changed: their indexes rebuilt, the versions refreshed
                    PgCollations.Outcome o = PgCollations.inDatabase(c, db, version, PgCollations.Options.afterUpgrade());
                    reindexed.addAll(o.rebuilt);
                    refreshed.addAll(o.refreshed);
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
    }

    static List<String> tail(Exec.Result r, int n) {
        return io.dbrescue.text.Lines.last(r.stdoutTail() + "\n" + r.stderrTail(), n);
    }
}
