package io.dbrescue.mysql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.container.ContainerSteps;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.Exec;
import io.dbrescue.run.Failures;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.run.TypedStep;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps that move databases out of an old MariaDB / MySQL server (in a container) into a newer one:
 * <ul>
 * <li>{@code mysql-container-start}: {@link ContainerSteps#start} with a readiness check: over TCP the
 * server's greeting packet (a MariaDB/MySQL server greets every connection once it is ready; Podman's
 * port forwarder accepts earlier but sends nothing), over a unix socket a {@code SELECT 1};</li>
 * <li>{@code mysql-dump-old} (argv = mariadb-dump ... --result-file=FILE --databases ..., file, [counts]): the
 * dump of the user databases from the old server, and every table's row count there (written to counts, so
 * that the old server can go before the load); undo deletes them;</li>
 * <li>{@code mysql-compare} (databases, target connection, oldCounts or old* connection): every table's row count
 * (COUNT(*)) in the new server must match the old server's.</li>
 * </ul>
 * The load itself is {@code mysql-restore} (the dump-restore step), the end check {@code mysql-verify}.
 */
final class MySqlMoveSteps {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MySqlMoveSteps() {
    }

    static Map<String, StepExecutor> all() {
        return Map.of("mysql-container-start", ContainerSteps.start(MySqlContainerStart.class,
                        (p, ctx) -> ready(p.login().client(ctx.secrets()))), "mysql-dump-old", new DumpOld(),
                "mysql-compare", new Compare());
    }

    /**
     * {@code mysql-container-start}: argv (podman run) starts the old server in the container name; it is ready when
     * the login reaches it. holds: the container that a container-stop releases.
     */
    record MySqlContainerStart(MySqlSteps.Login login, List<String> argv, String name, String holds, long readySeconds)
            implements ContainerSteps.Started {
        @Override
        public String kind() {
            return "mysql-container-start";
        }
    }

    /**
     * {@code mysql-dump-old}: argv (mariadb-dump ... --result-file=file --databases ...) dumps the databases (one a
     * line) from the old server the login reaches; their row counts there go to counts (when given).
     */
    record MySqlDumpOld(MySqlSteps.Login login, List<String> argv, Path file, String databases, Path counts)
            implements StepParams {
        @Override
        public String kind() {
            return "mysql-dump-old";
        }
    }

    /**
     * {@code mysql-compare}: the row counts of the databases (one a line) in the login's server against the old
     * server's, read from oldCounts, or (without it) counted through the old login.
     */
    record MySqlCompare(MySqlSteps.Login login, String databases, Path oldCounts, MySqlSteps.OldLogin old)
            implements StepParams {
        @Override
        public String kind() {
            return "mysql-compare";
        }
    }

    /** Whether the old server in the container accepts connections. */
    static boolean ready(MySqlClient c) throws Exception {
        if (c.socket() != null) {
            if (!Files.exists(Path.of(c.socket()))) {
                return false;
            }
            try {
                c.query("SELECT 1");
                return true;
            } catch (StepFailure f) {
                return false;
            }
        }
        String greeting = greeting(c.host(), c.port());
        return greeting != null;
    }

    /**
     * The server version in the greeting packet a MariaDB/MySQL server sends on connect; null when nothing
     * (or not a greeting) arrives yet. An error packet instead (e.g. "Host ... is not allowed") is final.
     */
    static String greeting(String host, int port) throws StepFailure {
        MySqlGreeting.Answer a = MySqlGreeting.read(new InetSocketAddress(host, port), Duration.ofSeconds(2));
        if (a.refusal() != null) {
            throw new StepFailure("server-start", "The old server refuses connections: " + a.refusal(),
                    "Report it with dbrescue --save-debug-log; the backup is untouched.");
        }
        return a.version(); // null: not listening yet, or the port forwarder closed the connection
    }

