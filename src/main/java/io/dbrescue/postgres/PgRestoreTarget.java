package io.dbrescue.postgres;

import io.dbrescue.run.StepFailure;

import java.net.ConnectException;
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
 * in. The password is never held here: it is read from PGPASSWORD at the moment of connecting, and
 * otherwise the JDBC driver reads ~/.pgpass (or PGPASSFILE) itself.
 */
record PgRestoreTarget(String host, int port, String user) {
    /** The environment variable whose value is the password (passed by name, never copied into a plan). */
    static final String PASSWORD_ENV = "PGPASSWORD";

    String where() {
        return user + "@" + host + ":" + port;
    }

    Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        String password = io.dbrescue.run.Secrets.get(PASSWORD_ENV);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "dbrescue");
        p.setProperty("sslmode", "prefer");
        String url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8);
        return DriverManager.getConnection(url, p);
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
        if (state.equals("28P01") || state.equals("28000") || msg.contains("password authentication failed")
                || msg.contains("no password was provided") || msg.contains("The server requested")) {
            return new StepFailure("auth", "The PostgreSQL server at " + host + ":" + port + " refused the login of user '"
                    + user + "' (" + firstLine(msg) + ").",
                    "Give the right user with --target-user and its password in the environment variable PGPASSWORD or in "
                            + "~/.pgpass (host:port:database:user:password, mode 0600) — never on the command line.", e);
        }
        if (state.startsWith("08") || hasCause(e, ConnectException.class)) {
            return new StepFailure("unreachable", "No PostgreSQL server answers at " + host + ":" + port + " ("
                    + firstLine(msg) + ").",
                    "Start the server (e.g. sudo systemctl start postgresql) or point dbrescue at it with --target-host and "
                            + "--target-port.", e);
        }
        String localeFix = PgStartFailure.localeFix(msg);
        if (localeFix != null) {
            return new StepFailure("locale-missing", "PostgreSQL at " + host + ":" + port + " cannot open the database: "
                    + msg.strip().replace("\n", " "), localeFix, e);
        }
        if (state.equals("3D000")) {
            return new StepFailure("missing-database", "The database does not exist on " + host + ":" + port + " ("
                    + firstLine(msg) + ").", "Check the name; dbrescue connects to the 'postgres' database first.", e);
        }
        return new StepFailure("database", "PostgreSQL at " + host + ":" + port + " said: " + firstLine(msg)
                + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")"), "Read the message above; the log has details.", e);
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
