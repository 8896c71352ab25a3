package io.dbrescue.postgres;

import io.dbrescue.machine.DataDirs;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.ServerDiscovery;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetDiscovery.Layout;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.machine.VersionedDir;
import io.dbrescue.scan.Engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * PostgreSQL servers on this machine: the postgres programs in the version-named folders of Debian
 * (/usr/lib/postgresql/N/bin), Arch's old-version package (/opt/pgsql-N/bin) and the PGDG RPMs
 * (/usr/pgsql-N/bin) and in the program folders, with their clusters ({@link PgClusters}); and the server
 * answering on the port the user named ({@link PgAnswering}).
 */
public final class PostgresDiscovery implements ServerDiscovery {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+(?:\\.\\d+)*)");

    private final List<VersionedDir> bins;

    /** Discovery in the usual version-named folders under the layout's root. */
    public PostgresDiscovery() {
        this(null);
    }

    /** Discovery in these version-named folders instead of the usual ones (tests); null for the usual ones. */
    public PostgresDiscovery(List<VersionedDir> bins) {
        this.bins = bins;
    }

    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.POSTGRESQL);
    }

    @Override
    public List<String> programs() {
        return List.of("postgres");
    }

    @Override
    public Optional<InstalledServer> fromVersion(String program, String versionText, Path binDir) {
        return DataDirs.server(Engine.POSTGRESQL, parseVersion(versionText), binDir);
    }

    /** "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" gives "15.18"; null if not such a text. */
    public static String parseVersion(String text) {
        return DataDirs.group(VERSION, text);
    }

    @Override
    public List<Path> binDirs(Layout layout) {
        List<VersionedDir> where = bins != null ? bins : List.of(
                new VersionedDir(layout.inRoot("/usr/lib/postgresql"), "", "bin"),
                new VersionedDir(layout.inRoot("/opt"), "pgsql-", "bin"),
                new VersionedDir(layout.inRoot("/usr"), "pgsql-", "bin"));
        return where.stream().flatMap(vd -> vd.existing().values().stream()).toList();
    }

    @Override
    public List<InstalledServer> withData(List<InstalledServer> found, Layout layout, List<Target.Stray> strays) {
        return DataDirs.attach(Engine.POSTGRESQL, false, found, new PgClusters(layout).all(), strays);
    }

    @Override
    public Target withOptions(Target target, TargetOptions o) {
        if (o.port() == null || !io.dbrescue.machine.TargetDiscovery.isLocal(o.host())) {
            return target;
        }
        Optional<PgLocalServer> live = PgLocalServer.find(o.port());
        if (live.isEmpty() && o.dataDir() != null) {
            live = PgLocalServer.fromDataDir(o.dataDir(), o.port());
        }
        return live.map(l -> PgAnswering.with(target, l)).orElse(target);
    }

    @Override
    public Optional<Running> running(int port) {
        Optional<Running> found = PgLocalServer.find(port)
                .map(s -> new Running(s.osUser(), Engine.POSTGRESQL, s.version(), "port " + port));
        // its lock file is the owner's alone: a desktop user sees only the socket, and that it answers there
        return found.or(() -> PgLocalServer.SOCKET_DIRS.stream()
                .filter(d -> java.nio.file.Files.exists(d.resolve(".s.PGSQL." + port))).findFirst()
                .map(d -> new Running(null, Engine.POSTGRESQL, null, "socket " + d + " (port " + port + ")")));
    }
}
