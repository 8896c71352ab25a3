package io.dbrescue.redis;

import io.dbrescue.machine.Packages;
import io.dbrescue.machine.Packages.Family;
import io.dbrescue.machine.ServerDiscovery;
import io.dbrescue.plan.EngineDescriptor;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.EngineScanner;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Redis as dbrescue knows it: RDB and AOF files, restored by file placement. */
public final class RedisEngine implements EngineDescriptor {
    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.REDIS);
    }

    @Override
    public EngineScanner scanning() {
        return new RedisScanning();
    }

    @Override
    public EngineRecovery recovery() {
        return new RedisRecovery();
    }

    /** redis-server's port unless its configuration says otherwise. */
    static final int PORT = 6379;

    @Override
    public OptionalInt defaultPort() {
        return OptionalInt.of(PORT);
    }

    @Override
    public Optional<String> serviceUser() {
        return Optional.of("redis");
    }

    @Override
    public Optional<String> passwordVariable() {
        return Optional.of("REDISCLI_AUTH");
    }

    @Override
    public Optional<Packages.Suggestion> packages(String tool, String major) {
        if (!tool.equals("redis-server") && !tool.equals("redis-cli")) {
            return Optional.empty();
        }
        return Optional.of(new Packages.Suggestion(tool, major, Map.of(Family.DEBIAN,
                tool.equals("redis-server") ? "redis-server" : "redis-tools", Family.FEDORA, "redis",
                Family.ARCH, "valkey"), "Newer Fedora and Arch ship Valkey, a compatible fork of Redis, in its place."));
    }

    @Override
    public Optional<ServerDiscovery> discovery() {
        return Optional.of(new RedisDiscovery());
    }
}
