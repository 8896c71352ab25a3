package io.dbrescue.machine;

import io.dbrescue.run.Secrets;
import io.dbrescue.scan.Engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the new system has: the servers installed and their data directories, whether Podman is
 * there, and who we run as. Made by {@link TargetDiscovery}; every value can be overridden with
 * {@link TargetOptions} ({@link #withOptions}).
 *
 * @param servers           installed servers, any engine
 * @param podmanVersion     "4.3.1", or null when Podman is not installed
 * @param root              whether dbrescue runs as root (root-only steps are then run directly)
 * @param dataWithoutServer data directories on this machine whose engine or major version has no
 *                          installed server (a PostgreSQL 16 cluster on a system with only 18)
 * @param options           what the user said ({@code --target-*}); {@link TargetOptions#NONE} if nothing
 * @param secrets           the passwords the user gave for the target's servers (memory only, never part of a
 *                          plan): the planners log in with them to look at the target
 * @param engines           the engines' discoveries it was found with: {@link #withOptions} asks them about
 *                          --target-bin and the user's server; none for a target made by hand
 */
public record Target(List<InstalledServer> servers, String podmanVersion, boolean root,
                     List<Stray> dataWithoutServer, TargetOptions options, Secrets secrets,
                     List<ServerDiscovery> engines) {

    public Target {
        servers = List.copyOf(servers);
        dataWithoutServer = dataWithoutServer == null ? List.of() : List.copyOf(dataWithoutServer);
        options = options == null ? TargetOptions.NONE : options;
        secrets = secrets == null ? Secrets.environment() : secrets;
        engines = engines == null ? List.of() : List.copyOf(engines);
    }

    /** A target made without discovery (tests, a server found another way). */
    public Target(List<InstalledServer> servers, String podmanVersion, boolean root,
                  List<Stray> dataWithoutServer, TargetOptions options, Secrets secrets) {
        this(servers, podmanVersion, root, dataWithoutServer, options, secrets, List.of());
    }

    /** A target with passwords from the environment only (tests). */
    public Target(List<InstalledServer> servers, String podmanVersion, boolean root) {
        this(servers, podmanVersion, root, List.of(), TargetOptions.NONE, Secrets.environment());
    }

    /** This target, logging in to its servers with these passwords. */
    public Target withSecrets(Secrets given) {
        return new Target(servers, podmanVersion, root, dataWithoutServer, options, given, engines);
    }

    /** This target, asking these engines' discoveries about the user's options (a target made by hand has none). */
    public Target withEngines(List<ServerDiscovery> discoveries) {
        return new Target(servers, podmanVersion, root, dataWithoutServer, options, secrets, discoveries);
    }

    /** A data directory found on this machine that no installed server can run as it is. */
    public record Stray(Engine engine, InstalledServer.Cluster cluster) {
    }

    /** Installed servers of one engine, newest first. */
    public List<InstalledServer> servers(Engine engine) {
        return servers.stream().filter(s -> s.engine() == engine)
                .sorted(Comparator.comparing(InstalledServer::version, Versions::compare).reversed()).toList();
    }

    /** The installed server of this engine and major version, if any. */
    public Optional<InstalledServer> server(Engine engine, String major) {
        return servers(engine).stream().filter(s -> major.equals(s.major())).findFirst();
    }

    /**
     * The server of this engine with a running cluster on this port (the one that answers there; see
     * the engine's {@link ServerDiscovery} for how it is found without logging in), if any.
     */
    public Optional<InstalledServer> answering(Engine engine, int port) {
        return servers(engine).stream().filter(s -> s.clusters().stream()
                .anyMatch(c -> c.running() && c.dataDir() != null && Integer.valueOf(port).equals(c.port()))).findFirst();
    }

    /** The newest installed server of this engine, if any. */
    public Optional<InstalledServer> newest(Engine engine) {
        return servers(engine).stream().findFirst();
    }

    /**
     * The server to restore into for this engine: the one in {@code --target-bin} when the user gave
     * it and it holds this engine's server, else the newest installed one.
     */
    public Optional<InstalledServer> chosen(Engine engine) {
        if (options.binDir() != null) {
            Path wanted = Probe.real(options.binDir());
            Optional<InstalledServer> given = servers(engine).stream()
                    .filter(s -> s.binDir() != null && Probe.real(s.binDir()).equals(wanted)).findFirst();
            if (given.isPresent()) {
                return given;
            }
        }
        return newest(engine);
    }

    /**
     * This target with the user's options applied: {@code --target-bin DIR} adds the server(s) in DIR
     * (version read from the program), replacing a found server of the same engine and major version
     * and taking over its clusters. Port, data directory, host and run-as user are kept in
     * {@link #options()} and win in {@link #destination}.
     *
     * @throws IllegalArgumentException when DIR holds no server program that answers --version
     */
    public Target withOptions(TargetOptions opts) {
        return TargetDiscovery.apply(this, opts, TargetDiscovery.Layout.DEFAULT_TIMEOUT);
    }

    /**
     * Where data of this engine (and major version, null for any) goes on this machine, with the
     * user's options winning over what was found: the server, the data directory, the port, whether
     * something already runs there, the host to connect to and the OS user that runs the server.
     *
     * @param usual the engine's own defaults (its descriptor's port and service user) when nothing else says
     */
    public Destination destination(Engine engine, String major, Usual usual) {
        InstalledServer server = null;
        if (options.binDir() != null) {
            server = chosen(engine).filter(s -> options.binDir() != null
                    && Probe.real(s.binDir()).equals(Probe.real(options.binDir()))).orElse(null);
        }
        if (server == null) {
            server = major != null ? server(engine, major).orElse(null) : newest(engine).orElse(null);
        }
        InstalledServer.Cluster found = null;
        if (options.dataDir() != null) {
            Path wanted = Probe.real(options.dataDir());
            found = allClusters(engine).stream().filter(c -> Probe.real(c.dataDir()).equals(wanted)).findFirst()
                    .orElse(null);
        } else if (server != null && !server.clusters().isEmpty()) {
            found = server.clusters().stream().filter(c -> c.name() != null && c.name().endsWith("/main"))
                    .findFirst().orElse(server.clusters().get(0));
        }
        Path dataDir = options.dataDir() != null ? options.dataDir() : found != null ? found.dataDir() : null;
        Integer port = options.port() != null ? options.port()
                : found != null && found.port() != null ? found.port() : usual.port();
        String host = options.hostOr("127.0.0.1");
        boolean running = options.port() == null && found != null ? found.running()
                : port != null && Probe.accepts(host, port);
        String owner = found != null ? found.owner() : dataDir != null ? Probe.owner(dataDir) : null;
        String runAs = options.runAs() != null ? options.runAs()
                : owner != null && !"root".equals(owner) ? owner : usual.runAs();
        return new Destination(engine, server, dataDir, port, running, host, runAs, options.user());
    }

    /**
     * An engine's defaults, from its descriptor: the port its server listens on (null without a server) and the OS
     * user its packages run the server as.
     */
    public record Usual(Integer port, String runAs) {
    }

    /**
     * Where data goes, after discovery and the user's options.
     *
     * @param server  the server that will run it (null when no server of that version is installed)
     * @param dataDir the data directory (null when none is known)
     * @param port    the port
     * @param running whether something accepts connections there now
     * @param host    host to connect to (127.0.0.1 unless --target-host)
     * @param runAs   the OS user that owns and runs the server
     * @param dbUser  the database user from --target-user (null: the engine's default superuser)
     */
    public record Destination(Engine engine, InstalledServer server, Path dataDir, Integer port, boolean running,
                              String host, String runAs, String dbUser) {
    }

    /** Clusters of an engine: those of its installed servers and those without one. */
    public List<InstalledServer.Cluster> allClusters(Engine engine) {
        List<InstalledServer.Cluster> all = new ArrayList<>();
        servers(engine).forEach(s -> all.addAll(s.clusters()));
        dataWithoutServer.stream().filter(s -> s.engine() == engine).forEach(s -> all.add(s.cluster()));
        return all;
    }

    /** What a command line can print: one line per server, stray data directory, Podman and the user. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        List<InstalledServer> sorted = new ArrayList<>(servers);
        sorted.sort(Comparator.comparing((InstalledServer s) -> s.engine().ordinal())
                .thenComparing(InstalledServer::version, (x, y) -> Versions.compare(y, x)));
        if (sorted.isEmpty()) {
            b.append("No database server is installed.\n");
        }
        for (InstalledServer s : sorted) {
            b.append(s.summary()).append('\n');
        }
        for (Stray s : dataWithoutServer) {
            b.append(s.engine().displayName()).append(' ')
                    .append(s.cluster().major() != null ? s.cluster().major() + " " : "")
                    .append("data without an installed server: ").append(s.cluster().summary(s.engine())).append('\n');
        }
        b.append(podmanVersion != null ? "Podman " + podmanVersion : "Podman: not installed").append('\n');
        b.append(root ? "Running as root" : "Running as an ordinary user (steps that need root will say so)");
        return b.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
