package io.dbrescue.mysql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.run.Poll;
import io.dbrescue.plan.Step;
import io.dbrescue.run.Exec;
import io.dbrescue.run.Failures;
import io.dbrescue.run.ServerProcess;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;

import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
    static void startOnCopy(Step step, StepContext ctx, boolean skipGrants) throws Exception {
        Path data = Path.of(step.param("dataDir"));
        Path socket = Path.of(step.param("serverSocket"));
        Files.deleteIfExists(socket);
        List<String> argv = new ArrayList<>(List.of(step.param("program"), "--no-defaults",
                "--basedir=" + step.param("baseDir"), "--plugin-dir=" + step.param("pluginDir"), "--datadir=" + data,
                "--socket=" + socket, "--skip-networking", "--pid-file=" + data.resolve("dbrescue-upgrade.pid"),
                "--log-error=" + step.param("log")));
        String settings = step.param("settings", "");
        if (!settings.isEmpty()) {
            argv.addAll(Arrays.asList(settings.split("\n")));
        }
        if (skipGrants) {
            argv.add("--skip-grant-tables");
        }
        MySqlClient c = skipGrants
                ? new MySqlClient(clientBin(step), null, null, socket.toString(), "root", ctx.secrets())
                : MySqlClient.from(step, ctx.secrets()).onSocket(socket.toString());
        start(argv, step.param("runAs", null), Path.of(step.param("log")), c, ctx,
                "The target's server program would not start on the copy of the old data");
    }

    private static Path clientBin(Step step) {
        String bin = step.params().get("clientBin");
        return bin == null ? null : Path.of(bin);
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

    static final class UpgradeCopy implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            Path data = Path.of(step.param("dataDir"));
            Path socket = Path.of(step.param("serverSocket"));
            MySqlClient admin = new MySqlClient(clientBin(step), null, null, socket.toString(), "root", ctx.secrets());
            startOnCopy(step, ctx, true);
            Map<String, Map<String, List<String>>> before;
            try {
                before = fingerprint(admin);
                JSON.writeValue(Path.of(step.param("counts")).toFile(), before);
                ctx.log("The copy holds " + tables(before) + " tables; counts and checksums taken.");
                upgrade(step, ctx);
            } finally {
                stopByPidFile(data);
            }
            try {
                startOnCopy(step, ctx, false); // with its grant tables, as it will run: the login must work
            } catch (StepFailure f) {
                stopByPidFile(data);
                throw "auth".equals(f.kind()) ? new StepFailure("login", "After the upgrade dbrescue could not log in "
                        + "to the upgraded data the way it logs in to the target now ("
                        + MySqlClient.from(step, ctx.secrets()).user()
                        + " over the socket): " + f.getMessage() + " The target was not touched.", "The old data's "
                        + "accounts do not let this login in: give --target-user and its password (~/.my.cnf) that "
                        + "the old server knew, or use --upgrade-method dump.") : f;
            }
            try {
                MySqlClient login = MySqlClient.from(step, ctx.secrets()).onSocket(socket.toString());
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
            Files.deleteIfExists(socket);
        }

        private static void upgrade(Step step, StepContext ctx) throws Exception {
            if (step.argv().isEmpty()) {
                return;
            }
            Exec.Result r;
            try {
                r = Exec.of(step.argv()).timeout(ctx.timeout()).run(ctx);
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                    throw Failures.missingProgram(step.argv().get(0), null);
                }
                throw e;
            }
            for (String line : (r.stdoutTail() + "\n" + r.stderrTail()).split("\n")) {
                if (!line.isBlank()) {
                    ctx.log(line.strip());
                }
            }
            if (!r.ok()) {
                throw Failures.of("The upgrade of the system tables (" + Path.of(step.argv().get(0)).getFileName() + ")", r);
            }
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            stopByPidFile(Path.of(step.param("dataDir")));
        }
    }

    static final class TargetStop implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            String service = step.params().get("service");
            if (service != null) {
                systemctl(ctx, "stop", service);
                return;
            }
            long pid = Long.parseLong(step.param("pid"));
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
        public void undo(Step step, StepContext ctx) throws Exception {
            MySqlClient c = MySqlClient.from(step, ctx.secrets());
            if (c.socket() != null && Files.exists(Path.of(c.socket()))) {
                try {
                    c.query("SELECT 1");
                    return; // it runs
                } catch (StepFailure f) {
                    // not answering: start it
                }
            }
            startTarget(step, ctx);
        }
    }

    static final class TargetStart implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            startTarget(step, ctx);
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            String service = step.params().get("service");
            if (service != null) {
                systemctl(ctx, "stop", service);
            } else {
                MySqlClient c = MySqlClient.from(step, ctx.secrets());
                try {
                    c.query("SHUTDOWN"); // its pid file may be anywhere (Debian: /run/mysqld); SQL reaches it
                } catch (StepFailure f) {
                    stopByPidFile(Path.of(step.param("dataDir")));
                }
                // gone when its socket is
                Poll.until(ctx, Duration.ofMinutes(5), Duration.ofMillis(100),
                        () -> c.socket() == null || !Files.exists(Path.of(c.socket())));
            }
        }
    }

    /** Starts the target as it ran (its service, or its own command line as its OS user) and waits for the login. */
    static void startTarget(Step step, StepContext ctx) throws Exception {
        String service = step.params().get("service");
        MySqlClient c = MySqlClient.from(step, ctx.secrets());
        if (service != null) {
            systemctl(ctx, "start", service);
            awaitLogin(c, ctx, "The " + service + " service did not come back");
            return;
        }
        List<String> argv = Arrays.asList(step.param("start").split("\n"));
        Path out = ctx.runDir().resolve("mariadbd-" + step.id() + ".log");
        start(argv, step.param("runAs", null), out, c, ctx, "The target server would not start again");
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

    static final class Verify implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            Map<String, Map<String, List<String>>> before = JSON.readValue(Path.of(step.param("counts")).toFile(),
                    new TypeReference<Map<String, Map<String, List<String>>>>() { });
            MySqlClient c = MySqlClient.from(step, ctx.secrets());
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
