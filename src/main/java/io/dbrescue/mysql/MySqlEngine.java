package io.dbrescue.mysql;

import io.dbrescue.machine.Packages;
import io.dbrescue.machine.Packages.Family;
import io.dbrescue.plan.Containers;
import io.dbrescue.machine.ServerDiscovery;
import io.dbrescue.plan.EngineDescriptor;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.EngineScanner;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** MariaDB and MySQL as dbrescue knows them (one family: the same files, programs and port). */
public final class MySqlEngine implements EngineDescriptor {
    private static final Set<String> CLIENT = Set.of("mariadb", "mariadb-dump", "mariadb-admin",
            "mysql", "mysqldump", "mysqladmin");
    private static final Set<String> SERVER = Set.of("mariadbd", "mariadb-install-db", "mariadb-upgrade",
            "mysql_install_db", "mysql_upgrade");

    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.MARIADB, Engine.MYSQL);
    }

    @Override
    public EngineScanner scanning() {
        return new MySqlScanning();
    }

    @Override
    public EngineRecovery recovery() {
        return new MySqlRecovery();
    }

    @Override
    public OptionalInt defaultPort() {
        return OptionalInt.of(3306);
    }

    @Override
    public Optional<String> serviceUser() {
        return Optional.of("mysql");
    }

    @Override
    public Optional<String> passwordVariable() {
        return Optional.of("MYSQL_PWD");
    }

    @Override
    public Optional<Containers.UpgradeMethod> inPlaceUpgrade() {
        return Optional.of(Containers.UpgradeMethod.IN_PLACE);
    }

    @Override
    public Optional<Packages.Suggestion> packages(String tool, String major) {
        if (CLIENT.contains(tool)) {
            return Optional.of(new Packages.Suggestion(tool, major, Map.of(Family.DEBIAN, "mariadb-client",
                    Family.FEDORA, "mariadb", Family.ARCH, "mariadb-clients"), null));
        }
        if (SERVER.contains(tool)) {
            return Optional.of(new Packages.Suggestion(tool, major, Map.of(Family.DEBIAN, "mariadb-server",
                    Family.FEDORA, "mariadb-server", Family.ARCH, "mariadb"), major == null ? null
                    : "Distributions carry one MariaDB version each; for MariaDB " + major
                    + " use MariaDB's repository (mariadb.org/download) or a container."));
        }
        if (tool.equals("mysqld")) {
            return Optional.of(new Packages.Suggestion(tool, major, Map.of(Family.FEDORA, "mysql-server"),
                    "Debian and Arch do not carry MySQL's server (their mysqld is MariaDB); use MySQL's own"
                            + " repository (dev.mysql.com/downloads/repo) or a container."));
        }
        return Optional.empty();
    }

    @Override
    public Optional<ServerDiscovery> discovery() {
        return Optional.of(new MySqlDiscovery());
    }
}
