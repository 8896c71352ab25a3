package io.dbrescue.postgres.restore;

import io.dbrescue.postgres.scan.PgCatalogFacts;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.Exec;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.TypedStep;
import io.dbrescue.run.StepFailure;
import io.dbrescue.scan.Finding;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clusters made by Debian 12's PostgreSQL 15.20 carry the column option {@code pg_attver=N} on every column
 * (pg_attribute.attoptions); Debian 13's 17.12 writes it too (on its own catalog views as well). PostgreSQL as others
 * build it does not know it: pg_dump 16+ writes it out as {@code ALTER TABLE ...
 * ALTER COLUMN ... SET (pg_attver=...)}, which the new server refuses, and pg_upgrade stops on "unrecognized
 * parameter". The scan finds such databases in the backup's catalog files ({@link PgCatalogFacts#PG_ATTVER_DETAIL});
 * the {@code pg-clean-attver} step removes the option — and only it, other column options stay — from the columns
 * of user relations (OID 16384 and up) on dbrescue's working copy, never the backup:
 * <ul>
 * <li>mode {@code server} (host, port, user, databases): through the old server in its container, before
 * pg_dump reads it;</li>
 * <li>mode {@code single} (argv with DATABASE, databases, [runAs], workDir): {@code postgres --single} of the
 * old version per database on the copy, before pg_upgrade — fed the statements on stdin (there is no server
 * to log in to yet; it ends with a clean shutdown, as pg_upgrade wants).</li>
 * </ul>
 * Upstream PostgreSQL 15 (which the container images run) opens such a cluster and reads it normally; it
 * ignores the option, and an UPDATE of pg_attribute is not re-stamped by it (nor by Debian's 15.20).
 */
final class PgAttver {
    private static final String WHERE = "attrelid >= 16384 AND attoptions::text LIKE '%pg\\_attver=%'";
    /** One line each: single-user mode ends a statement at the line's end. */
    static final String COUNT = "SELECT count(*) AS dbrescue_attver FROM pg_catalog.pg_attribute WHERE " + WHERE;
    static final String CLEAN = "UPDATE pg_catalog.pg_attribute SET attoptions = (SELECT array_agg(o ORDER BY n) "
            + "FROM unnest(attoptions) WITH ORDINALITY AS u(o, n) WHERE o NOT LIKE 'pg\\_attver=%') WHERE " + WHERE;
    private static final Pattern COUNTED = Pattern.compile("dbrescue_attver = \"(\\d+)\"");

    private PgAttver() {
    }

    /**
     * {@code pg-clean-attver}: mode server (host, port, user: the old server; sql for the reader of the plan) or
     * single (argv with DATABASE, runAs, workDir), for each of databases.
     */
    record PgCleanAttver(List<String> argv, String mode, String host, Integer port, String user, List<String> databases,
                         String sql, String runAs, Path workDir) implements StepParams {
        @Override
        public String kind() {
            return "pg-clean-attver";
        }

        /** postgres --single for one database. */
        List<String> argv(String database) {
            return argv.stream().map(a -> a.equals("DATABASE") ? database : a).toList();
        }
    }

    /** The databases whose columns carry pg_attver (from the scan), empty when none does. */
    static List<String> databases(Finding f) {
        List<String> out = new ArrayList<>();
        if (f.getDetails().get(PgCatalogFacts.PG_ATTVER_DETAIL) instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    private static void explain(PlanContext ctx, List<String> dbs, String how) {
        ctx.pass("pg-attver", "The old cluster was made by Debian's PostgreSQL 15.20 or later: the columns in "
                + String.join(", ", dbs) + " carry the option pg_attver, which newer PostgreSQL refuses. dbrescue removes "
                + "it " + how + " (dbrescue's copy only; the backup is not touched).");
    }

    /** The dump path: cleaned through the running old server, before anything is dumped. */
    static void planOnServer(PlanContext ctx, Finding f, String port, String superuser) {
        List<String> dbs = databases(f);
        if (dbs.isEmpty()) {
            return;
        }
        explain(ctx, dbs, "through the old server before pg_dump reads it");
        ctx.step(new PgCleanAttver(List.of(), "server", "127.0.0.1", Integer.valueOf(port), superuser, dbs, CLEAN, null,
                        null), "Remove the column option pg_attver (Debian 15.20) on the copy: " + String.join(", ", dbs))
                .reads("the old server").writes("pg_attribute of the copy (the backup is not touched)").add();
    }

    /**
     * The pg_upgrade path: single-user mode of the old version on the copy, per database, before pg_upgrade.
     *
     * @param argv postgres --single -D COPY DATABASE (here, or in the upgrade image), DATABASE replaced per database
     */
    static void planSingleUser(PlanContext ctx, Finding f, List<String> argv, String runAs, Path workDir) {
        List<String> dbs = databases(f);
        if (dbs.isEmpty()) {
            return;
        }
        explain(ctx, dbs, "before pg_upgrade, with the old version's postgres --single on the copy");
        ctx.step(new PgCleanAttver(argv, "single", null, null, null, dbs, null, runAs, workDir),
                        "Remove the column option pg_attver (Debian 15.20) on the copy: " + String.join(", ", dbs)
                        + " (postgres --single, statements on stdin: " + CLEAN + ")")
                .writes("pg_attribute of the copy (the backup is not touched)").add();
    }

    static final class Clean implements TypedStep<PgCleanAttver> {
        @Override
        public void run(PgCleanAttver p, Step step, StepContext ctx) throws Exception {
            long total = 0;
            for (String db : p.databases() == null ? List.<String>of() : p.databases()) {
                long n = p.mode().equals("single") ? single(p, ctx, db) : onServer(p, db, ctx);
                ctx.log("Removed pg_attver from " + n + " column(s) in " + db + ".");
                total += n;
            }
            ctx.report("pgAttverColumnsCleaned", total);
        }

        private static long onServer(PgCleanAttver p, String db, StepContext ctx) throws StepFailure {
            PgRestoreTarget old = new PgRestoreTarget(p.host(), p.port(), p.user(), ctx.secrets());
            try (Connection c = old.connect(db); Statement s = c.createStatement()) {
                return s.executeUpdate(CLEAN);
            } catch (SQLException e) {
                throw old.failure(e);
            }
        }

        private static long single(PgCleanAttver p, StepContext ctx, String db) throws Exception {
            List<String> argv = p.argv(db);
            String sql = COUNT + "\n" + CLEAN + "\n" + COUNT.replace("dbrescue_attver", "dbrescue_attver_left") + "\n";
            Exec.Result r = Exec.of(argv).as(p.runAs()).dir(p.workDir())
                    .stdin(new ByteArrayInputStream(sql.getBytes(StandardCharsets.UTF_8)), n -> { })
                    .timeout(ctx.timeout()).run(ctx);
            String out = r.stdoutTail() + "\n" + r.stderrTail();
            Matcher before = COUNTED.matcher(out);
            Matcher left = Pattern.compile("dbrescue_attver_left = \"(\\d+)\"").matcher(out);
            boolean error = out.lines().anyMatch(l -> l.contains("ERROR:") || l.contains("FATAL:") || l.contains("PANIC:"));
            if (!r.ok() || error || !before.find() || !left.find() || !left.group(1).equals("0")) {
                throw new StepFailure("pg-attver", "Removing the column option pg_attver from " + db + " on the copy "
                        + "(postgres --single) did not work. It said:\n  " + String.join("\n  ",
                        io.dbrescue.text.Lines.last(out, 10)), "Read the lines above; use --upgrade-method "
                        + "dump instead. The backup is untouched, the target was not touched.");
            }
            return Long.parseLong(before.group(1));
        }
    }
}
