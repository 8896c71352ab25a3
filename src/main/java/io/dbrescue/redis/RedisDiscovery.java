package io.dbrescue.redis;

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

/** Redis servers on this machine (redis-server) and their working directories (redis.conf's dir, /var/lib/redis). */
public final class RedisDiscovery implements ServerDiscovery {
    private static final Pattern VERSION = Pattern.compile("\\bv=(\\d+(?:\\.\\d+)*)");

    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.REDIS);
    }

    @Override
    public List<String> programs() {
        return List.of("redis-server");
    }

    @Override
    public Optional<InstalledServer> fromVersion(String program, String versionText, Path binDir) {
        return DataDirs.server(Engine.REDIS, parseVersion(versionText), binDir);
    }

    /** "Redis server v=7.0.15 sha=..." gives "7.0.15". */
    public static String parseVersion(String text) {
        return DataDirs.group(VERSION, text);
    }

    /** One working directory serves whatever version is installed. */
    @Override
    public List<InstalledServer> withData(List<InstalledServer> found, Layout layout, List<Target.Stray> strays) {
        Integer port = null;
        List<Path> dirs = new ArrayList<>();
        Path configFile = null;
        for (Path conf : List.of(layout.inRoot("/etc/redis/redis.conf"), layout.inRoot("/etc/redis.conf"))) {
            List<String> lines = Probe.lines(conf);
            if (lines.isEmpty()) {
                continue;
            }
            configFile = configFile == null ? conf : configFile;
            for (String line : lines) {
                String[] t = line.strip().split("\\s+", 2);
                if (t.length == 2 && t[0].equalsIgnoreCase("port") && port == null) {
                    port = DataDirs.parsePort(t[1]);
                } else if (t.length == 2 && t[0].equalsIgnoreCase("dir")) {
                    String dir = t[1].strip().replaceAll("^\"|\"$", "");
                    if (dir.startsWith("/")) {
                        dirs.add(layout.inRoot(dir));
                    }
                }
            }
        }
        dirs.add(layout.inRoot("/var/lib/redis"));
        return DataDirs.attach(Engine.REDIS, true, found,
                DataDirs.serviceDirs(dirs, port != null ? port : RedisEngine.PORT, configFile, layout), strays);
    }
}
