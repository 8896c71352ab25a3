package io.dbrescue.machine;

import io.dbrescue.machine.InstalledServer.Cluster;
import io.dbrescue.scan.Engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the engines' discoveries share: reading ports and paths from configuration files, the data
 * directories of a service with one port, and giving data directories to the servers that can run them.
 */
public final class DataDirs {
    private DataDirs() {
    }

    /**
     * Gives each data directory to a server of {@code engine}: the one of its major version; without a known
     * version, the newest when {@code anyVersionRuns} (Redis, MongoDB: one data directory for whatever version is
     * installed) or the only one; else it is a stray.
     */
    public static List<InstalledServer> attach(Engine engine, boolean anyVersionRuns, List<InstalledServer> found,
                                               List<Cluster> clusters, List<Target.Stray> strays) {
        List<InstalledServer> mine = found.stream().filter(s -> s.engine() == engine).toList();
        Map<InstalledServer, List<Cluster>> byServer = new LinkedHashMap<>();
        mine.forEach(s -> byServer.put(s, new ArrayList<>()));
        for (Cluster c : clusters) {
            InstalledServer home = null;
            if (c.major() != null) {
                home = mine.stream().filter(s -> c.major().equals(s.major())).findFirst().orElse(null);
            } else if (anyVersionRuns && !mine.isEmpty()) {
                home = newestOf(mine);
            } else if (mine.size() == 1) {
                home = mine.get(0);
            }
            if (home != null) {
                byServer.get(home).add(c);
            } else {
                strays.add(new Target.Stray(engine, c));
            }
        }
        return withClusters(byServer);
    }

    /** The servers, each with the data directories given to it. */
    public static List<InstalledServer> withClusters(Map<InstalledServer, List<Cluster>> byServer) {
        return byServer.entrySet().stream().map(e -> new InstalledServer(e.getKey().engine(), e.getKey().version(),
                e.getKey().binDir(), List.copyOf(e.getValue()))).toList();
    }

    private static InstalledServer newestOf(List<InstalledServer> servers) {
        return servers.stream().max((a, b) -> Versions.compare(a.version(), b.version())).orElseThrow();
    }

    /** The folders that exist, once each, as data of a service on one port (running when it accepts connections). */
    public static List<Cluster> serviceDirs(List<Path> dirs, int port, Path configFile, TargetDiscovery.Layout layout) {
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

    /** The same data directory however it was reached (links resolved). */
    public static Path key(Path p) {
        return Probe.real(p);
    }

    /** The group of the last line that matches, or null. */
    public static String lastMatch(Pattern p, List<String> lines) {
        String last = null;
        for (String line : lines) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                last = m.group(1);
            }
        }
        return last;
    }

    /** The first group of the first match in a text, or null. */
    public static String group(Pattern p, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** A TCP port (1-65535), or null. */
    public static Integer parsePort(String s) {
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

    /** A server's version text as InstalledServer takes it: none without a version. */
    public static java.util.Optional<InstalledServer> server(Engine engine, String version, Path bin) {
        return version == null ? java.util.Optional.empty()
                : java.util.Optional.of(new InstalledServer(engine, version, bin, List.of()));
    }
}
