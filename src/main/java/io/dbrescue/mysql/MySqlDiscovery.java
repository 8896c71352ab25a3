package io.dbrescue.mysql;

import io.dbrescue.machine.DataDirs;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.InstalledServer.Cluster;
import io.dbrescue.machine.MyCnf;
import io.dbrescue.machine.Probe;
import io.dbrescue.machine.ServerDiscovery;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.machine.TargetDiscovery.Layout;
import io.dbrescue.scan.Engine;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MariaDB and MySQL servers on this machine (mariadbd, mysqld) and their data directories: the datadir of
 * my.cnf (its !include / !includedir followed) and /var/lib/mysql, told apart by their upgrade-info file and
 * Aria's log.
 */
public final class MySqlDiscovery implements ServerDiscovery {
    private static final Pattern VERSION = Pattern.compile("\\bVer\\s+(\\d+(?:\\.\\d+)+)");
    private static final Pattern VERSION_PREFIX = Pattern.compile("^(\\d+(?:\\.\\d+)+)");
    /** A server greets a new connection at once; a local one that has not within this is not answering. */
    private static final Duration GREETING_WAIT = Duration.ofSeconds(2);

    /** One data directory and the product it was written by (null when it cannot be read). */
    private record Data(Engine engine, Cluster cluster) {
    }

    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.MARIADB, Engine.MYSQL);
    }

    @Override
    public List<String> programs() {
        return List.of("mariadbd", "mysqld");
    }

    @Override
    public Optional<InstalledServer> fromVersion(String program, String versionText, Path binDir) {
        return DataDirs.server(engineOf(versionText), parseVersion(versionText), binDir);
    }

    /** "mariadbd  Ver 10.11.6-MariaDB-0+deb12u1 for debian-linux-gnu" gives "10.11.6". */
    public static String parseVersion(String text) {
        return DataDirs.group(VERSION, text);
    }

    /** MARIADB when the version text names MariaDB, else MYSQL (MySQL's text does not always say MySQL). */
    public static Engine engineOf(String text) {
        return text != null && text.toLowerCase(Locale.ROOT).contains("mariadb") ? Engine.MARIADB : Engine.MYSQL;
    }

    /**
     * The server the clients of this machine reach for this port, by its greeting (no login): for the port the
     * system's option files configure (else 3306), over their socket(s) first and then TCP, as {@link MySqlTarget}
     * finds the target; for any other port, TCP on 127.0.0.1 only.
     */
    @Override
    public Optional<Running> running(int port) {
        return running(port, MySqlTarget.SYSTEM_CNF, MySqlTarget.USUAL_SOCKETS);
    }

    static Optional<Running> running(int port, List<Path> cnfFiles, List<Path> sockets) {
        List<MySqlClient> tried = MySqlTarget.candidates(TargetOptions.NONE, null, cnfFiles, sockets, null);
        // the last of them is TCP on the configured port: the sockets are the server's on that port
        if (!Integer.valueOf(port).equals(tried.get(tried.size() - 1).port())) {
            tried = MySqlTarget.candidates(new TargetOptions(null, port, null, null, null, null), null, cnfFiles,
                    sockets, null);
        }
        for (MySqlClient c : tried) {
            SocketAddress at = c.socket() != null ? UnixDomainSocketAddress.of(c.socket())
                    : new InetSocketAddress(c.host(), c.port());
            Optional<String> text = MySqlGreeting.text(at, GREETING_WAIT);
            if (text.isPresent()) {
                return Optional.of(new Running(null, engineOf(text.get()), MySqlGreeting.version(text.get()),
                        c.where()));
            }
        }
        return Optional.empty();
    }

    /** MariaDB / MySQL data: to a server of the data's product and major version, else to any of the family. */
    @Override
    public List<InstalledServer> withData(List<InstalledServer> found, Layout layout, List<Target.Stray> strays) {
        List<InstalledServer> mine = found.stream().filter(s -> engines().contains(s.engine())).toList();
        Map<InstalledServer, List<Cluster>> byServer = new LinkedHashMap<>();
        mine.forEach(s -> byServer.put(s, new ArrayList<>()));
        for (Data d : dataDirs(layout)) {
            Optional<InstalledServer> home = mine.stream()
                    .filter(s -> d.engine() == null || s.engine() == d.engine())
                    .filter(s -> d.cluster().major() == null || d.cluster().major().equals(s.major())).findFirst();
            if (home.isEmpty()) {
                // a 10.6 datadir with a 10.11 server installed is still that server's (it upgrades in place)
                home = mine.stream().filter(s -> d.engine() == null || s.engine() == d.engine()).findFirst();
            }
            if (home.isPresent()) {
                byServer.get(home.get()).add(d.cluster());
            } else {
                strays.add(new Target.Stray(d.engine() != null ? d.engine() : Engine.MYSQL, d.cluster()));
            }
        }
        return DataDirs.withClusters(byServer);
    }

    private List<Data> dataDirs(Layout layout) {
        Integer port = null;
        List<Path> dirs = new ArrayList<>();
        Path configFile = null;
        for (Path cnf : List.of(layout.inRoot("/etc/mysql/my.cnf"), layout.inRoot("/etc/my.cnf"))) {
            Map<String, String> server = MyCnf.server(cnf, layout);
            if (server.isEmpty() && !Files.isRegularFile(cnf)) {
                continue;
            }
            configFile = configFile == null ? cnf : configFile;
            if (port == null) {
                port = DataDirs.parsePort(server.get("port"));
            }
            if (server.get("datadir") != null) {
                dirs.add(layout.inRoot(server.get("datadir")));
            }
        }
        dirs.add(layout.inRoot("/var/lib/mysql"));
        int p = port != null ? port : 3306;
        boolean running = Probe.accepts(layout.loopback(), p);
        List<Data> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path d : dirs) {
            if (Files.isDirectory(d) && seen.add(DataDirs.key(d))) {
                data(d, new Cluster(d, p, running, Probe.owner(d), null, null, configFile)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** A folder as data: empty when it can be read and holds no MariaDB / MySQL data. */
    private static Optional<Data> data(Path d, Cluster where) {
        boolean readable = Files.isReadable(d) && Files.isExecutable(d);
        boolean looksLikeData = Files.exists(d.resolve("ibdata1")) || Files.isDirectory(d.resolve("mysql"))
                || Files.exists(d.resolve("mysql.ibd"));
        if (readable && !looksLikeData) {
            return Optional.empty();
        }
        String info = Probe.firstLine(d.resolve("mariadb_upgrade_info"));
        if (info == null) {
            info = Probe.firstLine(d.resolve("mysql_upgrade_info"));
        }
        Engine engine = !readable ? null
                : (info != null && engineOf(info) == Engine.MARIADB) || Files.exists(d.resolve("aria_log_control"))
                ? Engine.MARIADB : Engine.MYSQL;
        String v = info == null ? null : DataDirs.group(VERSION_PREFIX, info.strip());
        String major = v == null ? null : InstalledServer.majorOf(Engine.MARIADB, v);
        return Optional.of(new Data(engine, new Cluster(where.dataDir(), where.port(), where.running(), where.owner(),
                major, null, where.configFile())));
    }
}
