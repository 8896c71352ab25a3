package io.dbrescue.testing;

import io.dbrescue.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server set up the way a distribution's package sets up its service, for tests that must pass
 * on users' machines, not in a lab: it runs as the OS user {@code postgres} (Debian's postgresql-common makes
 * it), its socket is in /var/run/postgresql, it listens on 127.0.0.1, the cluster is made with a real locale
 * (en_US.UTF-8 unless told otherwise) and Debian's default logins — {@code local all all peer},
 * {@code host all all 127.0.0.1/32 scram-sha-256} — and the superuser {@code postgres} has <b>no password</b>.
 * Only a program running as the OS user postgres gets in (peer), exactly as on a fresh Debian/Ubuntu/Fedora/Arch.
 *
 * <p>Any major: Debian's 15 package, zonky's 16/17/18 programs ({@link PgCluster#binDir}). SQL goes through
 * Debian 15's psql run as postgres over the socket.
 */
public final class ServicePg implements AutoCloseable {
    public static final String OS_USER = "postgres";
    public static final Path SOCKET_DIR = Path.of("/var/run/postgresql");
    private static final Path PSQL = Path.of("/usr/lib/postgresql/15/bin/psql");

    private final int major;
    private final Path bin;
    private final Path dataDir;
    private final Path home;
    private int port;
    private Process server;

    private ServicePg(int major, Path bin, Path home) {
        this.major = major;
        this.bin = bin;
        this.home = home;
        this.dataDir = home.resolve("main");
    }

    /**
     * initdb as postgres in a new folder (owned by postgres, 0700 like /var/lib/postgresql), with this locale,
     * UTF8, peer for local logins and scram-sha-256 over TCP; {@code extraInitdbArgs} e.g. --data-checksums.
     */
    public static ServicePg init(int major, String locale, String... extraInitdbArgs) {
        Locales.ensure();
        ensureOsUser();
        Path home = TestUser.newDir("service-pg" + major + "-");
        Cmd.run(List.of("chown", OS_USER + ":" + OS_USER, home.toString()));
        Cmd.run(List.of("chmod", "0755", home.toString()));
        ServicePg pg = new ServicePg(major, PgCluster.binDir(major), home);
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--", pg.bin.resolve("initdb").toString(),
                "-D", pg.dataDir.toString(), "-U", OS_USER, "-E", "UTF8", "--locale=" + locale,
                "--auth-local=peer", "--auth-host=scram-sha-256", "-N"));
        argv.addAll(List.of(extraInitdbArgs));
        Cmd.run(argv, home, Map.of("LANG", "C", "LC_ALL", ""));
        return pg;
    }

    /** The OS user postgres and its socket folder, as the Debian package makes them (they exist once it is installed). */
    public static void ensureOsUser() {
        try {
            Cmd.run(List.of("id", "-u", OS_USER));
        } catch (AssertionError missing) {
            Cmd.run(List.of("useradd", "--system", "--home-dir", "/var/lib/postgresql", "--shell", "/bin/bash", OS_USER));
        }
        try {
            Files.createDirectories(SOCKET_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cmd.run(List.of("chown", OS_USER + ":" + OS_USER, SOCKET_DIR.toString()));
        Cmd.run(List.of("chmod", "2775", SOCKET_DIR.toString()));
    }

    /** Starts the server as postgres on a free port (socket in /var/run/postgresql), waits until it answers. */
    public ServicePg start() {
        if (server != null && server.isAlive()) {
            return this;
        }
        port = FreePorts.next();
        try {
            server = new ProcessBuilder("runuser", "-u", OS_USER, "--", bin.resolve("postgres").toString(),
                    "-D", dataDir.toString(), "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                    "-c", "unix_socket_directories=" + SOCKET_DIR, "-c", "fsync=off")
                    .redirectErrorStream(true).redirectOutput(home.resolve("server.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("PostgreSQL " + major + " did not start: " + log());
            }
            try {
                psql("postgres", "SELECT 1");
                return this;
            } catch (AssertionError notYet) {
                sleep(100);
            }
        }
        throw new AssertionError("PostgreSQL " + major + " did not answer within 60 s: " + log());
    }

    /** SQL as the OS user postgres over the socket (peer): -X -A -t -q, ON_ERROR_STOP; output without the last newline. */
    public String psql(String db, String sql) {
        String out = Cmd.run(List.of("runuser", "-u", OS_USER, "--", PSQL.toString(), "-X", "-A", "-t", "-q",
                "-v", "ON_ERROR_STOP=1", "-h", SOCKET_DIR.toString(), "-p", Integer.toString(port), "-d", db,
                "-c", sql), home, Map.of("LC_ALL", "C"));
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    /** A clean shutdown (SIGTERM to the postmaster: smart, immediate without clients), waited for. */
    public void stop() {
        if (server == null) {
            return;
        }
        Cmd.run(List.of("runuser", "-u", OS_USER, "--", bin.resolve("pg_ctl").toString(), "stop", "-w", "-t", "60",
                "-D", dataDir.toString(), "-m", "fast"));
        try {
            server.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int major() {
        return major;
    }

    public Path binDir() {
        return bin;
    }

    public String log() {
        try {
            return Files.readString(home.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (server != null && server.isAlive()) {
                stop();
            }
        } catch (AssertionError e) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        } finally {
            TestUser.delete(home);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
