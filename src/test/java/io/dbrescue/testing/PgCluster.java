package io.dbrescue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL server for fixtures, run as the unprivileged test user, listening on 127.0.0.1 on a
 * free port with its unix socket in a test-user folder. Minimal version (the dump detector's tests use
 * only this API); the complete one replaces it at merge.
 */
public final class PgCluster implements AutoCloseable {
    private final int major;
    private final Path dataDir;
    private final Path socketDir;
    private int port;
    private boolean running;

    private PgCluster(int major, Path dataDir, Path socketDir) {
        this.major = major;
        this.dataDir = dataDir;
        this.socketDir = socketDir;
    }

    /** The Debian package's binaries of that major. */
    public static Path binDir(int major) {
        return Path.of("/usr/lib/postgresql/" + major + "/bin");
    }

    /** initdb as the test user: -U postgres -A trust -E UTF8 --locale=C. dataDir must not exist yet or be empty. */
    public static PgCluster init(int major, Path dataDir, String... extraInitdbArgs) {
        try {
            Path parent = dataDir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            TestUser.chown(parent);
            Path socketDir = TestUser.newDir("pgsock");
            List<String> argv = new ArrayList<>(List.of(binDir(major).resolve("initdb").toString(), "-D",
                    dataDir.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"));
            argv.addAll(List.of(extraInitdbArgs));
            Cmd.run(Cmd.asTestUser(argv), parent, Map.of());
            return new PgCluster(major, dataDir, socketDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** pg_ctl start -w on a free port, listen_addresses=127.0.0.1. */
    public PgCluster start() {
        port = freePort();
        Cmd.run(Cmd.asTestUser(List.of(binDir(major).resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w",
                "-t", "60", "-l", socketDir.resolve("server.log").toString(), "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + socketDir, "start")),
                socketDir, Map.of());
        running = true;
        return this;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Runs SQL as postgres through psql -X -A -t -v ON_ERROR_STOP=1; returns the output. */
    public String psql(String db, String sql) {
        return Cmd.run(Cmd.asTestUser(List.of(binDir(major).resolve("psql").toString(), "-X", "-A", "-t", "-q",
                "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", db,
                "-c", sql)), socketDir, Map.of());
    }

    public void stop() {
        if (running) {
            Cmd.run(Cmd.asTestUser(List.of(binDir(major).resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-w", "-m", "fast", "stop")), socketDir, Map.of());
            running = false;
        }
    }

    public void kill() {
        if (running) {
            Cmd.run(Cmd.asTestUser(List.of(binDir(major).resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-m", "immediate", "stop")), socketDir, Map.of());
            running = false;
        }
    }

    /** Stops the server (immediately if a fast stop fails) and removes its socket folder. */
    @Override
    public void close() {
        try {
            stop();
        } catch (AssertionError e) {
            kill();
        }
        TestUser.delete(socketDir);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
