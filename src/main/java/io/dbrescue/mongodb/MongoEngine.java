package io.dbrescue.mongodb;

import io.dbrescue.machine.Packages;
import io.dbrescue.machine.ServerDiscovery;
import io.dbrescue.plan.EngineDescriptor;
import io.dbrescue.plan.EngineRecovery;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.EngineScanner;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** MongoDB as dbrescue knows it: dbPath folders, dump folders and archives. */
public final class MongoEngine implements EngineDescriptor {
    /** The variable MongoTool reads the password from (it goes to the tools in a 0600 config file, not argv). */
    public static final String PASSWORD_VARIABLE = "MONGODB_PASSWORD";

    private static final Set<String> SERVER = Set.of("mongod", "mongosh", "mongo");
    private static final Set<String> TOOLS = Set.of("mongorestore", "mongodump");

    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.MONGODB);
    }

    @Override
    public EngineScanner scanning() {
        return new MongoScanning();
    }

    @Override
    public EngineRecovery recovery() {
        return new MongoRecovery();
    }

    /** mongod's port unless its configuration says otherwise (also inside the old version's container). */
    static final int PORT = 27017;

    @Override
    public OptionalInt defaultPort() {
        return OptionalInt.of(PORT);
    }

    @Override
    public Optional<String> serviceUser() {
        return Optional.of("mongodb");
    }

    @Override
    public Optional<String> passwordVariable() {
        return Optional.of(PASSWORD_VARIABLE);
    }

    /** No distribution carries MongoDB: the suggestion names MongoDB's own repository. */
    @Override
    public Optional<Packages.Suggestion> packages(String tool, String major) {
        if (SERVER.contains(tool)) {
            return Optional.of(new Packages.Suggestion(tool, major, Map.of(), "MongoDB is not carried by Debian, "
                    + "Fedora or Arch: install mongodb-org from MongoDB's own repository (repo.mongodb.org), or run it "
                    + "in a container."));
        }
        if (TOOLS.contains(tool)) {
            return Optional.of(new Packages.Suggestion(tool, major, Map.of(), "MongoDB's tools are not carried by "
                    + "Debian, Fedora or Arch: install mongodb-database-tools from MongoDB's own repository "
                    + "(repo.mongodb.org)."));
        }
        return Optional.empty();
    }

    /** The advice for a missing MongoDB program on this machine. */
    static String advice(String tool) {
        return Packages.advice(new MongoEngine().packages(tool, null), tool, null);
    }

    @Override
    public Optional<ServerDiscovery> discovery() {
        return Optional.of(new MongoDiscovery());
    }
}
