package io.dbrescue.mysql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.run.Poll;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.Exec;
import io.dbrescue.run.Failures;
import io.dbrescue.run.ServerProcess;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.run.TypedStep;

import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The steps of the in-place upgrade ({@link MySqlUpgradePlan}):
 * <ul>
 * <li>{@code mysql-upgrade-copy} (program, baseDir, pluginDir, dataDir, serverSocket, runAs, settings, counts, log,
 * the login to prove as the target connection; argv = the upgrade program or empty): the target's server on
 * the copy (private socket, no network, --skip-grant-tables), counts and checksums written to counts, the
 * upgrade program, then the server again with its grant tables, the login tried, counts and checksums
 * compared; the server is stopped in every case;</li>
 * <li>{@code mysql-target-stop} (service or pid, start, runAs, dataDir, connection): stops the target; undo
 * starts it again;</li>
 * <li>{@code mysql-target-start} (service or start = its command line, runAs, dataDir, connection): starts it
 * the way it ran and waits until dbrescue can log in; undo stops it;</li>
 * <li>{@code mysql-upgrade-verify} (counts, connection): counts and checksums through the target's socket.</li>
 * </ul>
 */
final class MySqlUpgradeSteps {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MySqlUpgradeSteps() {
    }

    static Map<String, StepExecutor> all() {
        return Map.of("mysql-upgrade-copy", new UpgradeCopy(), "mysql-target-stop", new TargetStop(),
                "mysql-target-start", new TargetStart(), "mysql-upgrade-verify", new Verify());
    }

    /**
     * {@code mysql-upgrade-copy}: the target's server program (with baseDir and pluginDir) on the copy in dataDir, on
     * the private serverSocket, as runAs, with the old server's settings (one a line), its log in log; counts and
     * checksums to counts; argv: the upgrade program (empty when the server upgrades on start); the login is the
     * target's, tried on the copy. mariadb: whether the server is MariaDB (for the reader of the plan).
     */
    record MySqlUpgradeCopy(MySqlSteps.Login login, Path program, Path baseDir, Path pluginDir, Path dataDir,
                            Path serverSocket, String runAs, String settings, Path counts, boolean mariadb, Path log,
                            List<String> argv) implements StepParams {
        @Override
        public String kind() {
            return "mysql-upgrade-copy";
        }

        /** The server's command line on the copy: its own socket, no network, grant tables skipped or not. */
        List<String> serverArgv(boolean skipGrants) {
            List<String> a = new ArrayList<>(List.of(program.toString(), "--no-defaults", "--basedir=" + baseDir,
                    "--plugin-dir=" + pluginDir, "--datadir=" + dataDir, "--socket=" + serverSocket, "--skip-networking",
                    "--pid-file=" + dataDir.resolve("dbrescue-upgrade.pid"), "--log-error=" + log));
            a.addAll(MySqlMoveSteps.lines(settings));
            if (skipGrants) {
                a.add("--skip-grant-tables");
            }
            return a;
        }

        /** root over the private socket: the server on the copy runs without its grant tables. */
        MySqlClient admin(io.dbrescue.run.Secrets secrets) {
            return new MySqlClient(login.clientBin(), null, null, serverSocket.toString(), "root", secrets);
        }
    }

    /**
     * The target server as it ran and is started again: its systemd service, or its own command line (start, one
     * argument a line) as runAs; dataDir is its data directory.
     */
    record TargetServer(String service, Path dataDir, String start, String runAs) implements StepParams.Inline {
        List<String> startArgv() {
            return MySqlMoveSteps.lines(start);
        }
    }

    /**
     * {@code mysql-target-stop}: the target stopped (its service, or the process pid); argv says so for the preview
     * (systemctl stop, or kill -TERM pid); undo starts it again and waits for the login.
     */
    record MySqlTargetStop(MySqlSteps.Login login, TargetServer target, long pid, List<String> argv)
            implements StepParams {
        @Override
        public String kind() {
            return "mysql-target-stop";
        }
    }

    /** {@code mysql-target-start}: argv (systemctl start, or its own command line) run; undo stops it. */
    record MySqlTargetStart(MySqlSteps.Login login, TargetServer target, List<String> argv) implements StepParams {
        @Override
        public String kind() {
            return "mysql-target-start";
        }
    }

