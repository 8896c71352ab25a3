package io.dbrescue.mongodb;

import io.dbrescue.machine.DataDirs;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Probe;
import io.dbrescue.machine.ServerDiscovery;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetDiscovery.Layout;
import io.dbrescue.scan.Engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** MongoDB servers on this machine (mongod) and their dbPaths (mongod.conf's, /var/lib/mongodb, /var/lib/mongo). */
public final class MongoDiscovery implements ServerDiscovery {
    private static final Pattern VERSION = Pattern.compile("db version v(\\d+(?:\\.\\d+)*)");
    private static final Pattern PORT_LINE = Pattern.compile("^\\s*port:\\s*(\\d+)");
    private static final Pattern PATH_LINE = Pattern.compile("^\\s*dbPath:\\s*[\"']?([^\"'#\\s]+)");

    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.MONGODB);
    }

    @Override
    public List<String> programs() {
        return List.of("mongod");
    }

    @Override
    public Optional<InstalledServer> fromVersion(String program, String versionText, Path binDir) {
        return DataDirs.server(Engine.MONGODB, parseVersion(versionText), binDir);
    }

    /** "db version v7.0.14" gives "7.0.14". */
    public static String parseVersion(String text) {
        return DataDirs.group(VERSION, text);
    }

    /** One dbPath serves whatever version is installed. */
    @Override
    public List<InstalledServer> withData(List<InstalledServer> found, Layout layout, List<Target.Stray> strays) {
        Integer port = null;
        List<Path> dirs = new ArrayList<>();
        Path configFile = null;
        Path conf = layout.inRoot("/etc/mongod.conf");
        List<String> lines = Probe.lines(conf);
        if (!lines.isEmpty()) {
            configFile = conf;
            port = DataDirs.parsePort(DataDirs.lastMatch(PORT_LINE, lines));
            String dbPath = DataDirs.lastMatch(PATH_LINE, lines);
            if (dbPath != null && dbPath.startsWith("/")) {
                dirs.add(layout.inRoot(dbPath));
            }
        }
        dirs.add(layout.inRoot("/var/lib/mongodb"));
        dirs.add(layout.inRoot("/var/lib/mongo"));
        return DataDirs.attach(Engine.MONGODB, true, found,
                DataDirs.serviceDirs(dirs, port != null ? port : MongoEngine.PORT, configFile, layout), strays);
    }
}
