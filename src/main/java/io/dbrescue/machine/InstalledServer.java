package io.dbrescue.machine;

import io.dbrescue.scan.Engine;

import java.nio.file.Path;
import java.util.List;

/**
 * A database server installed (or at least present) on this machine.
 *
 * @param engine   which engine
 * @param version  full version as the binary reports it ("15.18", "10.11.6"); null if unknown
 * @param binDir   the folder with the server binaries and, where present, its client tools
 * @param clusters data directories known to belong to this version (Debian clusters, usual paths)
 */
public record InstalledServer(Engine engine, String version, Path binDir, List<Cluster> clusters) {
    /** The major version: "15" for PostgreSQL 15.18 (and "9.6" for 9.6.24), "10.11" for MariaDB 10.11.6. */
    public String major() {
        return majorOf(engine, version);
    }

    public static String majorOf(Engine engine, String version) {
        if (version == null) {
            return null;
        }
        String[] parts = version.split("[.]");
        if (engine == Engine.POSTGRESQL) {
            return parts[0].matches("\\d+") && Integer.parseInt(parts[0]) >= 10 || parts.length < 2
                    ? parts[0] : parts[0] + "." + parts[1];
        }
        return parts.length < 2 ? parts[0] : parts[0] + "." + parts[1];
    }

    /** One line for people: "PostgreSQL 15.18 at /usr/lib/postgresql/15/bin; cluster 15/main on port 5432 (stopped)". */
    public String summary() {
        StringBuilder b = new StringBuilder(engine.displayName()).append(' ')
                .append(version != null ? version : "(version unknown)");
        if (binDir != null) {
            b.append(" at ").append(binDir);
        }
        for (Cluster c : clusters) {
            b.append("; ").append(c.summary(engine));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return summary();
    }

    /**
     * A data directory of this server on this machine.
     *
     * @param dataDir    where the files are
     * @param port       the port it is configured for (null if unknown)
     * @param running    whether it is listening now
     * @param owner      the OS user that owns the files and runs the server (null if unreadable)
     * @param major      the major version of the data in it (PostgreSQL: PG_VERSION; MariaDB/MySQL: the
     *                   upgrade-info file); null if unknown or unreadable
     * @param name       a short name: "15/main" for a Debian cluster; null where there is none
     * @param configFile the configuration file it was found through (Debian's postgresql.conf,
     *                   my.cnf, redis.conf); null if none
     */
    public record Cluster(Path dataDir, Integer port, boolean running, String owner, String major, String name,
                          Path configFile) {
        public Cluster(Path dataDir, Integer port, boolean running, String owner) {
            this(dataDir, port, running, owner, null, null, null);
        }

        /** "cluster 15/main on port 5432 (stopped), owner postgres, /var/lib/postgresql/15/main". */
        public String summary(Engine engine) {
            StringBuilder b = new StringBuilder();
            if (name != null) {
                b.append(engine == Engine.POSTGRESQL ? "cluster " : "data ").append(name);
            } else {
                b.append("data directory");
            }
            b.append(port != null ? " on port " + port : " on an unknown port")
                    .append(running ? " (running)" : " (stopped)");
            if (major != null && (name == null || !name.startsWith(major + "/"))) {
                b.append(", version ").append(major);
            }
            if (owner != null) {
                b.append(", owner ").append(owner);
            }
            b.append(", ").append(dataDir);
            return b.toString();
        }
    }
}
