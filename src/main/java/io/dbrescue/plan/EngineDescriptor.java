package io.dbrescue.plan;

import io.dbrescue.machine.Packages;
import io.dbrescue.machine.ServerDiscovery;
import io.dbrescue.machine.Target;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.EngineScanner;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything dbrescue knows about one engine, in that engine's package: what it finds in a backup, how it
 * recovers, how its servers are found on this machine, and the facts the shared code asks about (port, service user, password variable, packages).
 * {@code io.dbrescue.Engines} lists one per engine; the shared packages ask it instead of naming engines.
 */
public interface EngineDescriptor {
    /** The scan's engines this descriptor stands for (MariaDB / MySQL share one). */
    Set<Engine> engines();

    /** The detectors of its files and folders. */
    EngineScanner scanning();

    /** Its planners, the executors of its own step kinds and its test-restore sandbox. */
    EngineRecovery recovery();

    /** The port its server listens on unless told otherwise: 5432, 3306...; empty without a server. */
    OptionalInt defaultPort();

    /** The OS user distribution packages run its server as (postgres, mysql...); empty without a server. */
    Optional<String> serviceUser();

    /** Its port and service user, as a target's destination takes them. */
    default Target.Usual usual() {
        OptionalInt port = defaultPort();
        return new Target.Usual(port.isPresent() ? port.getAsInt() : null, serviceUser().orElse(null));
    }

    /** The environment variable its programs take a password from (PGPASSWORD...); empty when it has none. */
    Optional<String> passwordVariable();

    /**
     * The distribution packages that provide one of its programs (its file name, "pg_dump"; the major version or
     * null for any); empty for a program that is not its own.
     */
    default Optional<Packages.Suggestion> packages(String tool, String major) {
        return Optional.empty();
    }

    /** How its servers and their data are found on this machine; empty for an engine without a server. */
    default Optional<ServerDiscovery> discovery() {
        return Optional.empty();
    }

    /**
     * The way the container strategy can move older data in place instead of dumping it (pg_upgrade for
     * PostgreSQL, the newer server for MariaDB / MySQL); empty when only a dump moves it.
     */
    default Optional<Containers.UpgradeMethod> inPlaceUpgrade() {
        return Optional.empty();
    }
}
