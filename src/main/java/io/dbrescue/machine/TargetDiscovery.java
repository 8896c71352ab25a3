package io.dbrescue.machine;

import io.dbrescue.machine.InstalledServer.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds what this machine has: every engine's servers (asked of the engines' {@link ServerDiscovery}: binaries,
 * versions, data directories), Podman, and whether we run as root.
 *
 * <p>Every probe is safe on any machine: missing programs and folders are the normal case (no
 * exception, nothing logged above debug), unreadable folders are skipped, and every external program
 * runs from an argument list (never a shell) with a time limit. Where to look is a {@link Layout}, so
 * tests can point discovery at a fake root.
 */
public final class TargetDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(TargetDiscovery.class);
    private static final Pattern PODMAN_VERSION = Pattern.compile("version\\s+v?(\\d+(?:\\.\\d+)*)");

    private final Layout layout;
    private final List<ServerDiscovery> engines;

    /** Discovery of this machine, with the usual places of Debian, Ubuntu, Fedora / RHEL and Arch. */
    public TargetDiscovery(List<ServerDiscovery> engines) {
        this(Layout.defaults(), engines);
    }

    public TargetDiscovery(Layout layout, List<ServerDiscovery> engines) {
        this.layout = layout;
        this.engines = List.copyOf(engines);
    }

    public Layout layout() {
        return layout;
    }

    /**
     * Where discovery looks; each engine's discovery finds its own places under {@link #root}.
     *
     * @param root        the file system root that the usual places and absolute paths read from configuration
     *                    files are resolved against ("/" on a real machine)
     * @param programDirs plain folders searched for server programs and podman (PATH, /usr/sbin, /usr/libexec ...)
     * @param systemTools whether the machine's own tools may be asked (postgresql-common's pg_lsclusters): not
     *                    under a fake root
     * @param timeout     time limit of each external program
     * @param loopback    the address tried for "is something listening" (127.0.0.1)
     */
    public record Layout(Path root, List<Path> programDirs, boolean systemTools, Duration timeout, String loopback) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        private static final List<String> STANDARD_PROGRAM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin",
                "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/libexec");

        /** The usual places on this machine, plus the folders on PATH. */
        public static Layout defaults() {
            List<Path> programs = new ArrayList<>();
            STANDARD_PROGRAM_DIRS.forEach(d -> programs.add(Path.of(d)));
            for (Path p : Probe.pathList(System.getenv("PATH"))) {
                if (p.isAbsolute() && !programs.contains(p)) {
                    programs.add(p);
                }
            }
            return new Layout(Path.of("/"), programs, true, DEFAULT_TIMEOUT, "127.0.0.1");
        }

        /** The usual places under another root (for tests, or a mounted system): no PATH, no system tools. */
        public static Layout under(Path root) {
            return new Layout(root, STANDARD_PROGRAM_DIRS.stream().map(d -> reroot(root, Path.of(d))).toList(),
                    false, DEFAULT_TIMEOUT, "127.0.0.1");
        }

        public Layout withTimeout(Duration t) {
            return new Layout(root, programDirs, systemTools, t, loopback);
        }

        public Layout withProgramDirs(List<Path> dirs) {
            return new Layout(root, dirs, systemTools, timeout, loopback);
        }

        /** An absolute path read from a configuration file (or a usual place), resolved under {@link #root}. */
        public Path inRoot(String path) {
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

    /** What this machine has. */
    public Target discover() {
        List<InstalledServer> found = programs();
        List<Target.Stray> strays = new ArrayList<>();
        List<InstalledServer> servers = new ArrayList<>();
        for (ServerDiscovery engine : engines) {
            servers.addAll(engine.withData(found, layout, strays));
        }
        return new Target(servers, podmanVersion(), io.dbrescue.run.OsUsers.isRoot(), strays, TargetOptions.NONE,
                io.dbrescue.run.Secrets.environment(), engines);
    }

    /** What this machine has, with the user's options applied (see {@link Target#withOptions}). */
    public Target discover(TargetOptions options) {
        Target t = discover();
        return options == null || options.equals(TargetOptions.NONE) ? t : apply(t, options, layout.timeout());
    }

    /** The server programs found: in the engines' own version-named folders, then in the program folders. */
    private List<InstalledServer> programs() {
        List<InstalledServer> found = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (ServerDiscovery engine : engines) {
            for (Path bin : engine.binDirs(layout)) {
                for (String program : engine.programs()) {
                    probeProgram(engine, bin.resolve(program), seen, layout.timeout()).ifPresent(found::add);
                }
            }
        }
        for (Path dir : layout.programDirs()) {
            found.addAll(serversIn(dir, seen, layout.timeout(), engines));
        }
        return found;
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

    /** The server programs of these engines in one folder, without clusters. */
    public static List<InstalledServer> serversIn(Path dir, Duration timeout, List<ServerDiscovery> engines) {
        return serversIn(dir, new HashSet<>(), timeout, engines);
    }

    private static List<InstalledServer> serversIn(Path dir, Set<Path> seen, Duration timeout,
                                                   List<ServerDiscovery> engines) {
        List<InstalledServer> out = new ArrayList<>();
        for (ServerDiscovery engine : engines) {
            for (String program : engine.programs()) {
                probeProgram(engine, dir.resolve(program), seen, timeout).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Runs {@code program --version} and makes a server of it; empty if missing, seen, or not answering. */
    private static Optional<InstalledServer> probeProgram(ServerDiscovery engine, Path program, Set<Path> seen,
                                                          Duration timeout) {
        if (!Probe.isProgram(program) || !seen.add(Probe.real(program))) {
            return Optional.empty();
        }
        Optional<String> out = Probe.run(List.of(program.toString(), "--version"), timeout);
        if (out.isEmpty()) {
            LOG.debug("{} did not tell its version; skipped", program);
            return Optional.empty();
        }
        Optional<InstalledServer> server = engine.fromVersion(program.getFileName().toString(), out.get(),
                program.toAbsolutePath().getParent());
        if (server.isEmpty()) {
            LOG.debug("{} --version said something unexpected: {}", program, out.get().strip());
        }
        return server;
    }

    /** "podman version 4.3.1" gives "4.3.1". */
    public static String parsePodmanVersion(String text) {
        return DataDirs.group(PODMAN_VERSION, text);
    }

    /** Whether a --target-host names this machine (or none was given). */
    public static boolean isLocal(String host) {
        return host == null || host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
    }

    /** See {@link Target#withOptions}. */
    static Target apply(Target target, TargetOptions o, Duration timeout) {
        if (o == null) {
            return target;
        }
        Target t = o.binDir() == null ? target : withBinDir(target, o, timeout);
        t = new Target(t.servers(), t.podmanVersion(), t.root(), t.dataWithoutServer(), o, t.secrets(), t.engines());
        for (ServerDiscovery engine : t.engines()) {
            t = engine.withOptions(t, o);
        }
        return t;
    }

    /**
     * The server(s) in --target-bin replace a found server of the same engine family and folder or major version,
     * taking over its clusters and the strays of their version.
     */
    private static Target withBinDir(Target target, TargetOptions o, Duration timeout) {
        Path dir = o.binDir();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("The folder given with --target-bin, " + dir
                    + ", does not exist or is not a folder. Give the folder that holds the server program,"
                    + " for example /usr/lib/postgresql/17/bin.");
        }
        List<InstalledServer> servers = new ArrayList<>(target.servers());
        List<Target.Stray> strays = new ArrayList<>(target.dataWithoutServer());
        int given = 0;
        for (ServerDiscovery engine : target.engines()) {
            for (InstalledServer g : serversIn(dir, timeout, List.of(engine))) {
                servers.add(takeOver(g, engine, Probe.real(dir), servers, strays));
                given++;
            }
        }
        if (given == 0) {
            throw new IllegalArgumentException("No database server program (" + String.join(", ", programs(target))
                    + ") that answers --version was found in " + dir + " (given with --target-bin)."
                    + " Give the folder that holds the server program, for example /usr/lib/postgresql/17/bin.");
        }
        return new Target(servers, target.podmanVersion(), target.root(), strays, target.options(), target.secrets(),
                target.engines());
    }

    private static List<String> programs(Target target) {
        return target.engines().stream().flatMap(e -> e.programs().stream()).toList();
    }

    /** The given server with the clusters of the one it replaces (same family, same folder or major). */
    private static InstalledServer takeOver(InstalledServer g, ServerDiscovery engine, Path wanted,
                                            List<InstalledServer> servers, List<Target.Stray> strays) {
        List<Cluster> clusters = new ArrayList<>();
        servers.removeIf(s -> {
            boolean same = engine.engines().contains(s.engine())
                    && (s.binDir() != null && Probe.real(s.binDir()).equals(wanted) || g.major().equals(s.major()));
            if (same) {
                clusters.addAll(s.clusters());
            }
            return same;
        });
        strays.removeIf(st -> {
            boolean mine = engine.engines().contains(st.engine()) && g.major().equals(st.cluster().major());
            if (mine) {
                clusters.add(st.cluster());
            }
            return mine;
        });
        return new InstalledServer(g.engine(), g.version(), g.binDir(), List.copyOf(clusters));
    }
}
