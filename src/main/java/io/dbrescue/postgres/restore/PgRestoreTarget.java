package io.dbrescue.postgres.restore;

import io.dbrescue.container.ContainerRun;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.Secrets;
import io.dbrescue.run.StepFailure;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A running PostgreSQL server that receives a restore (or is verified): where it listens and who logs
 * in, and how. Over TCP the password is never held here: it is read from the run's {@link Secrets} (PGPASSWORD: the
 * window's password field or dbrescue's environment) at the moment of connecting, and otherwise the JDBC driver
 * reads ~/.pgpass (or PGPASSFILE) itself. Through the server's
 * Unix socket ({@code socketDir}) the login is the distributions' default, peer: the server takes the OS
 * user of the connecting process; when dbrescue runs as root, that is {@code osUser} (the server's owner,
 * usually postgres), reached through a {@link PeerRelay} that runs as that user.
 *
 * @param host      the TCP host (also named in messages when the socket is used)
 * @param port      the port (the socket's name carries it too: .s.PGSQL.PORT)
 * @param user      the database role
 * @param socketDir the server's socket folder, or null for TCP
 * @param osUser    the OS user a root dbrescue connects as through the socket (peer), or null
 * @param secrets   the passwords of the plan or run (PGPASSWORD is read from them when connecting)
 */
record PgRestoreTarget(String host, int port, String user, String socketDir, String osUser, Secrets secrets) {
    /** The environment variable whose value is the password (passed by name, never copied into a plan). */
    static final String PASSWORD_ENV = "PGPASSWORD";
    private static final String SOCKET_FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";

    PgRestoreTarget(String host, int port, String user, Secrets secrets) {
        this(host, port, user, null, null, secrets);
    }

    /** Whether the login goes through the server's Unix socket. */
    boolean socket() {
        return socketDir != null;
    }

    /** Whether a relay running as {@link #osUser} carries the connection (dbrescue is root, the server's user not). */
    boolean relayed() {
        return socket() && osUser != null && !osUser.equals("root") && io.dbrescue.run.OsUsers.isRoot();
    }

    String where() {
        if (socket()) {
            return user + "@" + socketDir + " (port " + port + (osUser != null && relayed()
                    ? ", by peer as the OS user " + osUser + ")" : ")");
        }
        return user + "@" + host + ":" + port;
    }

    /** The host to give client programs ({@code -h}): the socket folder, or the TCP host. */
    String toolHost() {
        return socket() ? socketDir : host;
    }

    /** The folder the client programs and the driver connect to: the relay's, the server's own, or null (TCP). */
    Path connectFolder() throws IOException {
        if (!socket()) {
            return null;
        }
        return relayed() ? PeerRelay.folder(osUser, Path.of(socketDir), port) : Path.of(socketDir);
    }

    /**
     * A client program's argv as it runs: through the relay, every mention of the server's socket folder (the
     * {@code -h} value, a container's {@code -v DIR:DIR}) becomes the relay's folder, which the relay started
     * for this run has; otherwise unchanged. Plans show the server's own folder, which stays true on a resume.
     */
    List<String> toolArgv(List<String> argv) throws IOException {
        if (!relayed()) {
            return argv;
        }
        String relay = connectFolder().toString();
        String mounted = "type=bind," + ContainerRun.csv("src=" + socketDir) + "," + ContainerRun.csv("dst=" + socketDir);
        List<String> out = new ArrayList<>(argv.size());
        for (String a : argv) {
            if (a.equals(socketDir)) {
                out.add(relay);
            } else if (a.equals(socketDir + ":" + socketDir)) { // -v DIR:DIR
                out.add(relay + ":" + relay);
            } else if (a.equals(mounted)) { // --mount type=bind,"src=DIR","dst=DIR" (a folder name -v cannot carry)
                out.add("type=bind," + ContainerRun.csv("src=" + relay) + "," + ContainerRun.csv("dst=" + relay));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The login as step parameters (host, port, user, and socket / peer when the socket is used; passEnv names the
     * password's variable), beside the parameters of the kinds that log in.
     */
    record Login(String host, int port, String user, String socket, String peer, String passEnv)
            implements StepParams.Inline {
        /** The login with the run's passwords. */
        PgRestoreTarget target(Secrets secrets) {
            return new PgRestoreTarget(host, port, user, socket, peer, secrets);
        }
    }

    Login login() {
        return new Login(host, port, user, socketDir, osUser, PASSWORD_ENV);
    }

    Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        String password = secrets.get(PASSWORD_ENV);
        if (password != null && !relayed()) { // peer needs none; a relay's folder belongs to another user
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "dbrescue");
        String url;
        if (socket()) {
            Path folder;
            try {
                folder = connectFolder();
            } catch (IOException e) {
                throw new SQLException("could not reach the server's socket as the OS user " + osUser + ": "
                        + e.getMessage(), "08001", e);
            }
            p.setProperty("socketFactory", SOCKET_FACTORY);
            p.setProperty("socketFactoryArg", folder.resolve(".s.PGSQL." + port).toString());
            p.setProperty("sslmode", "disable");
            url = "jdbc:postgresql://localhost:" + port + "/";
        } else {
            p.setProperty("sslmode", "prefer");
            url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
        }
        return DriverManager.getConnection(url + java.net.URLEncoder.encode(database,
                java.nio.charset.StandardCharsets.UTF_8), p);
    }

    /** The server's version as a number (180001 for 18.1): what the target is, asked of it. */
    int serverVersionNum() throws SQLException {
        return Integer.parseInt(setting("server_version_num").strip());
    }

    /** The server's version ("18.6"). */
    String serverVersion() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SHOW server_version")) {
            r.next();
            return r.getString(1).split(" ")[0];
        }
    }

    /** A server setting (SHOW name), e.g. data_checksums. */
    String setting(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SHOW " + name)) {
            r.next();
            return r.getString(1);
        }
    }

    /** The extensions the server can install (pg_available_extensions). */
    java.util.Set<String> availableExtensions() throws SQLException {
        java.util.Set<String> names = new java.util.HashSet<>();
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT name FROM pg_available_extensions")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }

    /** The databases that accept connections (no templates). */
    List<String> databases() throws SQLException {
        try (Connection c = connect("postgres")) {
            return databases(c);
        }
    }

    static List<String> databases(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }

    List<String> roles() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT rolname FROM pg_roles")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }

    /** A SQL identifier in double quotes. */
    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** Why a connection failed, in words, with the fix. */
    StepFailure failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String msg = String.valueOf(e.getMessage());
        String at = socket() ? "through its socket " + socketDir + " (port " + port + ")" : "at " + host + ":" + port;
        if (state.equals("28P01") || state.equals("28000") || msg.contains("password authentication failed")
                || msg.contains("no password was provided") || msg.contains("The server requested")
                || msg.contains("Peer authentication failed")) {
            String how = relayed() ? " by peer as the OS user " + osUser : socket() ? " as the OS user "
                    + System.getProperty("user.name") : "";
            return new StepFailure("auth", "The PostgreSQL server " + at + " refused the login of user '" + user + "'"
                    + how + " (" + firstLine(msg).replaceAll("\\.$", "") + ").", loginFix(), e);
        }
        if (state.startsWith("08") || hasCause(e, ConnectException.class)) {
            // the driver's own sentence ("...the postmaster is accepting TCP/IP connections") stays in the log
            return new StepFailure("unreachable", "No PostgreSQL server answers " + at + ".",
                    "Start the server (e.g. sudo systemctl start postgresql) or point dbrescue at it with --target-host and "
                            + "--target-port.", e);
        }
        String localeFix = PgStartFailure.localeFix(msg);
        if (localeFix != null) {
            return new StepFailure("locale-missing", "PostgreSQL at " + host + ":" + port + " cannot open the database: "
                    + msg.strip().replace("\n", " "), localeFix, e);
        }
        if (state.equals("3D000")) {
            return new StepFailure("missing-database", "The database does not exist on the server " + at + " ("
                    + firstLine(msg) + ").", "Check the name; dbrescue connects to the 'postgres' database first.", e);
        }
        return new StepFailure("database", "PostgreSQL " + at + " said: " + firstLine(msg)
                + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")"), "Read the message above; the log has details.", e);
    }

    /** What lets dbrescue in: the owner's peer login (root), or a role with its password. */
    static String loginFix() {
        // as a desktop user: a role of their own name, which Debian's peer rule lets in through the socket
        String me = System.getProperty("user.name");
        String asMe = io.dbrescue.run.OsUsers.isRoot() ? "" : "Give yourself a PostgreSQL role once (in a terminal: "
                + "sudo -u postgres createuser --superuser " + me + "): dbrescue then logs in as " + me + " through the "
                + "server's Unix socket, with no password. ";
        return asMe + "Run dbrescue as root (sudo) on the server's machine: it then logs in through the server's Unix socket "
                + "as the OS user that runs it (peer, the distributions' default; no password). Or give a role with "
                + "--target-user and its password in the environment variable PGPASSWORD or in ~/.pgpass "
                + "(host:port:database:user:password, mode 0600) — never on the command line.";
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static boolean hasCause(Throwable t, Class<?> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
