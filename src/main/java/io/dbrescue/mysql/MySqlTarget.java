package io.dbrescue.mysql;

import io.dbrescue.run.OsUsers;
import io.dbrescue.run.StepFailure;
import io.dbrescue.machine.MyCnf;
import io.dbrescue.machine.TargetOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The MariaDB / MySQL server that answers where this system's clients reach it — the target, whatever
 * server programs are installed (an 11.4 server answering on Debian's socket is the target even when the
 * installed mariadbd is 10.11). Found the way the system's own clients find it: --target-host / --target-port
 * when given, else the socket named in the system's option files (Debian: /run/mysqld/mysqld.sock), else the
 * usual sockets, else TCP on 127.0.0.1. Logged in to the way the distribution sets it up: as root over the
 * socket, which Debian lets in by unix_socket without a password; a password from ~/.my.cnf (or MYSQL_PWD)
 * still works, because the client reads the option files as it always does.
 *
 * @param conn      how dbrescue reaches it (and reached it)
 * @param version   what it says it is (SELECT VERSION())
 * @param dataDir   its @@datadir
 * @param baseDir   its @@basedir
 * @param pluginDir its @@plugin_dir
 * @param settings  the settings that decide whether data opens (see {@link MySqlSettings})
 * @param databases its databases (all of them, system ones too)
 * @param process   the server process (from its pid file and /proc), or null when it cannot be seen from here
 */