    /** {@code mysql-upgrade-verify}: counts and checksums through the login against those in counts. */
    record MySqlUpgradeVerify(MySqlSteps.Login login, Path counts) implements StepParams {
        @Override
        public String kind() {
            return "mysql-upgrade-verify";
        }
    }

    /** Every user table's row count and CHECKSUM TABLE: database → table → [rows, checksum]. */
    static Map<String, Map<String, List<String>>> fingerprint(MySqlClient c) throws Exception {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        List<String> dbs = c.query("SHOW DATABASES").stream().map(r -> r[0])
                .filter(d -> !MySqlPlanner.SYSTEM.contains(d)).toList();
        for (String db : dbs) {
            Map<String, Long> counts = MySqlMoveSteps.counts(c, db);
            Map<String, List<String>> tables = new LinkedHashMap<>();
            if (!counts.isEmpty()) {
                String all = String.join(", ", counts.keySet().stream()
                        .map(t -> MySqlClient.ident(db) + "." + MySqlClient.ident(t)).toList());
                for (String[] r : c.query("CHECKSUM TABLE " + all)) {
                    String table = r[0].substring(r[0].indexOf('.') + 1);
                    tables.put(table, List.of(String.valueOf(counts.get(table)), r[1]));
                }
            }
            out.put(db, tables);
        }
        return out;
    }

    /** What differs between two fingerprints, in words (empty: nothing). */
    static List<String> differences(Map<String, Map<String, List<String>>> before,
                                    Map<String, Map<String, List<String>>> after) {
        List<String> d = new ArrayList<>();
        before.forEach((db, tables) -> tables.forEach((t, v) -> {
            List<String> now = after.getOrDefault(db, Map.of()).get(t);
            if (now == null) {
                d.add(db + "." + t + " is missing");
            } else if (!now.get(0).equals(v.get(0))) {
                d.add(db + "." + t + ": " + v.get(0) + " rows before, " + now.get(0) + " after");
            } else if (!Objects.equals(now.get(1), v.get(1))) {
                d.add(db + "." + t + ": CHECKSUM TABLE " + v.get(1) + " before, " + now.get(1) + " after");
            }
        }));
        return d;
    }

    static long tables(Map<String, Map<String, List<String>>> f) {
        return f.values().stream().mapToLong(Map::size).sum();
    }

    /** Starts the target's program on the copy on a private socket, and waits until it answers there. */
    static void startOnCopy(MySqlUpgradeCopy p, StepContext ctx, boolean skipGrants) throws Exception {
        Files.deleteIfExists(p.serverSocket());
        MySqlClient c = skipGrants ? p.admin(ctx.secrets())
                : p.login().client(ctx.secrets()).onSocket(p.serverSocket().toString());
        start(p.serverArgv(skipGrants), p.runAs(), p.log(), c, ctx,
                "The target's server program would not start on the copy of the old data");
    }

