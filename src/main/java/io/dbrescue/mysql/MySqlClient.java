package io.dbrescue.mysql;

import io.dbrescue.run.Exec;
import io.dbrescue.run.Failures;
import io.dbrescue.run.Secrets;
import io.dbrescue.run.StepFailure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How dbrescue talks to a MariaDB / MySQL server: through its own client programs (mariadb /
 * mysql, mariadb-admin, mariadb-dump), over TCP or a unix socket. The password is never on a command
 * line: the client reads it from MYSQL_PWD (from the run's {@link Secrets}: the window's password field or
 * dbrescue's environment) or from the user's ~/.my.cnf.
 *
 * @param clientBin folder of the client programs (null: search the usual places)
 * @param host      host for TCP (null when a socket is used)
 * @param port      port for TCP
 * @param socket    unix socket (null for TCP)
 * @param user      database user
 * @param secrets   where MYSQL_PWD comes from (never part of a step: see {@link MySqlSteps.Login})
 */
public record MySqlClient(Path clientBin, String host, Integer port, String socket, String user, Secrets secrets) {
    static final List<Path> USUAL_BINS = List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"),
            Path.of("/usr/local/bin"), Path.of("/usr/local/mysql/bin"));
    private static final Pattern VERSION = Pattern.compile("\\bVer\\s+(\\d+\\.\\d+(?:\\.\\d+)?)(\\S*)");

    /** The same login over another unix socket. */
    MySqlClient onSocket(String path) {
        return new MySqlClient(clientBin, null, null, path, user, secrets);
    }

    String where() {
        return socket != null ? "socket " + socket : host + ":" + port;
    }

    /** A program of the client tools: mariadb-X first, then mysql-X / mysqlX. */
    static Path program(Path preferredDir, String... names) {
        List<Path> dirs = new ArrayList<>();
        if (preferredDir != null) {
            dirs.add(preferredDir);
            dirs.add(preferredDir.resolve("bin"));
            if (preferredDir.getParent() != null) {
                dirs.add(preferredDir.getParent().resolve("bin"));
            }
        }
        dirs.addAll(USUAL_BINS);
        for (String name : names) {
            for (Path d : dirs) {
                Path p = d.resolve(name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    Path client() {
        return program(clientBin, "mariadb", "mysql");
    }

    Path admin() {
        return program(clientBin, "mariadb-admin", "mysqladmin");
    }

    Path dumper() {
        return program(clientBin, "mariadb-dump", "mysqldump");
    }

    /**
     * Connection options for any of the client programs. Over a unix socket MariaDB's clients are told not to
     * verify a server certificate: since 11.4 they do by default, and then refuse a server without TLS ("SSL is
     * required, but the server does not support it") although a local socket needs no TLS at all.
     */
    List<String> connection() {
        List<String> a = new ArrayList<>();
        if (socket != null) {
            a.add("--socket=" + socket);
            if (mariaDbTools()) {
                a.add("--ssl-verify-server-cert=0");
            }
        } else {
            a.add("--host=" + host);
            a.add("--port=" + port);
            a.add("--protocol=TCP");
        }
        a.add("--user=" + user);
        return a;
    }

    /** Whether the client programs are MariaDB's (their options differ from MySQL's). */
    boolean mariaDbTools() {
        Path c = client();
        if (c == null) {
            return false;
        }
        try {
            return c.toRealPath().getFileName().toString().startsWith("mariadb");
        } catch (IOException e) {
            return c.getFileName().toString().startsWith("mariadb");
        }
    }

    /**
     * Runs SQL given on standard input (statements that carry password hashes never go on a command line) and
     * returns the rows; throws on failure.
     */
    List<String[]> script(String sql) throws StepFailure, IOException, InterruptedException {
        List<String> argv = clientArgv();
        argv.addAll(List.of("--batch", "--skip-column-names", "--raw"));
        Output o = Output.run(argv, 300, sql, secrets);
        if (o.exit() != 0) {
            throw Failures.of("Talking to the MariaDB/MySQL server at " + where(), o.result());
        }
        return rows(o.stdout());
    }

    private static List<String[]> rows(String stdout) {
        List<String[]> rows = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    /** argv of the interactive client with the connection; more arguments follow. */
    List<String> clientArgv() throws StepFailure {
        Path c = client();
        if (c == null) {
            throw Failures.missingProgram("mariadb (the MariaDB/MySQL client)",
                    "Install the client: apt install mariadb-client (Debian/Ubuntu), dnf install mariadb (Fedora), "
                            + "pacman -S mariadb-clients (Arch); or give its folder with --target-bin.");
        }
        List<String> a = new ArrayList<>(List.of(c.toString()));
        a.addAll(connection());
        return a;
    }

    /** Runs one or more statements and returns the rows (tab-separated columns); throws on failure. */
    List<String[]> query(String sql) throws StepFailure, IOException, InterruptedException {
        List<String> argv = clientArgv();
        argv.addAll(List.of("--batch", "--skip-column-names", "--raw", "-e", sql));
        Output o = Output.run(argv, 120, null, secrets);
        if (o.exit() != 0) {
            throw Failures.of("Talking to the MariaDB/MySQL server at " + where(), o.result());
        }
        return rows(o.stdout());
    }

    /** "10.11.19-MariaDB" → MARIADB 10.11.19. */
    record ServerVersion(boolean mariadb, String version) {
        String major() {
            String[] p = version.split("\\.");
            return p.length < 2 ? p[0] : p[0] + "." + p[1];
        }

        String product() {
            return mariadb ? "MariaDB" : "MySQL";
        }

        /** What SELECT VERSION() says: "11.4.5-MariaDB-log", "8.0.36". */
        static ServerVersion parse(String v) {
            Matcher m = Pattern.compile("(\\d+\\.\\d+(?:\\.\\d+)?)").matcher(v);
            return new ServerVersion(v.toLowerCase(java.util.Locale.ROOT).contains("mariadb"), m.find() ? m.group(1) : v);
        }
    }

    ServerVersion serverVersion() throws StepFailure, IOException, InterruptedException {
        return ServerVersion.parse(query("SELECT VERSION()").get(0)[0]);
    }

    /** The server program's own version ("mariadbd --version"); null when it does not answer. */
    static ServerVersion programVersion(Path server) {
        try {
            Output o = Output.run(List.of(server.toString(), "--version"), 30, null, Secrets.NONE);
            Matcher m = VERSION.matcher(o.stdout() + o.stderr());
            if (o.exit() == 0 && m.find()) {
                String text = o.stdout() + o.stderr();
                return new ServerVersion(text.toLowerCase().contains("mariadb"), m.group(1));
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }

    /** Whether something accepts TCP connections there (read-only probe). */
    static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Quotes an identifier for SQL: `name` with backticks doubled. */
    static String ident(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** Quotes a string literal for SQL. */
    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** The full output of a short program run (queries, versions). The password goes in as MYSQL_PWD. */
    record Output(List<String> argv, int exit, String stdout, String stderr) {
        /** Runs a program that logs in to no server (a version, a service's state). */
        static Output run(List<String> argv, int timeoutSeconds) throws IOException, InterruptedException {
            return run(argv, timeoutSeconds, null, Secrets.NONE);
        }

        /** Runs the program with this text on its standard input (null: none), MYSQL_PWD from {@code secrets}. */
        static Output run(List<String> argv, int timeoutSeconds, String stdin, Secrets secrets)
                throws IOException, InterruptedException {
            Exec e = Exec.of(argv).env("MYSQL_PWD", secrets.get("MYSQL_PWD"))
                    .keepStdout(64 << 20).timeout(java.time.Duration.ofSeconds(timeoutSeconds));
            if (stdin != null) {
                e.stdin(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), n -> { });
            }
            Exec.Result r = e.run(null);
            return new Output(argv, r.exitCode(), r.stdout(), r.stderrTail());
        }

        Exec.Result result() {
            return new Exec.Result(argv, exit, tail(stdout), tail(stderr), 0);
        }

        private static String tail(String s) {
            return io.dbrescue.text.Lines.lastText(s, 20);
        }
    }
}