record MySqlTarget(MySqlClient conn, MySqlClient.ServerVersion version, Path dataDir, Path baseDir, Path pluginDir,
                   MySqlSettings settings, List<String> databases, ServerProcessInfo process) {
    private static final Logger LOG = LoggerFactory.getLogger(MySqlTarget.class);

    /** The sockets distributions use: Debian/Ubuntu/Arch, Fedora/RHEL, the compiled-in default. */
    static final List<Path> USUAL_SOCKETS = List.of(Path.of("/run/mysqld/mysqld.sock"),
            Path.of("/var/run/mysqld/mysqld.sock"), Path.of("/var/lib/mysql/mysql.sock"), Path.of("/tmp/mysql.sock"));
    /** The system's option files (their !include / !includedir are followed). */
    static final List<Path> SYSTEM_CNF = List.of(Path.of("/etc/mysql/my.cnf"), Path.of("/etc/my.cnf"));
    private static final Set<String> CLIENT_SECTIONS = Set.of("client", "client-server", "client-mariadb", "mysql");

    String label() {
        return version.product() + " " + version.version();
    }

    /** "MariaDB 11.4.5 answering on socket /run/mysqld/mysqld.sock (as root)". */
    String describe() {
        return label() + " answering on " + conn.where() + " (as " + conn.user() + ")";
    }

    /** The user databases (system databases left out). */
    List<String> userDatabases() {
        return databases.stream().filter(d -> !MySqlPlanner.SYSTEM.contains(d)).toList();
    }

    /**
     * What was found: the target, or why none answers (with the fix), and the connection that was tried.
     *
     * @param target  the server, or null
     * @param problem why there is none, in the user's words (null when found)
     * @param fix     what to do
     * @param tried   the connection that was tried last (for messages)
     */
    record Found(MySqlTarget target, String problem, String fix, MySqlClient tried) {
        boolean ok() {
            return target != null;
        }
    }

    /** The connections to try, in order: what the user gave, else the system's socket(s), else TCP. */
    static List<MySqlClient> candidates(TargetOptions o, Path clientDir, List<Path> cnfFiles, List<Path> usualSockets,
                                        io.dbrescue.run.Secrets secrets) {
        String user = o.user() != null ? o.user() : "root";
        List<MySqlClient> out = new ArrayList<>();
        if (o.host() != null && o.host().startsWith("/")) {
            // a socket path, as the clients take it
            out.add(new MySqlClient(clientDir, null, null, o.host(), user, secrets));
            return out;
        }
        if (o.host() != null || o.port() != null) {
            out.add(new MySqlClient(clientDir, o.hostOr("127.0.0.1"), o.port() != null ? o.port() : 3306, null, user,
                    secrets));
            return out;
        }
        Set<Path> sockets = new LinkedHashSet<>();
        Integer port = null;
        for (Path cnf : cnfFiles) {
            Map<String, String> client = MyCnf.options(cnf, Path.of("/"), CLIENT_SECTIONS);
            Map<String, String> server = MyCnf.options(cnf, Path.of("/"), MyCnf.serverSections(true, null));
            for (Map<String, String> m : List.of(client, server)) {
                if (m.get("socket") != null && m.get("socket").startsWith("/")) {
                    sockets.add(Path.of(m.get("socket")));
                }
                if (port == null && m.get("port") != null && m.get("port").matches("\\d{1,5}")) {
                    port = Integer.valueOf(m.get("port"));
                }
            }
        }
        sockets.addAll(usualSockets);
        for (Path s : sockets) {
            if (Files.exists(s)) {
                out.add(new MySqlClient(clientDir, null, null, s.toString(), user, secrets));
            }
        }
        out.add(new MySqlClient(clientDir, "127.0.0.1", port != null ? port : 3306, null, user, secrets));
        return out;
    }

    /** Finds the server that answers (read-only: it logs in and asks). */
    static Found find(TargetOptions o, Path clientDir, io.dbrescue.run.Secrets secrets) {
        return find(candidates(o, clientDir, SYSTEM_CNF, USUAL_SOCKETS, secrets), o.user() != null);
    }

    static Found find(List<MySqlClient> candidates, boolean userGiven) {
        Found last = null;
        for (MySqlClient c : candidates) {
            if (c.client() == null) {
                return new Found(null, "The MariaDB/MySQL client (mariadb or mysql) is not installed, so dbrescue cannot "
                        + "ask the target server anything.", "apt install mariadb-client (Debian/Ubuntu), dnf install "
                        + "mariadb (Fedora), pacman -S mariadb-clients (Arch); or give its folder with --target-bin.", c);
            }
            if (c.socket() == null && !MySqlClient.accepts(c.host(), c.port())) {
                last = last != null ? last : new Found(null, "No MariaDB or MySQL server answers at " + c.where() + ".",
                        "Start it (sudo systemctl start mariadb), or point dbrescue at it with --target-host / "
                                + "--target-port.", c);
                continue;
            }
            try {
                return new Found(ask(c), null, null, c);
            } catch (StepFailure e) {
                LOG.debug("{} did not let dbrescue in: {}", c.where(), e.getMessage());
                last = new Found(null, "The server at " + c.where() + " did not let " + c.user() + " in: "
                        + e.getMessage(), loginFix(c, userGiven, e), c);
                if (!"unreachable".equals(e.kind())) {
                    return last; // it answers but refuses: this is the server, the login is the problem
                }
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                last = new Found(null, "Asking the server at " + c.where() + " failed: " + e.getMessage(),
                        "Check that it runs (systemctl status mariadb) and run again.", c);
            }
        }
        return last != null ? last : new Found(null, "No MariaDB or MySQL server answers here.",
                "Start it (sudo systemctl start mariadb), or point dbrescue at it with --target-host / --target-port.",
                null);
    }

    /** The fix for a refused login: never "give a password" to root on a socket, which needs none on Debian. */
    private static String loginFix(MySqlClient c, boolean userGiven, StepFailure e) {
        if (!"auth".equals(e.kind())) {
            return e.fix();
        }
        boolean root = OsUsers.isRoot();
        if (c.socket() != null && "root".equals(c.user()) && !root) {
            return "On Debian and Ubuntu root@localhost logs in by unix_socket, as the OS user root: run dbrescue "
                    + "with sudo. Or name an account with --target-user and put its password in ~/.my.cnf ([client] "
                    + "password=...).";
        }
        if (c.socket() == null && "root".equals(c.user()) && !userGiven) {
            return "root@localhost usually logs in only over the server's socket (unix_socket): leave out "
                    + "--target-host / --target-port, or name an account that may log in over TCP with --target-user "
                    + "and put its password in ~/.my.cnf ([client] password=...).";
        }
        return "Put the password of " + c.user() + " in ~/.my.cnf ([client] password=...) or MYSQL_PWD — never on the "
                + "command line — or name another account with --target-user.";
    }

    /** Logs in and asks what the server is, where its data is, and how it is set up. */
    static MySqlTarget ask(MySqlClient c) throws StepFailure, IOException, InterruptedException {
        List<String[]> rows = c.query("SELECT VERSION(), @@datadir, @@basedir, @@plugin_dir, @@pid_file, "
                + "@@lower_case_table_names, @@innodb_page_size, @@character_set_server, @@collation_server, @@sql_mode");
        String[] r = rows.get(0);
        MySqlClient.ServerVersion v = MySqlClient.ServerVersion.parse(r[0]);
        Path data = Path.of(r[1]);
        List<String> dbs = c.query("SHOW DATABASES").stream().map(x -> x[0]).toList();
        MySqlSettings settings = MySqlSettings.of(r[5], r[6], r[7], r[8], r[9]);
        ServerProcessInfo proc = ServerProcessInfo.fromPidFile(pidFile(data, r[4]));
        return new MySqlTarget(c, v, data, Path.of(r[2]), Path.of(r[3]), settings, dbs, proc);
    }

    private static Path pidFile(Path data, String pid) {
        if (pid == null || pid.isBlank() || pid.equals("NULL")) {
            return null;
        }
        Path p = Path.of(pid);
        return p.isAbsolute() ? p : data.resolve(p);
    }

    /**
     * The server's process as this machine sees it: its pid, its program, its command line and the OS user it
     * runs as — what it takes to stop it and start it again the same way.
     *
     * @param pid     process id
     * @param program the running program (/proc/PID/exe)
     * @param argv    its command line
     * @param osUser  the OS user it runs as
     */
    record ServerProcessInfo(long pid, Path program, List<String> argv, String osUser) {
        static ServerProcessInfo fromPidFile(Path pidFile) {
            if (pidFile == null) {
                return null;
            }
            try {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                return of(pid);
            } catch (IOException | NumberFormatException | SecurityException e) {
                LOG.debug("the server's pid file {} cannot be read: {}", pidFile, e.getMessage());
                return null;
            }
        }

        static ServerProcessInfo of(long pid) {
            Path proc = Path.of("/proc", Long.toString(pid));
            try {
                Path exe = Files.readSymbolicLink(proc.resolve("exe"));
                byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
                List<String> argv = new ArrayList<>(Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0")));
                argv.removeIf(String::isEmpty);
                String uid = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("Uid:"))
                        .map(l -> l.split("\\s+")[1]).findFirst().orElse(null);
                return new ServerProcessInfo(pid, exe, List.copyOf(argv), uid == null ? null : userName(uid));
            } catch (IOException | SecurityException | UnsupportedOperationException e) {
                LOG.debug("process {} cannot be read: {}", pid, e.getMessage());
                return null;
            }
        }

        private static String userName(String uid) throws IOException {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 2 && f[2].equals(uid)) {
                    return f[0];
                }
            }
            return uid;
        }

        boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }
}
