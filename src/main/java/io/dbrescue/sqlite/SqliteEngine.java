package io.dbrescue.sqlite;

import io.dbrescue.machine.Packages;
import io.dbrescue.machine.Packages.Family;
import io.dbrescue.plan.EngineDescriptor;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.EngineScanner;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** SQLite as dbrescue knows it: files without a server, so no port, service user or password. */
public final class SqliteEngine implements EngineDescriptor {
    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.SQLITE);
    }

    @Override
    public EngineScanner scanning() {
        return new SqliteScanning();
    }

    @Override
    public EngineRecovery recovery() {
        return new SqliteRecovery();
    }

    @Override
    public OptionalInt defaultPort() {
        return OptionalInt.empty();
    }

    @Override
    public Optional<String> serviceUser() {
        return Optional.empty();
    }

    @Override
    public Optional<String> passwordVariable() {
        return Optional.empty();
    }

    @Override
    public Optional<Packages.Suggestion> packages(String tool, String major) {
        return tool.equals("sqlite3") ? Optional.of(new Packages.Suggestion(tool, major, Map.of(Family.DEBIAN,
                "sqlite3", Family.FEDORA, "sqlite", Family.ARCH, "sqlite"), null)) : Optional.empty();
    }
}