    /**
     * Starts a server through {@link ServerProcess} (no shell, a session of its own, as runAs) and waits (up to 5
     * minutes) until the client logs in; a server that ends first, or a login that is refused once the server
     * answers, fails with the log's last lines.
     */
    static void start(List<String> argv, String runAs, Path log, MySqlClient c, StepContext ctx, String what)
            throws Exception {
        StepFailure[] refused = new StepFailure[1];
        try {
            ServerProcess.of(argv).as(runAs).log(log).timeout(java.time.Duration.ofMinutes(5))
                    .readyWhen(p -> loggedIn(c, refused)).start(ctx);
        } catch (ServerProcess.NotReady e) {
            String tail = io.dbrescue.text.Lines.lastText(e.logTail(), 10);
            String fix = tail.contains("Upgrade after a crash is not supported")
                    ? "The old server was not shut down cleanly: use --upgrade-method dump (the old version in a "
                    + "container recovers the data first). The target was not changed; the backup is untouched."
                    : "Read the lines above (the whole log: " + log + "). The target was not changed; the backup is "
                    + "untouched.";
            throw new StepFailure("server-start", what + ". Its log's last lines:\n  " + tail.replace("\n", "\n  "),
                    fix);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                throw Failures.missingProgram(argv.get(0), null);
            }
            throw e;
        }
        if (refused[0] != null) {
            throw refused[0];
        }
    }

    /** Ready when the login works; a refused login (not a server still starting) ends the wait too, as a failure. */
    private static boolean loggedIn(MySqlClient c, StepFailure[] refused) throws IOException {
        if (c.socket() != null && !Files.exists(Path.of(c.socket()))) {
            return false;
        }
        try {
            c.query("SELECT 1");
            return true;
        } catch (StepFailure f) {
            if ("unreachable".equals(f.kind())) {
                return false;
            }
            refused[0] = f;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Stops a server through its pid file in its data directory (SIGTERM: a clean shutdown) and waits for it. */
    static void stopByPidFile(Path data) throws Exception {
        ProcessHandle h = MySqlSteps.livePid(data);
        if (h != null) {
            h.destroy();
            h.onExit().get(5, TimeUnit.MINUTES);
        }
    }

    static final class UpgradeCopy implements TypedStep<MySqlUpgradeCopy> {
        @Override
        public void run(MySqlUpgradeCopy p, Step step, StepContext ctx) throws Exception {
            Path data = p.dataDir();
            startOnCopy(p, ctx, true);
            Map<String, Map<String, List<String>>> before;
            try {
                before = fingerprint(p.admin(ctx.secrets()));
                JSON.writeValue(p.counts().toFile(), before);
                ctx.log("The copy holds " + tables(before) + " tables; counts and checksums taken.");
                upgrade(p.argv(), ctx);
            } finally {
                stopByPidFile(data);
            }
            MySqlClient login = p.login().client(ctx.secrets()).onSocket(p.serverSocket().toString());
            try {
                startOnCopy(p, ctx, false); // with its grant tables, as it will run: the login must work
            } catch (StepFailure f) {
                stopByPidFile(data);
                throw "auth".equals(f.kind()) ? new StepFailure("login", "After the upgrade dbrescue could not log in "
                        + "to the upgraded data the way it logs in to the target now (" + login.user()
                        + " over the socket): " + f.getMessage() + " The target was not touched.", "The old data's "
                        + "accounts do not let this login in: give --target-user and its password (~/.my.cnf) that "
                        + "the old server knew, or use --upgrade-method dump.") : f;
            }
            try {
                ctx.log("Logged in to the upgraded copy as " + login.user() + " the way dbrescue logs in to the target.");
                List<String> d = differences(before, fingerprint(login));
                if (!d.isEmpty()) {
                    throw new StepFailure("verify", "After the upgrade the copy does not hold the same rows:\n  "
                            + String.join("\n  ", d.subList(0, Math.min(10, d.size()))), "Read the run log; the target "
                            + "was not changed, the backup is untouched.");
                }
            } finally {
                stopByPidFile(data);
            }
            Files.deleteIfExists(p.serverSocket());
        }

        private static void upgrade(List<String> argv, StepContext ctx) throws Exception {
            if (argv.isEmpty()) {
                return;
            }
            Exec.Result r;
            try {
                r = Exec.of(argv).timeout(ctx.timeout()).run(ctx);
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                    throw Failures.missingProgram(argv.get(0), null);
                }
                throw e;
            }
            for (String line : (r.stdoutTail() + "\n" + r.stderrTail()).split("\n")) {
                if (!line.isBlank()) {
                    ctx.log(line.strip());
                }
            }
            if (!r.ok()) {
                throw Failures.of("The upgrade of the system tables (" + Path.of(argv.get(0)).getFileName() + ")", r);
            }
        }

        @Override
        public void undo(MySqlUpgradeCopy p, Step step, StepContext ctx) throws Exception {
            stopByPidFile(p.dataDir());
        }
    }

    static final class TargetStop implements TypedStep<MySqlTargetStop> {
        @Override
        public void run(MySqlTargetStop p, Step step, StepContext ctx) throws Exception {
            String service = p.target().service();
            if (service != null) {
                systemctl(ctx, "stop", service);
                return;
            }
            long pid = p.pid();
            ProcessHandle h = ProcessHandle.of(pid).orElse(null);
            if (h != null && h.isAlive()) {
                h.destroy(); // SIGTERM: mariadbd and mysqld shut down cleanly on it
                try {
                    h.onExit().get(5, TimeUnit.MINUTES);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new StepFailure("server-stop", "The target server (pid " + pid + ") did not stop within 5 "
                            + "minutes.", "Stop it by hand (systemctl stop mariadb) and resume the run.");
                }
            }
            ctx.log("Stopped the target server (pid " + pid + ").");
        }

        @Override
        public void undo(MySqlTargetStop p, Step step, StepContext ctx) throws Exception {
            MySqlClient c = p.login().client(ctx.secrets());
            if (c.socket() != null && Files.exists(Path.of(c.socket()))) {
                try {
                    c.query("SELECT 1");
                    return; // it runs
                } catch (StepFailure f) {
                    // not answering: start it
                }
            }
            startTarget(p.target(), c, step, ctx);
        }
    }

    static final class TargetStart implements TypedStep<MySqlTargetStart> {
        @Override
        public void run(MySqlTargetStart p, Step step, StepContext ctx) throws Exception {
            startTarget(p.target(), p.login().client(ctx.secrets()), step, ctx);
        }

        @Override
        public void undo(MySqlTargetStart p, Step step, StepContext ctx) throws Exception {
            String service = p.target().service();
            if (service != null) {
                systemctl(ctx, "stop", service);
            } else {
                MySqlClient c = p.login().client(ctx.secrets());
                try {
                    c.query("SHUTDOWN"); // its pid file may be anywhere (Debian: /run/mysqld); SQL reaches it
                } catch (StepFailure f) {
                    stopByPidFile(p.target().dataDir());
                }
                // gone when its socket is
                Poll.until(ctx, Duration.ofMinutes(5), Duration.ofMillis(100),
                        () -> c.socket() == null || !Files.exists(Path.of(c.socket())));
            }
        }
    }

    /** Starts the target as it ran (its service, or its own command line as its OS user) and waits for the login. */
    static void startTarget(TargetServer t, MySqlClient c, Step step, StepContext ctx) throws Exception {
        if (t.service() != null) {
            systemctl(ctx, "start", t.service());
            awaitLogin(c, ctx, "The " + t.service() + " service did not come back");
            return;
        }
        Path out = ctx.runDir().resolve("mariadbd-" + step.id() + ".log");
        start(t.startArgv(), t.runAs(), out, c, ctx, "The target server would not start again");
        ctx.report("server", "started again by dbrescue with its own command line (output: " + out + ")");
    }

    /** Waits (up to 5 minutes) until the client logs in to a server dbrescue did not start itself (a service). */
    private static void awaitLogin(MySqlClient c, StepContext ctx, String what) throws Exception {
        StepFailure[] refused = new StepFailure[1];
        if (!Poll.until(ctx, Duration.ofMinutes(5), Duration.ofMillis(250), () -> loggedIn(c, refused))) {
            throw new StepFailure("server-start", what + " within 5 minutes.", "Look at its log (journalctl -u "
                    + "mariadb) and start it by hand; the run can be resumed.");
        }
        if (refused[0] != null) {
            throw refused[0];
        }
    }

    private static void systemctl(StepContext ctx, String verb, String service) throws Exception {
        Exec.Result r = Exec.of(List.of("systemctl", verb, service)).run(ctx);
        if (!r.ok()) {
            throw Failures.of("systemctl " + verb + " " + service, r);
        }
    }

    static final class Verify implements TypedStep<MySqlUpgradeVerify> {
        @Override
        public void run(MySqlUpgradeVerify p, Step step, StepContext ctx) throws Exception {
            Map<String, Map<String, List<String>>> before = JSON.readValue(p.counts().toFile(),
                    new TypeReference<Map<String, Map<String, List<String>>>>() { });
            MySqlClient c = p.login().client(ctx.secrets());
            Map<String, Map<String, List<String>>> after = fingerprint(c);
            List<String> d = differences(before, after);
            if (!d.isEmpty()) {
                throw new StepFailure("verify", "After the upgrade the target does not hold the same rows as the old "
                        + "data:\n  " + String.join("\n  ", d.subList(0, Math.min(10, d.size()))),
                        "The target is put back on its safety copy; read the run log.");
            }
            long rows = before.values().stream().flatMap(m -> m.values().stream())
                    .mapToLong(v -> Long.parseLong(v.get(0))).sum();
            ctx.report("tablesCompared", tables(before));
            ctx.report("rowsCompared", rows);
            ctx.report("checksumsCompared", tables(before));
            ctx.report("server", c.serverVersion().product() + " " + c.serverVersion().version() + " at " + c.where());
            ctx.log("Row counts and CHECKSUM TABLE match in all " + tables(before) + " tables (" + rows + " rows).");
        }
    }
}
