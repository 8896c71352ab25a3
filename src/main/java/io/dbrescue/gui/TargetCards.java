package io.dbrescue.gui;

import io.dbrescue.machine.DiskSpace;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.ServerDiscovery;
import io.dbrescue.machine.Target;
import io.dbrescue.scan.Engine;
import io.dbrescue.text.Sizes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What discovery found, said per card of the Target step: the server a restore of that engine goes into (its
 * version, cluster, port, whether it runs), who dbrescue logs in as, and the free space where the data goes —
 * measured as the pre-flight measures it, so both pages say the same number.
 */
final class TargetCards {
    /** The sockets MariaDB / MySQL packages use (Debian, Fedora, the compiled-in default). */
    private static final List<Path> MYSQL_SOCKETS = List.of(Path.of("/run/mysqld/mysqld.sock"),
            Path.of("/var/run/mysqld/mysqld.sock"), Path.of("/var/lib/mysql/mysql.sock"), Path.of("/tmp/mysql.sock"));

    private TargetCards() {
    }

    /** The lines of one card. */
    static List<String> describe(ServerCard card, Target t) {
        return switch (card) {
            case POSTGRESQL -> postgres(t);
            case MYSQL -> mysql(t);
            case REDIS -> plainServer(t, Engine.REDIS, "Redis",
                    "dbrescue logs in without a password, unless the server asks for one (then give it below).");
            case MONGODB -> plainServer(t, Engine.MONGODB, "MongoDB",
                    "dbrescue logs in without a password, unless the server asks for one (then give it below).");
            case FILES -> List.of("Database files are copied into the folder below, which is created if it does "
                    + "not exist. A file already there of the same name is kept as a safety copy.");
        };
    }

    private static List<String> postgres(Target t) {
        Target.Destination d = t.destination(Engine.POSTGRESQL, null, io.dbrescue.Engines.of(Engine.POSTGRESQL).usual());
        List<String> lines = new ArrayList<>(server(d, "PostgreSQL", "apt install postgresql"));
        if (d.server() == null && d.dataDir() == null) {
            return lines;
        }
        // the server found answering without logging in (its socket's lock file) tells the OS user it runs as
        Optional<ServerDiscovery.Running> live = d.running() && d.port() != null
                ? io.dbrescue.Engines.of(Engine.POSTGRESQL).discovery().flatMap(x -> x.running(d.port()))
                : Optional.empty();
        String os = live.map(ServerDiscovery.Running::osUser).orElse(d.runAs() != null ? d.runAs() : "postgres");
        if (t.root()) {
            // as root dbrescue logs in by peer through the server's socket as the OS user that runs it (PgLogin)
            lines.add("dbrescue logs in as the " + os + " system user (no password needed).");
        } else if (live.isPresent()) {
            lines.add("dbrescue logs in as you (" + System.getProperty("user.name") + ") through the server's "
                    + "socket, or as postgres with the password below.");
        } else {
            lines.add("dbrescue logs in as postgres with the password below (or from ~/.pgpass).");
        }
        return lines;
    }

    private static List<String> mysql(Target t) {
        Engine engine = t.newest(Engine.MARIADB).isPresent() || t.newest(Engine.MYSQL).isEmpty()
                ? Engine.MARIADB : Engine.MYSQL;
        Target.Destination d = t.destination(engine, null, io.dbrescue.Engines.of(engine).usual());
        // the server that answers is the target, whatever mariadbd is installed (an 11.4 on Debian's socket
        // beside the packaged 10.11): said as discovery hears it in its greeting, without logging in
        int port = d.port() != null ? d.port() : 3306;
        Optional<ServerDiscovery.Running> live = io.dbrescue.Engines.of(engine).discovery()
                .flatMap(x -> x.running(port)).filter(r -> r.version() != null);
        List<String> lines = new ArrayList<>(server(d, engine.displayName(), "apt install mariadb-server"));
        live.ifPresent(r -> answering(lines, r, d.server()));
        // the socket it answers on (said in its line above), else the first of the usual ones that exists
        String socket;
        if (live.isPresent()) {
            String where = live.get().where();
            socket = where.startsWith("socket ") ? where.substring("socket ".length()) : null;
        } else {
            socket = MYSQL_SOCKETS.stream().filter(Files::exists).map(Path::toString).findFirst().orElse(null);
            if (socket != null) {
                lines.add("Socket " + socket + ".");
            }
        }
        if (socket != null && t.root()) {
            lines.add("dbrescue logs in as root through the socket (unix_socket: no password needed).");
        } else {
            lines.add("dbrescue logs in as root with the password below (or from ~/.my.cnf).");
        }
        return lines;
    }

