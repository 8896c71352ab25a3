package io.dbrescue.postgres;

import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Packages;
import io.dbrescue.machine.Packages.Family;
import io.dbrescue.plan.Containers;
import io.dbrescue.machine.ServerDiscovery;
import io.dbrescue.plan.EngineDescriptor;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.EngineScanner;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** PostgreSQL as dbrescue knows it: its detectors, its recovery and its facts. */
public final class PostgresEngine implements EngineDescriptor {
    /** The OS user Debian's, Fedora's and Arch's packages run the server as. */
    public static final String SERVICE_USER = "postgres";

    private static final Set<String> CLIENT = Set.of("pg_dump", "pg_restore", "psql", "pg_dumpall", "pg_isready",
            "createdb", "dropdb", "createuser", "pg_basebackup");
    private static final Set<String> SERVER = Set.of("postgres", "initdb", "pg_ctl", "pg_upgrade",
            "pg_controldata", "pg_resetwal", "pg_checksums");

    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.POSTGRESQL);
    }

    @Override
    public EngineScanner scanning() {
        return new PostgresScanning();
    }

    @Override
    public EngineRecovery recovery() {
        return new PostgresRecovery();
    }

    @Override
    public OptionalInt defaultPort() {
        return OptionalInt.of(5432);
    }

    @Override
    public Optional<String> serviceUser() {
        return Optional.of(SERVICE_USER);
    }

    @Override
    public Optional<String> passwordVariable() {
        return Optional.of("PGPASSWORD");
    }

    @Override
    public Optional<Containers.UpgradeMethod> inPlaceUpgrade() {
        return Optional.of(Containers.UpgradeMethod.PG_UPGRADE);
    }

    /** {@code pg_dump} 17 is postgresql-client-17 on Debian, postgresql17 on Fedora, postgresql on Arch. */
    @Override
    public Optional<Packages.Suggestion> packages(String tool, String major) {
        if (!CLIENT.contains(tool) && !SERVER.contains(tool)) {
            return Optional.empty();
        }
        boolean client = CLIENT.contains(tool);
        String m = major == null || major.isBlank() ? null : InstalledServer.majorOf(Engine.POSTGRESQL, major.strip());
        Map<Family, String> p = new EnumMap<>(Family.class);
        p.put(Family.DEBIAN, client ? (m != null ? "postgresql-client-" + m : "postgresql-client")
                : (m != null ? "postgresql-" + m : "postgresql"));
        p.put(Family.FEDORA, m != null ? "postgresql" + m.replace(".", "") + (client ? "" : "-server")
                : client ? "postgresql" : "postgresql-server");
        p.put(Family.ARCH, "postgresql");
        String note = m == null ? null : "If your release does not carry PostgreSQL " + m + ", add the PostgreSQL "
                + "project's repository (apt.postgresql.org, or download.postgresql.org for dnf; programs then live in"
                + " /usr/lib/postgresql/" + m + "/bin or /usr/pgsql-" + m + "/bin). Arch carries only the"
                + " newest major (and the previous one's server in postgresql-old-upgrade, under /opt/pgsql-N);"
                + " for another version a container is the way.";
        return Optional.of(new Packages.Suggestion(tool, major, Map.copyOf(p), note));
    }

    @Override
    public Optional<ServerDiscovery> discovery() {
        return Optional.of(new PostgresDiscovery());
    }
}
