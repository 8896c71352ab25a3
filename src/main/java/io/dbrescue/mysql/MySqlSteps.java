package io.dbrescue.mysql;

import io.dbrescue.run.Poll;
import io.dbrescue.text.Lines;
import io.dbrescue.plan.Destination;
import io.dbrescue.plan.Destinations;
import io.dbrescue.plan.Replacement;
import io.dbrescue.plan.Replacements;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.Secrets;
import io.dbrescue.run.TypedStep;
import io.dbrescue.run.Exec;
import io.dbrescue.run.Failures;
import io.dbrescue.run.ServerProcess;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.scan.Compression;

import java.time.Duration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The MariaDB / MySQL step kinds: stop, start, verify, restore a dump, safety dump, drop, remove. */
final class MySqlSteps {
    private MySqlSteps() {
    }

    static Map<String, StepExecutor> all() {
        return Map.of("mysql-stop", new Stop(), "mysql-start", new Start(), "mysql-verify", new Verify(),
                "mysql-restore", new Restore(), "mysql-safety-dump", new SafetyDump(), "mysql-drop", new Drop());
    }

    /** The systemd unit of MariaDB/MySQL when it is active (mariadb, mysql, mysqld), else null. Read-only. */
    static String activeService() {
        for (String unit : List.of("mariadb", "mysql", "mysqld")) {
            try {
                MySqlClient.Output o = MySqlClient.Output.run(List.of("systemctl", "is-active", unit), 10);
                if (o.exit() == 0 && o.stdout().trim().equals("active")) {
                    return unit;
                }
            } catch (IOException | InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    /** Where dbrescue puts the server's socket: in the data directory unless the path is too long for a socket. */
    static Path socketFor(Path data) {
        Path s = data.toAbsolutePath().resolve("mysqld.sock");
        return s.toString().length() < 100 ? s
                : Path.of("/tmp", "dbrescue-mysqld-" + Integer.toHexString(data.toAbsolutePath().hashCode()) + ".sock");
    }

    static Path pidFile(Path data) {
        return data.toAbsolutePath().resolve("mysqld.pid");
    }

    /** The server process running on this data directory, found through a *.pid file in it. */
    static ProcessHandle livePid(Path data) {
        if (!Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (Stream<Path> s = Files.list(data)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!p.getFileName().toString().endsWith(".pid") || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(Files.readString(p).trim());
                    Optional<ProcessHandle> h = ProcessHandle.of(pid);
                    if (h.isPresent() && h.get().isAlive()) {
                        String cmd = h.get().info().command().orElse("");
                        if (cmd.isEmpty() || cmd.endsWith("mariadbd") || cmd.endsWith("mysqld")) {
                            return h.get();
                        }
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // not a pid file we can read
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Whether a dump names its databases (made with --databases / --all-databases): USE / CREATE DATABASE lines. */
    static boolean namesItsDatabases(Path dump) {
        try (InputStream raw = Files.newInputStream(dump)) {
            byte[] magic = raw.readNBytes(8);
            try (InputStream in = Compression.of(magic).decompress(
                    new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(magic), raw))) {
                byte[] head = in.readNBytes(1 << 20);
                for (String line : new String(head, StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("-- Current Database: `") || line.startsWith("USE `")
                            || line.startsWith("CREATE DATABASE ")) {
                        return true;
                    }
                    if (line.startsWith("CREATE TABLE") || line.startsWith("INSERT INTO")) {
                        return false;
                    }
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * The login a MySQL step uses: its components stand in the step's map under their own names (clientBin, host,
     * port, socket, user).
     */
    record Login(Path clientBin, String host, Integer port, String socket, String user) implements StepParams.Inline {
        static Login of(MySqlClient c) {
            return new Login(c.clientBin(), c.host(), c.port(), c.socket(), c.user());
        }

        MySqlClient client(Secrets secrets) {
            return new MySqlClient(clientBin, host, port, socket, user == null ? "root" : user, secrets);
        }
    }

    /**
     * The login to the old server (in its container) of a step that also logs in to the target: the components of a
     * {@link Login} under names with "old" in front, as the step's map has always had them.
     */
    record OldLogin(Path oldClientBin, String oldHost, Integer oldPort, String oldSocket, String oldUser)
            implements StepParams.Inline {
        static OldLogin of(MySqlClient c) {
            return new OldLogin(c.clientBin(), c.host(), c.port(), c.socket(), c.user());
        }

        MySqlClient client(Secrets secrets) {
            return new MySqlClient(oldClientBin, oldHost, oldPort, oldSocket, oldUser == null ? "root" : oldUser, secrets);
        }
    }

    /**
     * The server a data directory runs on, as dbrescue stops and starts it: the program, its data directory, the port
     * and socket it listens on, the OS user it runs as, or the systemd service that runs it (then the rest is what
     * the service runs).
     */
    record LocalServer(Path server, Path dataDir, int port, Path serverSocket, String runAs, String service)
            implements StepParams.Inline {
        /** The command line that starts the server on its data directory (the planner adds the old settings). */
        List<String> startArgv() {
            return MySqlPlanner.startArgv(new MySqlPlanner.Server(server, null), dataDir, port, serverSocket);
        }
    }

    /**
     * {@code mysql-stop}: the server stopped so that its data directory can be replaced; argv is systemctl stop (a
     * service) or mariadb-admin shutdown over the login that reached it; without the program the server's pid file
     * is used. Undo starts it again.
     */
    record MySqlStop(LocalServer local, List<String> argv) implements StepParams {
        @Override
        public String kind() {
            return "mysql-stop";
        }
    }

    /** {@code mysql-start}: argv (the server on the restored data, or systemctl start) run; undo stops it. */
    record MySqlStart(LocalServer local, List<String> argv) implements StepParams {
        @Override
        public String kind() {
            return "mysql-start";
        }
    }

    /** {@code mysql-verify}: the databases of expect (one a line) listed and their rows counted. */
    record MySqlVerify(Login login, String expect) implements StepParams, StepParams.Verifies {
        @Override
        public String kind() {
            return "mysql-verify";
        }

        /** The server with its client program (by its socket, else over TCP), opening the first database. */
        @Override
        public Destination destination(Step step, String dataDir) {
            List<String> dbs = expect == null ? List.of() : expect.lines().filter(l -> !l.isBlank()).toList();
            String port = login.port() == null ? "3306" : login.port().toString();
            // clientBin is the folder of the client programs (the string-keyed reading took its name: "bin")
            Path program = MySqlClient.program(login.clientBin(), "mariadb", "mysql");
            String client = program == null ? "mariadb" : program.getFileName().toString();
            List<String> argv = new java.util.ArrayList<>(List.of(client));
            if (login.socket() != null) {
                argv.add("--socket=" + login.socket());
            } else {
                argv.addAll(List.of("-h", login.host() == null ? "127.0.0.1" : login.host(), "-P", port));
            }
            if (login.user() != null) {
                argv.addAll(List.of("-u", login.user()));
            }
            if (!dbs.isEmpty()) {
                argv.add(dbs.get(0));
            }
            String on = login.socket() != null ? "the socket " + login.socket() : Destinations.server(login.host(), port);
            return new Destination(step.group(), "MariaDB/MySQL on " + on + Destinations.databases(dbs)
                    + (dataDir == null ? "" : " (data directory " + dataDir + ")"), dataDir, argv, client);
        }
    }

    /**
     * {@code mysql-restore}: dump fed to argv (the client), decompressed as it streams, the databases of leaveOut
     * (one a line) filtered out; createFirst made first when the dump names none; undo drops databases (one a line).
     */
    record MySqlRestore(Login login, Path dump, String databases, String createFirst, String leaveOut,
                        List<String> argv) implements StepParams {
        @Override
        public String kind() {
            return "mysql-restore";
        }
    }

    /** {@code mysql-safety-dump}: argv (the dump program) writes database to file in the run's folder. */
    record MySqlSafetyDump(Login login, String database, String file, List<String> argv)
            implements StepParams, StepParams.Replaces {
        @Override
        public String kind() {
            return "mysql-safety-dump";
        }

        /** The database it keeps before it is dropped, and where its dump goes. */
        @Override
        public Replacement replacement(Step step, Replacements.Where where) {
            return new Replacement(step.group(), "database", database + " on "
                    + Replacements.Where.server(step, login.host(), login.port()),
                    where.runFolder().resolve(file).toString());
        }
    }

    /** {@code mysql-drop}: database dropped once its safety dump (file in the run's folder) is there. */
    record MySqlDrop(Login login, String database, String file, List<String> argv) implements StepParams {
        @Override
        public String kind() {
            return "mysql-drop";
        }
    }

    private static List<String> lines(String v) {
        return v == null || v.isEmpty() ? List.of() : Arrays.asList(v.split("\n"));
    }

    private static void run(String what, List<String> argv, StepContext ctx) throws Exception {
        Exec.Result r;
        try {
            r = Exec.of(argv).env("MYSQL_PWD", ctx.secrets().get("MYSQL_PWD")).run(ctx);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                throw Failures.missingProgram(argv.get(0), null);
            }
            throw e;
        }
        if (!r.ok()) {
            throw Failures.of(what, r);
        }
    }

    /** Waits until nothing answers on the port and the process (if known) is gone. */
    private static void awaitStopped(int port, ProcessHandle pid, StepContext ctx) throws Exception {
        if (!Poll.until(ctx, Duration.ofMinutes(5), Duration.ofMillis(200),
                () -> (pid == null || !pid.isAlive()) && !MySqlClient.accepts("127.0.0.1", port))) {
            throw new StepFailure("server-stop", "The server on port " + port + " did not stop within 5 minutes.",
                    "Stop it by hand (systemctl stop mariadb, or mariadb-admin shutdown) and resume the run.");
        }
    }

    /** Starts mariadbd/mysqld (argv) or the service on the server's data and waits until it answers. */
    static void startServer(LocalServer s, List<String> argv, Step step, StepContext ctx) throws Exception {
        int port = s.port();
        if (s.service() != null) {
            run("Starting the " + s.service() + " service", List.of("systemctl", "start", s.service()), ctx);
            return;
        }
        if (MySqlClient.accepts("127.0.0.1", port)) {
            throw new StepFailure("port-in-use", "Port " + port + " is already in use, so the server cannot start there.",
                    "Stop the program that uses it (ss -ltnp shows which) or choose another port with --target-port.");
        }
        Path log = ctx.runDir().resolve("mariadbd-" + step.id() + ".log");
        try {
            ServerProcess.of(argv).as(s.runAs()).log(log).timeout(java.time.Duration.ofMinutes(5))
                    .readyWhen(p -> MySqlClient.accepts("127.0.0.1", port)).start(ctx);
        } catch (ServerProcess.NotReady e) {
            StepFailure f = Failures.of("Starting " + s.server().getFileName(), new Exec.Result(argv, e.exitCode(), "",
                    Lines.lastText(e.logTail(), 8), 0));
            throw new StepFailure(f.kind(), "The server would not start on the restored data. " + f.getMessage()
                    + "\n(whole log: " + log + ")", f.fix());
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                throw Failures.missingProgram(argv.get(0), null);
            }
            throw e;
        }
        ctx.report("server", "running on 127.0.0.1:" + port + " and " + s.serverSocket() + ", started by dbrescue (log: "
                + log + "); stop it with: mariadb-admin --socket=" + s.serverSocket()
                + " shutdown, or start your service instead");
    }

    /**
     * Stops the server on a data directory: the admin command (mariadb-admin shutdown, when the plan found the
     * program) first, else its pid file (SIGTERM, a clean shutdown).
     */
    static void stopServer(LocalServer s, List<String> admin, StepContext ctx) throws Exception {
        int port = s.port();
        if (s.service() != null) {
            run("Stopping the " + s.service() + " service", List.of("systemctl", "stop", s.service()), ctx);
            return;
        }
        ProcessHandle pid = livePid(s.dataDir());
        boolean stopped = false;
        if (admin != null && !admin.isEmpty() && Path.of(admin.get(0)).isAbsolute()
                && Files.isExecutable(Path.of(admin.get(0)))) {
            Exec.Result r = Exec.of(admin).env("MYSQL_PWD", ctx.secrets().get("MYSQL_PWD")).run(ctx);
            stopped = r.ok();
            if (!stopped && pid == null) {
                throw Failures.of("Stopping the server on port " + port, r);
            }
        }
        if (!stopped && pid != null) {
            pid.destroy(); // SIGTERM: mariadbd / mysqld shut down cleanly on it
        } else if (!stopped && MySqlClient.accepts("127.0.0.1", port)) {
            throw new StepFailure("server-stop", "The server on port " + port + " could not be stopped: no pid file in "
                    + s.dataDir() + " and no mariadb-admin.", "Stop it by hand and resume the run.");
        }
        awaitStopped(port, pid, ctx);
    }

    static final class Stop implements TypedStep<MySqlStop> {
        @Override
        public void run(MySqlStop p, Step step, StepContext ctx) throws Exception {
            stopServer(p.local(), p.argv(), ctx);
        }

        @Override
        public void undo(MySqlStop p, Step step, StepContext ctx) throws Exception {
            LocalServer s = p.local();
            if (!MySqlClient.accepts("127.0.0.1", s.port()) && livePid(s.dataDir()) == null) {
                startServer(s, s.startArgv(), step, ctx);
            }
        }
    }

    static final class Start implements TypedStep<MySqlStart> {
        @Override
        public void run(MySqlStart p, Step step, StepContext ctx) throws Exception {
            startServer(p.local(), p.argv().isEmpty() ? p.local().startArgv() : p.argv(), step, ctx);
        }

        @Override
        public void undo(MySqlStart p, Step step, StepContext ctx) throws Exception {
            stopServer(p.local(), null, ctx);
        }
    }

    static final class Verify implements TypedStep<MySqlVerify> {
        @Override
        public void run(MySqlVerify p, Step step, StepContext ctx) throws Exception {
            MySqlClient c = p.login().client(ctx.secrets());
            Set<String> present = new LinkedHashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    c.query("SHOW DATABASES").forEach(r -> present.add(r[0]));
                    break;
                } catch (StepFailure f) {
                    if (!f.kind().equals("unreachable") || System.nanoTime() > deadline) {
                        throw new StepFailure(f.kind(), "Verification could not log in to the restored server: "
                                + f.getMessage(), f.fix());
                    }
                    Thread.sleep(500);
                }
            }
            List<String> expect = lines(p.expect());
            List<String> missing = expect.stream().filter(d -> !present.contains(d)).toList();
            if (!missing.isEmpty()) {
                throw new StepFailure("verify", "After the restore the server does not list the database(s) "
                        + String.join(", ", missing) + " (it lists " + String.join(", ", present) + ").",
                        "Look at the server's error log; the run was rolled back.");
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String db : expect) {
                List<String> tables = c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                        + MySqlClient.literal(db) + " AND table_type = 'BASE TABLE' ORDER BY table_name")
                        .stream().map(r -> r[0]).toList();
                for (int i = 0; i < tables.size(); i += 50) {
                    List<String> part = tables.subList(i, Math.min(tables.size(), i + 50));
                    StringBuilder sql = new StringBuilder();
                    for (String t : part) {
                        if (sql.length() > 0) {
                            sql.append(" UNION ALL ");
                        }
                        sql.append("SELECT ").append(MySqlClient.literal(t)).append(", COUNT(*) FROM ")
                                .append(MySqlClient.ident(db)).append('.').append(MySqlClient.ident(t));
                    }
                    for (String[] r : c.query(sql.toString())) {
                        counts.put(db + "." + r[0], Long.parseLong(r[1]));
                    }
                }
                ctx.checkCancelled();
            }
            ctx.report("databases", expect);
            ctx.report("rowCounts", counts);
            ctx.log("Verified " + expect.size() + " database(s), " + counts.size() + " table(s), "
                    + counts.values().stream().mapToLong(Long::longValue).sum() + " rows.");
        }
    }

    static final class Restore implements TypedStep<MySqlRestore> {
        @Override
        public void run(MySqlRestore p, Step step, StepContext ctx) throws Exception {
            MySqlClient c = p.login().client(ctx.secrets());
            Path dump = p.dump();
            String create = p.createFirst();
            if (create != null) {
                c.query("CREATE DATABASE " + MySqlClient.ident(create));
            }
            byte[] magic;
            try (InputStream in = Files.newInputStream(dump)) {
                magic = in.readNBytes(8);
            }
            Compression comp = Compression.of(magic);
            Set<String> leaveOut = new LinkedHashSet<>(lines(p.leaveOut()));
            Exec.Result r;
            try (InputStream raw = new io.dbrescue.run.ProgressInputStream(Files.newInputStream(dump), ctx)) {
                InputStream in = comp.decompress(raw);
                if (!leaveOut.isEmpty()) {
                    in = new DumpFilter(in, leaveOut);
                }
                r = Exec.of(p.argv()).env("MYSQL_PWD", ctx.secrets().get("MYSQL_PWD")).stdin(in, n -> { }).run(ctx);
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                    throw Failures.missingProgram(p.argv().get(0), null);
                }
                throw e;
            }
            if (!r.ok()) {
                throw Failures.of("Loading the dump " + dump.getFileName(), r);
            }
            ctx.report("restoredDatabases", lines(p.databases()));
        }

        @Override
        public void undo(MySqlRestore p, Step step, StepContext ctx) throws Exception {
            MySqlClient c = p.login().client(ctx.secrets());
            for (String db : lines(p.databases())) {
                c.query("DROP DATABASE IF EXISTS " + MySqlClient.ident(db));
            }
        }
    }

    static final class SafetyDump implements TypedStep<MySqlSafetyDump> {
        @Override
        public void run(MySqlSafetyDump p, Step step, StepContext ctx) throws Exception {
            Path file = io.dbrescue.settings.PrivateFiles.file(ctx.runDir().resolve(p.file())); // 0600
            Exec.Result r = Exec.of(p.argv()).env("MYSQL_PWD", ctx.secrets().get("MYSQL_PWD")).stdoutTo(file)
                    .run(ctx);
            if (!r.ok()) {
                Files.deleteIfExists(file);
                throw Failures.of("The safety dump of " + p.database(), r);
            }
            ctx.report("safetyDump:" + p.database(), file.toString());
        }

        @Override
        public void undo(MySqlSafetyDump p, Step step, StepContext ctx) throws Exception {
            // the safety dump is kept: it is the way back
        }
    }

    static final class Drop implements TypedStep<MySqlDrop> {
        @Override
        public void run(MySqlDrop p, Step step, StepContext ctx) throws Exception {
            Path file = ctx.runDir().resolve(p.file());
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                throw new StepFailure("safety", "The safety dump " + file + " is missing, so " + p.database()
                        + " is not dropped.", "Run again; dbrescue makes the safety dump first.");
            }
            p.login().client(ctx.secrets()).query("DROP DATABASE " + MySqlClient.ident(p.database()));
        }

        @Override
        public void undo(MySqlDrop p, Step step, StepContext ctx) throws Exception {
            MySqlClient c = p.login().client(ctx.secrets());
            String db = p.database();
            boolean exists = c.query("SHOW DATABASES").stream().anyMatch(r -> r[0].equals(db));
            Path file = ctx.runDir().resolve(p.file());
            if (!exists && Files.isRegularFile(file)) {
                List<String> argv = c.clientArgv();
                argv.add("--binary-mode");
                Exec.Result r = Exec.of(argv).env("MYSQL_PWD", ctx.secrets().get("MYSQL_PWD"))
                        .stdin(Files.newInputStream(file), n -> { }).run(ctx);
                if (!r.ok()) {
                    throw Failures.of("Loading the safety dump of " + db + " back", r);
                }
            }
        }
    }
}
