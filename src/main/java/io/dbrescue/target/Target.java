package io.dbrescue.target;

import io.dbrescue.scan.Engine;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the new system has: the servers installed and their data directories, whether Podman is
 * there, and who we run as. Made by {@link TargetDiscovery}; every value can be overridden with
 * {@link TargetOptions}.
 *
 * @param servers       installed servers, any engine
 * @param podmanVersion "4.3.1", or null when Podman is not installed
 * @param root          whether dbrescue runs as root (root-only steps are then run directly)
 */
public record Target(List<InstalledServer> servers, String podmanVersion, boolean root) {

    /** Installed servers of one engine, newest first. */
    public List<InstalledServer> servers(Engine engine) {
        return servers.stream().filter(s -> s.engine() == engine)
                .sorted(Comparator.comparing(InstalledServer::version, Versions::compare).reversed()).toList();
    }

    /** The installed server of this engine and major version, if any. */
    public Optional<InstalledServer> server(Engine engine, String major) {
        return servers(engine).stream().filter(s -> major.equals(s.major())).findFirst();
    }

    /** This target with the user's overrides applied (placeholder: discovery will fill this in). */
    public Target withOptions(TargetOptions options) {
        return this;
    }

    /** The newest installed server of this engine, if any. */
    public Optional<InstalledServer> newest(Engine engine) {
        return servers(engine).stream().findFirst();
    }
}
