package io.dbrescue.machine;

import io.dbrescue.scan.Engine;
import io.dbrescue.machine.InstalledServer.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what this machine has: PostgreSQL, MariaDB / MySQL, Redis and MongoDB servers (binaries and
 * versions as the programs report them), their data directories (ports, running or not, owner), Podman,
 * and whether we run as root.
 *
 * <p>Every probe is safe on any machine: missing programs and folders are the normal case (no
 * exception, nothing logged above debug), unreadable folders are skipped, and every external program
 * runs from an argument list (never a shell) with a time limit. Where to look is a {@link Layout}, so
 * tests can point discovery at a fake root.
 */
public final class TargetDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(TargetDiscovery.class);

    private static final Pattern PG_VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+(?:\\.\\d+)*)");
    private static final Pattern MYSQL_VERSION = Pattern.compile("\\bVer\\s+(\\d+(?:\\.\\d+)+)");
    private static final Pattern REDIS_VERSION = Pattern.compile("\\bv=(\\d+(?:\\.\\d+)*)");
    private static final Pattern MONGO_VERSION = Pattern.compile("db version v(\\d+(?:\\.\\d+)*)");
    private static final Pattern PODMAN_VERSION = Pattern.compile("version\\s+v?(\\d+(?:\\.\\d+)*)");
    private static final Pattern PG_PORT = Pattern.compile("^\\s*port\\s*(?:=\\s*|\\s)\\s*'?(\\d+)'?");
    private static final Pattern PG_DATA_DIRECTORY =
            Pattern.compile("^\\s*data_directory\\s*(?:=\\s*|\\s)\\s*'([^']*)'");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

    /** Server programs by engine family, in the order they are preferred within a folder. */
    private static final List<String> SERVER_PROGRAMS =
            List.of("postgres", "mariadbd", "mysqld", "redis-server", "mongod");

    private final Layout layout;

    /** Discovery of this machine, with the usual places of Debian, Ubuntu, Fedora / RHEL and Arch. */
    public TargetDiscovery() {
        this(Layout.defaults());
    }

    public TargetDiscovery(Layout layout) {
        this.layout = layout;
    }

    public Layout layout() {
        return layout;
    }

    /**
     * Folders whose children named {@code prefix + N} (N a version number) each hold
     * {@code suffix}: {@code /usr/lib/postgresql} + "" + "bin" is Debian's
     * {@code /usr/lib/postgresql/15/bin}, {@code /opt} + "pgsql-" + "bin" is Arch's old-version
     * package, {@code /usr} + "pgsql-" + "bin" the PGDG RPMs'.
     */
    public record VersionedDir(Path parent, String prefix, String suffix) {
        /** The version-named folders that exist, with their version: "15" to /usr/lib/postgresql/15/bin. */
        Map<String, Path> existing() {
            Map<String, Path> out = new LinkedHashMap<>();
            for (Path child : Probe.list(parent)) {
                String name = child.getFileName().toString();
                if (name.startsWith(prefix) && NUMBER.matcher(name.substring(prefix.length())).matches()) {
                    Path p = suffix.isEmpty() ? child : child.resolve(suffix);
                    if (Files.isDirectory(p)) {
                        out.put(name.substring(prefix.length()), p);
                    }
                }
            }
            return out;
        }

        VersionedDir under(Path root) {
            return new VersionedDir(reroot(root, parent), prefix, suffix);
        }
    }

    /**
     * Where discovery looks.
     *
     * @param root                  the file system root that absolute paths read from configuration
     *                              files are resolved against ("/" on a real machine)
     * @param postgresBins          version-named PostgreSQL bin folders (Debian, Arch old-version, PGDG)
     * @param programDirs           plain folders searched for postgres, mariadbd, mysqld, redis-server,
     *                              mongod, podman (PATH, /usr/sbin, /usr/libexec ...)
     * @param debianPgData          Debian's /var/lib/postgresql (clusters in N/NAME)
     * @param debianPgEtc           Debian's /etc/postgresql (N/NAME/postgresql.conf)
     * @param postgresDataDirs      single data directories: Arch's /var/lib/postgres/data, Fedora's
     *                              /var/lib/pgsql/data
     * @param postgresVersionedData version-named data directories: PGDG's /var/lib/pgsql/N/data
     * @param pgLsclusters          postgresql-common's pg_lsclusters, or null not to run it
     * @param mysqlConfigs          my.cnf files (their !include / !includedir are followed)
     * @param mysqlDataDirs         usual MariaDB / MySQL data directories
     * @param redisConfigs          redis.conf files
     * @param redisDataDirs         usual Redis working directories
     * @param mongoConfigs          mongod.conf files
     * @param mongoDataDirs         usual MongoDB dbPaths
     * @param timeout               time limit of each external program
     * @param loopback              the address tried for "is something listening" (127.0.0.1)
     */
    public record Layout(Path root, List<VersionedDir> postgresBins, List<Path> programDirs, Path debianPgData,
                         Path debianPgEtc, List<Path> postgresDataDirs, List<VersionedDir> postgresVersionedData,
                         Path pgLsclusters, List<Path> mysqlConfigs, List<Path> mysqlDataDirs,
                         List<Path> redisConfigs, List<Path> redisDataDirs, List<Path> mongoConfigs,
                         List<Path> mongoDataDirs, Duration timeout, String loopback) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        private static final List<String> STANDARD_PROGRAM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin",
                "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/libexec");

        /** The usual places on this machine, plus the folders on PATH. */
        public static Layout defaults() {
            Path root = Path.of("/");
            List<Path> programs = new ArrayList<>();
            STANDARD_PROGRAM_DIRS.forEach(d -> programs.add(Path.of(d)));
            for (Path p : Probe.pathList(System.getenv("PATH"))) {
                if (p.isAbsolute() && !programs.contains(p)) {
                    programs.add(p);
                }
            }
            Layout rooted = under(root);
            Path lsclusters = Path.of("/usr/bin/pg_lsclusters");
            return new Layout(root, rooted.postgresBins, programs, rooted.debianPgData, rooted.debianPgEtc,
                    rooted.postgresDataDirs, rooted.postgresVersionedData,
                    Probe.isProgram(lsclusters) ? lsclusters : null, rooted.mysqlConfigs, rooted.mysqlDataDirs,
                    rooted.redisConfigs, rooted.redisDataDirs, rooted.mongoConfigs, rooted.mongoDataDirs,
                    DEFAULT_TIMEOUT, "127.0.0.1");
        }

        /**
         * The usual places under another root (for tests, or a mounted system): no PATH, no pg_lsclusters.
         */
        public static Layout under(Path root) {
            return new Layout(root,
                    List.of(new VersionedDir(reroot(root, Path.of("/usr/lib/postgresql")), "", "bin"),
                            new VersionedDir(reroot(root, Path.of("/opt")), "pgsql-", "bin"),
                            new VersionedDir(reroot(root, Path.of("/usr")), "pgsql-", "bin")),
                    STANDARD_PROGRAM_DIRS.stream().map(d -> reroot(root, Path.of(d))).toList(),
                    reroot(root, Path.of("/var/lib/postgresql")), reroot(root, Path.of("/etc/postgresql")),
                    List.of(reroot(root, Path.of("/var/lib/postgres/data")),
                            reroot(root, Path.of("/var/lib/pgsql/data"))),
                    List.of(new VersionedDir(reroot(root, Path.of("/var/lib/pgsql")), "", "data")),
                    null,
                    List.of(reroot(root, Path.of("/etc/mysql/my.cnf")), reroot(root, Path.of("/etc/my.cnf"))),
                    List.of(reroot(root, Path.of("/var/lib/mysql"))),
                    List.of(reroot(root, Path.of("/etc/redis/redis.conf")), reroot(root, Path.of("/etc/redis.conf"))),
                    List.of(reroot(root, Path.of("/var/lib/redis"))),
                    List.of(reroot(root, Path.of("/etc/mongod.conf"))),
                    List.of(reroot(root, Path.of("/var/lib/mongodb")), reroot(root, Path.of("/var/lib/mongo"))),
                    DEFAULT_TIMEOUT, "127.0.0.1");
        }

        public Layout withTimeout(Duration t) {
            return new Layout(root, postgresBins, programDirs, debianPgData, debianPgEtc, postgresDataDirs,
                    postgresVersionedData, pgLsclusters, mysqlConfigs, mysqlDataDirs, redisConfigs, redisDataDirs,
                    mongoConfigs, mongoDataDirs, t, loopback);
        }

        public Layout withPostgresBins(List<VersionedDir> bins) {
            return new Layout(root, bins, programDirs, debianPgData, debianPgEtc, postgresDataDirs,
                    postgresVersionedData, pgLsclusters, mysqlConfigs, mysqlDataDirs, redisConfigs, redisDataDirs,
                    mongoConfigs, mongoDataDirs, timeout, loopback);
        }

        public Layout withProgramDirs(List<Path> dirs) {
            return new Layout(root, postgresBins, dirs, debianPgData, debianPgEtc, postgresDataDirs,
                    postgresVersionedData, pgLsclusters, mysqlConfigs, mysqlDataDirs, redisConfigs, redisDataDirs,
                    mongoConfigs, mongoDataDirs, timeout, loopback);
        }

        /** An absolute path read from a configuration file, resolved under {@link #root}. */
        Path inRoot(String path) {
            Path p = Path.of(path);
            return p.isAbsolute() ? reroot(root, p) : p;
        }
    }

    static Path reroot(Path root, Path absolute) {
        if (root == null || root.getNameCount() == 0) {
            return absolute;
        }
        return root.resolve(absolute.toString().substring(1));
    }

    // ------------------------------------------------------------------------------------------------

    /** What this machine has. */
    public Target discover() {
        List<InstalledServer> bare = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (VersionedDir vd : layout.postgresBins()) {
            for (Path bin : vd.existing().values()) {
                probeProgram(bin.resolve("postgres"), seen).ifPresent(bare::add);
            }
        }
        for (Path dir : layout.programDirs()) {
            for (String program : SERVER_PROGRAMS) {
                probeProgram(dir.resolve(program), seen).ifPresent(bare::add);
            }
        }
        List<Target.Stray> strays = new ArrayList<>();
        List<InstalledServer> servers = new ArrayList<>();
        servers.addAll(attach(Engine.POSTGRESQL, bare, postgresClusters(), strays));
        servers.addAll(attachMysql(bare, mysqlClusters(), strays));
        servers.addAll(attach(Engine.REDIS, bare, redisClusters(), strays));
        servers.addAll(attach(Engine.MONGODB, bare, mongoClusters(), strays));
        return new Target(servers, podmanVersion(), io.dbrescue.run.OsUsers.isRoot(), strays, TargetOptions.NONE,
                io.dbrescue.run.Secrets.environment());
    }

    /** What this machine has, with the user's options applied (see {@link Target#withOptions}). */
    public Target discover(TargetOptions options) {
        Target t = discover();
        return options == null || options.equals(TargetOptions.NONE) ? t : apply(t, options, layout.timeout());
    }

    /** Podman's version from {@code podman --version}, or null when it is not installed. */
    public String podmanVersion() {
        for (Path dir : layout.programDirs()) {
            Path podman = dir.resolve("podman");
            if (Probe.isProgram(podman)) {
                Optional<String> v = Probe.run(List.of(podman.toString(), "--version"), layout.timeout())
                        .map(TargetDiscovery::parsePodmanVersion);
                if (v.isPresent() && v.get() != null) {
                    return v.get();
                }
            }
        }
        return null;
    }

    /** The server programs in one folder (postgres, mariadbd / mysqld, redis-server, mongod), without clusters. */
    public static List<InstalledServer> serversIn(Path dir, Duration timeout) {
        List<InstalledServer> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (String program : SERVER_PROGRAMS) {
            probeProgram(dir.resolve(program), seen, timeout).ifPresent(out::add);
        }
        return out;
    }

    private Optional<InstalledServer> probeProgram(Path program, Set<Path> seen) {
        return probeProgram(program, seen, layout.timeout());
    }

    /** Runs {@code program --version} and makes a server of it; empty if missing, seen, or not answering. */
    private static Optional<InstalledServer> probeProgram(Path program, Set<Path> seen, Duration timeout) {
        if (!Probe.isProgram(program) || !seen.add(Probe.real(program))) {
            return Optional.empty();
        }
        Optional<String> out = Probe.run(List.of(program.toString(), "--version"), timeout);
        if (out.isEmpty()) {
            LOG.debug("{} did not tell its version; skipped", program);
            return Optional.empty();
        }
        String text = out.get();
        String name = program.getFileName().toString();
        Path bin = program.toAbsolutePath().getParent();
        InstalledServer server = switch (name) {
            case "postgres" -> version(Engine.POSTGRESQL, parsePostgresVersion(text), bin);
            case "mariadbd", "mysqld" -> {
                String v = parseMysqlVersion(text);
                yield version(mysqlEngine(text), v, bin);
            }
            case "redis-server" -> version(Engine.REDIS, parseRedisVersion(text), bin);
            case "mongod" -> version(Engine.MONGODB, parseMongoVersion(text), bin);
            default -> null;
        };
        if (server == null) {
            LOG.debug("{} --version said something unexpected: {}", program, text.strip());
        }
        return Optional.ofNullable(server);
    }

    private static InstalledServer version(Engine engine, String version, Path bin) {
        return version == null ? null : new InstalledServer(engine, version, bin, List.of());
    }

    // --- version texts ------------------------------------------------------------------------------

    /** "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" gives "15.18"; null if not such a text. */
    public static String parsePostgresVersion(String text) {
        return group(PG_VERSION, text);
    }

    /** "mariadbd  Ver 10.11.6-MariaDB-0+deb12u1 for debian-linux-gnu" gives "10.11.6". */
    public static String parseMysqlVersion(String text) {
        return group(MYSQL_VERSION, text);
    }

    /** MARIADB when the version text names MariaDB, else MYSQL (MySQL's text does not always say MySQL). */
    public static Engine mysqlEngine(String text) {
        return text != null && text.toLowerCase(java.util.Locale.ROOT).contains("mariadb") ? Engine.MARIADB : Engine.MYSQL;
    }

    /** "Redis server v=7.0.15 sha=..." gives "7.0.15". */
    public static String parseRedisVersion(String text) {
        return group(REDIS_VERSION, text);
    }

    /** "db version v7.0.14" gives "7.0.14". */
    public static String parseMongoVersion(String text) {
        return group(MONGO_VERSION, text);
    }

    /** "podman version 4.3.1" gives "4.3.1". */
    public static String parsePodmanVersion(String text) {
        return group(PODMAN_VERSION, text);
    }

    private static String group(Pattern p, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    // --- attaching data directories to servers --------------------------------------------------------

    private static List<InstalledServer> attach(Engine engine, List<InstalledServer> bare, List<Cluster> clusters,
                                                List<Target.Stray> strays) {
        List<InstalledServer> mine = bare.stream().filter(s -> s.engine() == engine).toList();
        Map<InstalledServer, List<Cluster>> byServer = new LinkedHashMap<>();
        mine.forEach(s -> byServer.put(s, new ArrayList<>()));
        for (Cluster c : clusters) {
            InstalledServer home = null;
            if (c.major() != null) {
                home = mine.stream().filter(s -> c.major().equals(s.major())).findFirst().orElse(null);
            } else if (engine != Engine.POSTGRESQL && !mine.isEmpty()) {
                home = newestOf(mine);  // Redis, MongoDB: one data directory for whatever version is installed
            } else if (mine.size() == 1) {
                home = mine.get(0);
            }
            if (home != null) {
                byServer.get(home).add(c);
            } else {
                strays.add(new Target.Stray(engine, c));
            }
        }
        return byServer.entrySet().stream()
                .map(e -> new InstalledServer(engine, e.getKey().version(), e.getKey().binDir(), List.copyOf(e.getValue())))
                .toList();
    }

    private static InstalledServer newestOf(List<InstalledServer> servers) {
        return servers.stream().max((a, b) -> Versions.compare(a.version(), b.version())).orElseThrow();
    }

    /** MariaDB / MySQL data: to a server of the data's product and major version, else to any of the family. */
    private static List<InstalledServer> attachMysql(List<InstalledServer> bare, List<MysqlData> data,
                                                     List<Target.Stray> strays) {
        List<InstalledServer> mine = bare.stream()
                .filter(s -> s.engine() == Engine.MARIADB || s.engine() == Engine.MYSQL).toList();
        Map<InstalledServer, List<Cluster>> byServer = new LinkedHashMap<>();
        mine.forEach(s -> byServer.put(s, new ArrayList<>()));
        for (MysqlData d : data) {
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
        return byServer.entrySet().stream()
                .map(e -> new InstalledServer(e.getKey().engine(), e.getKey().version(), e.getKey().binDir(),
                        List.copyOf(e.getValue())))
                .toList();
    }

    // --- PostgreSQL clusters ------------------------------------------------------------------------

    /** Debian clusters (config and data side), pg_lsclusters rows, then the usual single data directories. */
    List<Cluster> postgresClusters() {
        Map<Path, Cluster> found = new LinkedHashMap<>();
        // Debian: /etc/postgresql/N/NAME/postgresql.conf (data_directory, port)
        for (Path versionDir : Probe.list(layout.debianPgEtc())) {
            String n = versionDir.getFileName().toString();
            if (!NUMBER.matcher(n).matches()) {
                continue;
            }
            for (Path clusterDir : Probe.list(versionDir)) {
                Path conf = clusterDir.resolve("postgresql.conf");
                if (!Files.isRegularFile(conf)) {
                    continue;
                }
                String name = clusterDir.getFileName().toString();
                List<String> lines = Probe.lines(conf);
                String dd = lastMatch(PG_DATA_DIRECTORY, lines);
                Path data = dd != null && !dd.isBlank() ? layout.inRoot(dd)
                        : layout.debianPgData().resolve(n).resolve(name);
                Integer port = parsePort(lastMatch(PG_PORT, lines));
                found.putIfAbsent(key(data), pgCluster(data, port != null ? port : 5432, n, n + "/" + name, conf));
            }
        }
        // Debian data side: /var/lib/postgresql/N/NAME holding PG_VERSION but without a config
        for (Path versionDir : Probe.list(layout.debianPgData())) {
            String n = versionDir.getFileName().toString();
            if (!NUMBER.matcher(n).matches()) {
                continue;
            }
            for (Path data : Probe.list(versionDir)) {
                if (!found.containsKey(key(data)) && Files.isRegularFile(data.resolve("PG_VERSION"))) {
                    Integer port = parsePort(lastMatch(PG_PORT, Probe.lines(data.resolve("postgresql.conf"))));
                    found.put(key(data), pgCluster(data, port, n, n + "/" + data.getFileName(), null));
                }
            }
        }
        // postgresql-common's own list (also clusters outside the usual places)
        if (layout.pgLsclusters() != null) {
            Probe.run(List.of(layout.pgLsclusters().toString()), layout.timeout()).ifPresent(text -> {
                for (LsCluster row : parseLsclusters(text)) {
                    Path data = row.dataDir();
                    Cluster known = found.get(key(data));
                    if (known == null) {
                        Cluster c = pgCluster(data, row.port(), row.version(), row.version() + "/" + row.name(), null);
                        found.put(key(data), row.online() && !c.running() ? running(c) : c);
                    } else if (row.online() && !known.running()) {
                        found.put(key(data), running(known));
                    }
                }
            });
        }
        // Arch, Fedora and PGDG single data directories
        List<Path> usual = new ArrayList<>(layout.postgresDataDirs());
        Map<Path, String> versionOf = new LinkedHashMap<>();
        for (VersionedDir vd : layout.postgresVersionedData()) {
            vd.existing().forEach((v, p) -> {
                usual.add(p);
                versionOf.put(p, v);
            });
        }
        for (Path data : usual) {
            if (found.containsKey(key(data)) || !Files.isDirectory(data)) {
                continue;
            }
            boolean readable = Files.isReadable(data) && Files.isExecutable(data);
            if (Files.isRegularFile(data.resolve("PG_VERSION")) || !readable) {
                Integer port = parsePort(lastMatch(PG_PORT, Probe.lines(data.resolve("postgresql.conf"))));
                found.put(key(data), pgCluster(data, port != null ? port : 5432, versionOf.get(data), null, null));
            }
        }
        return List.copyOf(found.values());
    }

    private static Cluster running(Cluster c) {
        return new Cluster(c.dataDir(), c.port(), true, c.owner(), c.major(), c.name(), c.configFile());
    }

    private static Path key(Path p) {
        return Probe.real(p);
    }

    /**
     * One PostgreSQL data directory: major from PG_VERSION (else the version its folder is named for),
     * running from a live postmaster.pid when the folder can be read (and its port from that file),
     * else from whether something accepts connections on the port.
     */
    private Cluster pgCluster(Path data, Integer port, String folderVersion, String name, Path conf) {
        String major = Probe.firstLine(data.resolve("PG_VERSION"));
        if (major == null || !NUMBER.matcher(major).matches()) {
            major = folderVersion;
        }
        boolean running;
        Integer actualPort = port;
        if (Files.isDirectory(data) && Files.isReadable(data) && Files.isExecutable(data)) {
            List<String> pid = Probe.lines(data.resolve("postmaster.pid"));
            running = !pid.isEmpty() && Probe.alive(parseLong(pid.get(0)));
            if (running && pid.size() > 3 && parsePort(pid.get(3)) != null) {
                actualPort = parsePort(pid.get(3));
            }
        } else {
            running = port != null && Probe.accepts(layout.loopback(), port);
        }
        return new Cluster(data, actualPort, running, Probe.owner(data), major, name, conf);
    }

    /** A row of pg_lsclusters. */
    public record LsCluster(String version, String name, Integer port, String status, String owner, Path dataDir) {
        public boolean online() {
            return status != null && status.startsWith("online");
        }
    }

    /**
     * Parses pg_lsclusters' plain-text table:
     * <pre>
     * Ver Cluster Port Status Owner    Data directory              Log file
     * 15  main    5432 down   postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log
     * </pre>
     * The data directory is taken from its column (it may hold spaces); rows that do not fit are skipped.
     */
    public static List<LsCluster> parseLsclusters(String text) {
        List<LsCluster> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        String[] lines = text.split("\\R");
        int dataCol = -1;
        int logCol = -1;
        for (String line : lines) {
            String plain = line.replaceAll("\u001B\\[[0-9;]*m", "");  // colours, should a terminal be assumed
            if (plain.isBlank()) {
                continue;
            }
            if (plain.startsWith("Ver ") && plain.contains("Data directory")) {
                dataCol = plain.indexOf("Data directory");
                logCol = plain.indexOf("Log file");
                continue;
            }
            String[] t = plain.strip().split("\\s+");
            if (t.length < 6 || !NUMBER.matcher(t[0]).matches()) {
                continue;
            }
            String data;
            if (dataCol > 0 && plain.length() > dataCol && plain.charAt(dataCol - 1) == ' ') {
                int end = logCol > dataCol && plain.length() > logCol ? logCol : plain.length();
                data = plain.substring(dataCol, end).strip();
            } else {
                data = t[5];
            }
            if (!data.startsWith("/")) {
                continue;
            }
            out.add(new LsCluster(t[0], t[1], parsePort(t[2]), t[3], t[4], Path.of(data)));
        }
        return out;
    }

    private static String lastMatch(Pattern p, List<String> lines) {
        String last = null;
        for (String line : lines) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                last = m.group(1);
            }
        }
        return last;
    }

    static Integer parsePort(String s) {
        if (s == null) {
            return null;
        }
        try {
            int p = Integer.parseInt(s.strip());
            return p > 0 && p <= 65535 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // --- MariaDB / MySQL ------------------------------------------------------------------------------

    private record MysqlData(Engine engine, Cluster cluster) {
    }

    private List<MysqlData> mysqlClusters() {
        Integer port = null;
        List<Path> dirs = new ArrayList<>();
        Path configFile = null;
        for (Path cnf : layout.mysqlConfigs()) {
            Map<String, String> server = MyCnf.server(cnf, layout);
            if (server.isEmpty() && !Files.isRegularFile(cnf)) {
                continue;
            }
            configFile = configFile == null ? cnf : configFile;
            if (port == null) {
                port = parsePort(server.get("port"));
            }
            if (server.get("datadir") != null) {
                dirs.add(layout.inRoot(server.get("datadir")));
            }
        }
        dirs.addAll(layout.mysqlDataDirs());
        List<MysqlData> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        int p = port != null ? port : 3306;
        for (Path d : dirs) {
            if (!Files.isDirectory(d) || !seen.add(key(d))) {
                continue;
            }
            boolean readable = Files.isReadable(d) && Files.isExecutable(d);
            boolean looksLikeData = Files.exists(d.resolve("ibdata1")) || Files.isDirectory(d.resolve("mysql"))
                    || Files.exists(d.resolve("mysql.ibd"));
            if (readable && !looksLikeData) {
                continue;
            }
            String info = Probe.firstLine(d.resolve("mariadb_upgrade_info"));
            if (info == null) {
                info = Probe.firstLine(d.resolve("mysql_upgrade_info"));
            }
            Engine engine = !readable ? null
                    : (info != null && mysqlEngine(info) == Engine.MARIADB) || Files.exists(d.resolve("aria_log_control"))
                    ? Engine.MARIADB : Engine.MYSQL;
            String v = parseVersionPrefix(info);
            String major = v == null ? null : InstalledServer.majorOf(Engine.MARIADB, v);
            out.add(new MysqlData(engine, new Cluster(d, p, Probe.accepts(layout.loopback(), p), Probe.owner(d),
                    major, null, configFile)));
        }
        return out;
    }

    private static String parseVersionPrefix(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = Pattern.compile("^(\\d+(?:\\.\\d+)+)").matcher(text.strip());
        return m.find() ? m.group(1) : null;
    }

    // --- Redis and MongoDB ------------------------------------------------------------------------------

    private List<Cluster> redisClusters() {
        Integer port = null;
        List<Path> dirs = new ArrayList<>();
        Path configFile = null;
        for (Path conf : layout.redisConfigs()) {
            List<String> lines = Probe.lines(conf);
            if (lines.isEmpty()) {
                continue;
            }
            configFile = configFile == null ? conf : configFile;
            for (String line : lines) {
                String[] t = line.strip().split("\\s+", 2);
                if (t.length == 2 && t[0].equalsIgnoreCase("port") && port == null) {
                    port = parsePort(t[1]);
                } else if (t.length == 2 && t[0].equalsIgnoreCase("dir")) {
                    String dir = t[1].strip().replaceAll("^\"|\"$", "");
                    if (dir.startsWith("/")) {
                        dirs.add(layout.inRoot(dir));
                    }
                }
            }
        }
        dirs.addAll(layout.redisDataDirs());
        return serviceDirs(dirs, port != null ? port : 6379, configFile);
    }

    private List<Cluster> mongoClusters() {
        Integer port = null;
        List<Path> dirs = new ArrayList<>();
        Path configFile = null;
        Pattern portLine = Pattern.compile("^\\s*port:\\s*(\\d+)");
        Pattern pathLine = Pattern.compile("^\\s*dbPath:\\s*[\"']?([^\"'#\\s]+)");
        for (Path conf : layout.mongoConfigs()) {
            List<String> lines = Probe.lines(conf);
            if (lines.isEmpty()) {
                continue;
            }
            configFile = configFile == null ? conf : configFile;
            port = port == null ? parsePort(lastMatch(portLine, lines)) : port;
            String dbPath = lastMatch(pathLine, lines);
            if (dbPath != null && dbPath.startsWith("/")) {
                dirs.add(layout.inRoot(dbPath));
            }
        }
        dirs.addAll(layout.mongoDataDirs());
        return serviceDirs(dirs, port != null ? port : 27017, configFile);
    }

    private List<Cluster> serviceDirs(List<Path> dirs, int port, Path configFile) {
        List<Cluster> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        boolean running = Probe.accepts(layout.loopback(), port);
        for (Path d : dirs) {
            if (Files.isDirectory(d) && seen.add(key(d))) {
                out.add(new Cluster(d, port, running, Probe.owner(d), null, null, configFile));
            }
        }
        return out;
    }

    // --- options ------------------------------------------------------------------------------------

    /** See {@link Target#withOptions}. */
    static Target apply(Target target, TargetOptions o, Duration timeout) {
        if (o == null) {
            return target;
        }
        List<InstalledServer> servers = new ArrayList<>(target.servers());
        List<Target.Stray> strays = new ArrayList<>(target.dataWithoutServer());
        if (o.binDir() != null) {
            Path dir = o.binDir();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("The folder given with --target-bin, " + dir
                        + ", does not exist or is not a folder. Give the folder that holds the server program,"
                        + " for example /usr/lib/postgresql/17/bin.");
            }
            List<InstalledServer> given = serversIn(dir, timeout);
            if (given.isEmpty()) {
                throw new IllegalArgumentException("No database server program (" + String.join(", ", SERVER_PROGRAMS)
                        + ") that answers --version was found in " + dir + " (given with --target-bin)."
                        + " Give the folder that holds the server program, for example /usr/lib/postgresql/17/bin.");
            }
            Path wanted = Probe.real(dir);
            for (InstalledServer g : given) {
                List<Cluster> clusters = new ArrayList<>();
                servers.removeIf(s -> {
                    boolean same = sameFamily(s.engine(), g.engine()) && (s.binDir() != null
                            && Probe.real(s.binDir()).equals(wanted) || g.major().equals(s.major()));
                    if (same) {
                        clusters.addAll(s.clusters());
                    }
                    return same;
                });
                strays.removeIf(st -> {
                    boolean mine = sameFamily(st.engine(), g.engine()) && g.major().equals(st.cluster().major());
                    if (mine) {
                        clusters.add(st.cluster());
                    }
                    return mine;
                });
                servers.add(new InstalledServer(g.engine(), g.version(), g.binDir(), List.copyOf(clusters)));
            }
        }
        if (o.port() != null && isLocal(o.host())) {
            Optional<PgLocalServer> live = PgLocalServer.find(o.port());
            if (live.isEmpty() && o.dataDir() != null) {
                live = PgLocalServer.fromDataDir(o.dataDir(), o.port());
            }
            live.ifPresent(l -> answering(l, servers, strays));
        }
        return new Target(servers, target.podmanVersion(), target.root(), strays, o, target.secrets());
    }

    /** This target with a PostgreSQL server found answering on this machine (see {@link #apply}). */
    static Target withAnswering(Target target, PgLocalServer live) {
        List<InstalledServer> servers = new ArrayList<>(target.servers());
        List<Target.Stray> strays = new ArrayList<>(target.dataWithoutServer());
        answering(live, servers, strays);
        return new Target(servers, target.podmanVersion(), target.root(), strays, target.options(), target.secrets());
    }

    /** Whether a --target-host names this machine (or none was given). */
    public static boolean isLocal(String host) {
        return host == null || host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
    }

    /**
     * The PostgreSQL server that answers on the port the user named is the target, whatever is installed: its
     * data directory becomes a running cluster of the installed server of its major version (the one whose
     * programs it runs, else any of that version), or of a server made from the programs it runs.
     */
    private static void answering(PgLocalServer live, List<InstalledServer> servers, List<Target.Stray> strays) {
        String major = live.serverMajor();
        if (major == null) {
            return;
        }
        Path data = key(live.dataDir());
        // the cluster discovery knew at that data directory (Debian's 15/main, its /etc/postgresql/15/main/
        // postgresql.conf) stays that cluster: a restore writes its configuration there and starts it with it
        Cluster known = knownAt(data, servers, strays);
        Cluster c = new Cluster(live.dataDir(), live.port(), true, live.osUser(), live.major(),
                known == null ? null : known.name(), known == null ? null : known.configFile());
        strays.removeIf(st -> st.engine() == Engine.POSTGRESQL && key(st.cluster().dataDir()).equals(data));
        InstalledServer home = null;
        for (InstalledServer s : servers) {
            if (s.engine() != Engine.POSTGRESQL || !major.equals(s.major())) {
                continue;
            }
            boolean runsIt = live.binDir() != null && s.binDir() != null && key(s.binDir()).equals(key(live.binDir()));
            if (home == null || runsIt) {
                home = s;
            }
        }
        List<Cluster> clusters = new ArrayList<>();
        if (home != null) {
            servers.remove(home);
            home.clusters().stream().filter(x -> !key(x.dataDir()).equals(data)).forEach(clusters::add);
        }
        clusters.add(0, c);
        servers.add(new InstalledServer(Engine.POSTGRESQL, home != null ? home.version()
                : live.version() != null ? live.version() : major, home != null ? home.binDir() : live.binDir(),
                List.copyOf(clusters)));
        LOG.debug("the server on port {} is {}", live.port(), live.describe());
    }

    /** The PostgreSQL cluster already found at this data directory (under any server, or without one), or null. */
    private static Cluster knownAt(Path data, List<InstalledServer> servers, List<Target.Stray> strays) {
        return java.util.stream.Stream.concat(servers.stream().filter(s -> s.engine() == Engine.POSTGRESQL)
                        .flatMap(s -> s.clusters().stream()),
                strays.stream().filter(st -> st.engine() == Engine.POSTGRESQL).map(Target.Stray::cluster))
                .filter(x -> x.dataDir() != null && key(x.dataDir()).equals(data)).findFirst().orElse(null);
    }

    private static boolean sameFamily(Engine a, Engine b) {
        boolean mysqlA = a == Engine.MARIADB || a == Engine.MYSQL;
        boolean mysqlB = b == Engine.MARIADB || b == Engine.MYSQL;
        return a == b || mysqlA && mysqlB;
    }
}
