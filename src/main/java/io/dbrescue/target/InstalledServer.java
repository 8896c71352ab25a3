package io.dbrescue.target;

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

    /**
     * A data directory of this server on this machine.
     *
     * @param dataDir where the files are
     * @param port    the port it is configured for (null if unknown)
     * @param running whether it is listening now
     * @param owner   the OS user that owns the files and runs the server
     */
    public record Cluster(Path dataDir, Integer port, boolean running, String owner) {
    }
}