    /** The server that answers in place of the installed one's version line; the installed programs after it. */
    private static void answering(List<String> lines, ServerDiscovery.Running r, InstalledServer installed) {
        String says = r.engine().displayName() + " " + r.version() + " answers on " + r.where()
                + ": the databases go into it.";
        lines.set(0, says); // also in place of "no server was found": one answers
        if (installed != null && installed.version() != null
                && !(r.engine() == installed.engine() && r.version().equals(installed.version()))) {
            lines.add(1, "The installed server programs" + (installed.binDir() == null ? "" : " in " + installed.binDir())
                    + " are " + installed.engine().displayName() + " " + installed.version() + ".");
        }
    }

    private static List<String> plainServer(Target t, Engine engine, String name, String login) {
        Target.Destination d = t.destination(engine, null, io.dbrescue.Engines.of(engine).usual());
        List<String> lines = new ArrayList<>(server(d, name, "apt install " + engine.id() + "-server"));
        lines.add(login);
        return lines;
    }

    /** Version and programs, data directory, port and state, free space where the data is. */
    private static List<String> server(Target.Destination d, String name, String install) {
        List<String> lines = new ArrayList<>();
        if (d.server() == null && d.dataDir() == null) {
            lines.add("No " + name + " server was found on this machine. Install one (" + install
                    + "), or give the port of one that runs below.");
            return lines;
        }
        InstalledServer s = d.server();
        lines.add(name + " " + (s == null || s.version() == null ? "(version unknown)" : s.version())
                + (s == null || s.binDir() == null ? "" : ", programs in " + s.binDir()) + ".");
        InstalledServer.Cluster c = s == null ? null : s.clusters().stream()
                .filter(x -> x.dataDir() != null && x.dataDir().equals(d.dataDir())).findFirst().orElse(null);
        if (d.dataDir() != null) {
            lines.add((c != null && c.name() != null ? "Cluster " + c.name() + ", data in " : "Data in ") + d.dataDir()
                    + (d.port() != null ? ", port " + d.port() : "") + (d.running() ? ", running." : ", not running."));
            free(d.dataDir()).ifPresent(lines::add);
        } else if (d.port() != null) {
            lines.add("Port " + d.port() + (d.running() ? ", running." : ", not running."));
        }
        return lines;
    }

    /**
     * What a card's empty field stands for, from discovery: the port found, the login, the data directory. Shown as
     * the field's prompt, so that an empty field reads as the value it means.
     */
    static String prompt(ServerCard card, String field, Target t) {
        Engine engine = card.engines().get(0);
        Target.Destination d = t == null || card == ServerCard.FILES ? null : t.destination(engine, null, io.dbrescue.Engines.of(engine).usual());
        return switch (field) {
            case "host" -> "this machine";
            case "port" -> d != null && d.port() != null ? d.port() + " (found)" : "the port found";
            case "user" -> card != ServerCard.POSTGRESQL ? "root"
                    // a desktop user logs in as themselves through the socket first (PgLogin), else as postgres
                    : t != null && !t.root() ? System.getProperty("user.name") + " (you), else postgres" : "postgres";
            case "folder" -> d != null && d.dataDir() != null ? d.dataDir() + " (found)" : "the server's own";
            default -> "if it asks for one";
        };
    }

    /** "Free space there: 68 GB." — the number the pre-flight's disk-space check gives for the same place. */
    static Optional<String> free(Path where) {
        try {
            return Optional.of("Free space there: " + Sizes.human(DiskSpace.usableBytes(where)) + ".");
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
