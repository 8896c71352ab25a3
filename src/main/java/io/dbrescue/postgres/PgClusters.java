package io.dbrescue.postgres;

import io.dbrescue.machine.DataDirs;
import io.dbrescue.machine.InstalledServer.Cluster;
import io.dbrescue.machine.Probe;
import io.dbrescue.machine.TargetDiscovery.Layout;
import io.dbrescue.machine.VersionedDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The PostgreSQL data directories on this machine: Debian clusters (config and data side), pg_lsclusters rows,
 * then the usual single data directories of Arch, Fedora and the PGDG packages. The first place that names a
 * data directory wins.
 */
final class PgClusters {
    private static final Pattern PORT = Pattern.compile("^\\s*port\\s*(?:=\\s*|\\s)\\s*'?(\\d+)'?");
    private static final Pattern DATA_DIRECTORY =
            Pattern.compile("^\\s*data_directory\\s*(?:=\\s*|\\s)\\s*'([^']*)'");

    private final Layout layout;
    private final Path debianData;
    private final Path debianEtc;
    private final Map<Path, Cluster> found = new LinkedHashMap<>();

    PgClusters(Layout layout) {
        this.layout = layout;
        this.debianData = layout.inRoot("/var/lib/postgresql");
        this.debianEtc = layout.inRoot("/etc/postgresql");
    }

    List<Cluster> all() {
        debianConfigured();
        debianDataOnly();
        if (layout.systemTools()) {
            Path lsclusters = Path.of("/usr/bin/pg_lsclusters");
            if (Probe.isProgram(lsclusters)) {
                listed(lsclusters);
            }
        }
        usualDirs();
        return List.copyOf(found.values());
    }

    /** Debian: /etc/postgresql/N/NAME/postgresql.conf (data_directory, port). */
    private void debianConfigured() {
        for (Path versionDir : versionDirs(debianEtc)) {
            String n = versionDir.getFileName().toString();
            for (Path clusterDir : Probe.list(versionDir)) {
                Path conf = clusterDir.resolve("postgresql.conf");
                if (!Files.isRegularFile(conf)) {
                    continue;
                }
                String name = clusterDir.getFileName().toString();
                List<String> lines = Probe.lines(conf);
                String dd = DataDirs.lastMatch(DATA_DIRECTORY, lines);
                Path data = dd != null && !dd.isBlank() ? layout.inRoot(dd) : debianData.resolve(n).resolve(name);
                Integer port = DataDirs.parsePort(DataDirs.lastMatch(PORT, lines));
                found.putIfAbsent(DataDirs.key(data), cluster(data, port != null ? port : 5432, n, n + "/" + name, conf));
            }
        }
    }

    /** Debian data side: /var/lib/postgresql/N/NAME holding PG_VERSION but without a config. */
    private void debianDataOnly() {
        for (Path versionDir : versionDirs(debianData)) {
            String n = versionDir.getFileName().toString();
            for (Path data : Probe.list(versionDir)) {
                if (!found.containsKey(DataDirs.key(data)) && Files.isRegularFile(data.resolve("PG_VERSION"))) {
                    found.put(DataDirs.key(data), cluster(data, portIn(data), n, n + "/" + data.getFileName(), null));
                }
            }
        }
    }

    private static List<Path> versionDirs(Path parent) {
        return Probe.list(parent).stream()
                .filter(d -> VersionedDir.NUMBER.matcher(d.getFileName().toString()).matches()).toList();
    }

    /** postgresql-common's own list (also clusters outside the usual places; it knows which are online). */
    private void listed(Path lsclusters) {
        Probe.run(List.of(lsclusters.toString()), layout.timeout()).ifPresent(text -> {
            for (PgLsclusters.Row row : PgLsclusters.parse(text)) {
                Path data = row.dataDir();
                Cluster known = found.get(DataDirs.key(data));
                if (known == null) {
                    Cluster c = cluster(data, row.port(), row.version(), row.version() + "/" + row.name(), null);
                    found.put(DataDirs.key(data), row.online() && !c.running() ? running(c) : c);
                } else if (row.online() && !known.running()) {
                    found.put(DataDirs.key(data), running(known));
                }
            }
        });
    }

    /** Arch's /var/lib/postgres/data, Fedora's /var/lib/pgsql/data and PGDG's /var/lib/pgsql/N/data. */
    private void usualDirs() {
        List<Path> usual = new ArrayList<>(List.of(layout.inRoot("/var/lib/postgres/data"),
                layout.inRoot("/var/lib/pgsql/data")));
        Map<Path, String> versionOf = new LinkedHashMap<>();
        new VersionedDir(layout.inRoot("/var/lib/pgsql"), "", "data").existing().forEach((v, p) -> {
            usual.add(p);
            versionOf.put(p, v);
        });
        for (Path data : usual) {
            if (found.containsKey(DataDirs.key(data)) || !Files.isDirectory(data)) {
                continue;
            }
            boolean readable = Files.isReadable(data) && Files.isExecutable(data);
            if (Files.isRegularFile(data.resolve("PG_VERSION")) || !readable) {
                Integer port = portIn(data);
                found.put(DataDirs.key(data), cluster(data, port != null ? port : 5432, versionOf.get(data), null, null));
            }
        }
    }

    private static Integer portIn(Path data) {
        return DataDirs.parsePort(DataDirs.lastMatch(PORT, Probe.lines(data.resolve("postgresql.conf"))));
    }

    private static Cluster running(Cluster c) {
        return new Cluster(c.dataDir(), c.port(), true, c.owner(), c.major(), c.name(), c.configFile());
    }

    /**
     * One PostgreSQL data directory: major from PG_VERSION (else the version its folder is named for),
     * running from a live postmaster.pid when the folder can be read (and its port from that file),
     * else from whether something accepts connections on the port.
     */
    private Cluster cluster(Path data, Integer port, String folderVersion, String name, Path conf) {
        String major = Probe.firstLine(data.resolve("PG_VERSION"));
        if (major == null || !VersionedDir.NUMBER.matcher(major).matches()) {
            major = folderVersion;
        }
        boolean running;
        Integer actualPort = port;
        if (Files.isDirectory(data) && Files.isReadable(data) && Files.isExecutable(data)) {
            List<String> pid = Probe.lines(data.resolve("postmaster.pid"));
            running = !pid.isEmpty() && Probe.alive(parseLong(pid.get(0)));
            if (running && pid.size() > 3 && DataDirs.parsePort(pid.get(3)) != null) {
                actualPort = DataDirs.parsePort(pid.get(3));
            }
        } else {
            running = port != null && Probe.accepts(layout.loopback(), port);
        }
        return new Cluster(data, actualPort, running, Probe.owner(data), major, name, conf);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