    static final class DumpOld implements TypedStep<MySqlDumpOld> {
        @Override
        public void run(MySqlDumpOld p, Step step, StepContext ctx) throws Exception {
            Path file = p.file();
            Files.deleteIfExists(file);
            Files.createDirectories(file.getParent());
            Exec.Result r;
            try {
                r = Exec.of(p.argv()).timeout(ctx.timeout()).run(ctx);
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                    throw Failures.missingProgram(p.argv().get(0), null);
                }
                throw e;
            }
            if (!r.ok()) {
                Files.deleteIfExists(file);
                throw Failures.of("Dumping the databases from the old server", r);
            }
            List<String> databases = lines(p.databases());
            if (p.counts() != null) {
                Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
                MySqlClient old = p.login().client(ctx.secrets());
                for (String db : databases) {
                    counts.put(db, counts(old, db));
                    ctx.checkCancelled();
                }
                JSON.writeValue(p.counts().toFile(), counts);
            }
            ctx.report("dumped", databases);
            ctx.log("Dumped " + String.join(", ", databases) + " from the old server (" + Files.size(file) + " bytes).");
        }

        @Override
        public void undo(MySqlDumpOld p, Step step, StepContext ctx) throws Exception {
            Files.deleteIfExists(p.file());
            if (p.counts() != null) {
                Files.deleteIfExists(p.counts());
            }
        }
    }

    static final class Compare implements TypedStep<MySqlCompare> {
        @Override
        public void run(MySqlCompare p, Step step, StepContext ctx) throws Exception {
            Map<String, Map<String, Long>> oldCounts = p.oldCounts() == null ? null
                    : JSON.readValue(p.oldCounts().toFile(), new TypeReference<Map<String, Map<String, Long>>>() { });
            MySqlClient old = oldCounts == null ? p.old().client(ctx.secrets()) : null;
            MySqlClient now = p.login().client(ctx.secrets());
            long tables = 0;
            long rows = 0;
            List<String> differences = new ArrayList<>();
            for (String db : lines(p.databases())) {
                Map<String, Long> before = oldCounts != null ? oldCounts.getOrDefault(db, Map.of()) : counts(old, db);
                Map<String, Long> after = counts(now, db);
                for (Map.Entry<String, Long> t : before.entrySet()) {
                    Long n = after.get(t.getKey());
                    if (n == null) {
                        differences.add(db + "." + t.getKey() + " is missing in the new server");
                    } else if (!n.equals(t.getValue())) {
                        differences.add(db + "." + t.getKey() + ": " + t.getValue() + " rows in the old server, " + n
                                + " in the new one");
                    } else {
                        tables++;
                        rows += n;
                    }
                }
                ctx.checkCancelled();
            }
            ctx.report("tablesCompared", tables);
            ctx.report("rowsCompared", rows);
            if (!differences.isEmpty()) {
                throw new StepFailure("verify", "The new server does not hold the same rows as the old one:\n  "
                        + String.join("\n  ", differences.subList(0, Math.min(10, differences.size()))),
                        "Read the run log; the moved databases were dropped again and the backup is untouched.");
            }
            ctx.log("Row counts match in all " + tables + " tables (" + rows + " rows).");
        }
    }

    /** Exact row counts of every base table of a database (table → rows). */
    static Map<String, Long> counts(MySqlClient c, String db) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        List<String> tables = c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                + MySqlClient.literal(db) + " AND table_type = 'BASE TABLE' ORDER BY table_name")
                .stream().map(r -> r[0]).toList();
        for (int i = 0; i < tables.size(); i += 50) {
            StringBuilder sql = new StringBuilder();
            for (String t : tables.subList(i, Math.min(tables.size(), i + 50))) {
                if (sql.length() > 0) {
                    sql.append(" UNION ALL ");
                }
                sql.append("SELECT ").append(MySqlClient.literal(t)).append(", COUNT(*) FROM ")
                        .append(MySqlClient.ident(db)).append('.').append(MySqlClient.ident(t));
            }
            for (String[] r : c.query(sql.toString())) {
                out.put(r[0], Long.parseLong(r[1]));
            }
        }
        return out;
    }

    /** The names of a parameter written one a line. */
    static List<String> lines(String v) {
        return v == null || v.isEmpty() ? List.of() : Arrays.asList(v.split("\n"));
    }
}
