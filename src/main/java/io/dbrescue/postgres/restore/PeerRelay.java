package io.dbrescue.postgres.restore;

import io.dbrescue.run.Exec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Peer logins for a dbrescue that runs as root. A distribution's PostgreSQL lets its OS user in through the
 * Unix socket without a password ({@code local all all peer}): the server asks the kernel which OS user the
 * connecting process runs as. A root JVM is not that user, and the JDBC driver and the client programs cannot
 * change who they are; so a tiny relay ({@link PeerRelayMain}) runs as that user ({@code runuser}), listens on
 * a socket in a folder only that user (and root) can enter, and joins each connection to the server's socket.
 * Nothing is opened to anybody else: no TCP port, no password, no change to the server's pg_hba.conf.
 *
 * <p>One relay per OS user and server socket, started on first use and kept while dbrescue runs; it ends by
 * itself when dbrescue ends (its stdin closes), and its folder is removed then.
 */
final class PeerRelay {
    private static final Logger LOG = LoggerFactory.getLogger(PeerRelay.class);
    private static final Map<String, PeerRelay> RUNNING = new ConcurrentHashMap<>();
    private static final String MAIN = PeerRelayMain.class.getName();

    private final Process process;
    private final Path dir;
    private final Path socket;

    private PeerRelay(Process process, Path dir, Path socket) {
        this.process = process;
        this.dir = dir;
        this.socket = socket;
    }

    /**
     * The folder to connect to (as {@code -h DIR}, or DIR/.s.PGSQL.PORT) to reach the server socket
     * {@code serverDir/.s.PGSQL.PORT} as {@code osUser}; the relay starts if it is not running yet.
     */
    static Path folder(String osUser, Path serverDir, int port) throws IOException {
        String key = osUser + "\u0000" + serverDir.resolve(".s.PGSQL." + port);
        synchronized (RUNNING) {
            PeerRelay r = RUNNING.get(key);
            if (r != null && r.process.isAlive() && Files.exists(r.socket, LinkOption.NOFOLLOW_LINKS)) {
                return r.dir;
            }
            if (r != null) {
                r.stop();
            }
            r = start(osUser, serverDir.resolve(".s.PGSQL." + port), port);
            RUNNING.put(key, r);
            return r.dir;
        }
    }

    private static PeerRelay start(String osUser, Path serverSocket, int port) throws IOException {
        UserPrincipal owner = lookup(osUser);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dbrescue-peer-");
        Path socket = dir.resolve(".s.PGSQL." + port);
        try {
            Path classFile = dir.resolve("cp").resolve(MAIN.replace('.', '/') + ".class");
            Files.createDirectories(classFile.getParent());
            try (InputStream in = PeerRelay.class.getResourceAsStream("/" + MAIN.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new IOException("the relay's class file is missing from dbrescue itself");
                }
                Files.copy(in, classFile);
            }
            giveTree(dir, owner);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Process p = Exec.of(argv(dir, socket, serverSocket)).as(osUser).stdinPipe().spawn();
            awaitReady(p, osUser);
            LOG.info("peer relay for {} as OS user {} listens on {} (pid {})", serverSocket, osUser, socket, p.pid());
            PeerRelay relay = new PeerRelay(p, dir, socket);
            Runtime.getRuntime().addShutdownHook(new Thread(relay::stop, "peer-relay-stop"));
            return relay;
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /**
     * This Java on the relay's class; Exec adds setsid (a terminal's Ctrl-C must not end it while a step still
     * needs it) and runuser.
     */
    private static List<String> argv(Path dir, Path socket, Path serverSocket) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", dir.resolve("cp").toString(), MAIN, socket.toString(), serverSocket.toString());
    }

    private static void awaitReady(Process p, String osUser) throws IOException {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                line.complete(String.valueOf(r.readLine()));
            } catch (IOException e) {
                line.complete("null");
            }
        }, "peer-relay-ready");
        reader.setDaemon(true);
        reader.start();
        String said;
        try {
            said = line.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            said = "nothing within 30 s";
        } catch (Exception e) {
            said = e.getMessage();
        }
        if (!"ready".equals(said)) {
            p.destroyForcibly();
            throw new IOException("the relay that logs in as the OS user " + osUser + " did not start (" + said
                    + "); can " + osUser + " run " + Path.of(System.getProperty("java.home"), "bin", "java") + "?");
        }
    }

    private void stop() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        delete(dir);
    }

    private static UserPrincipal lookup(String osUser) throws IOException {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser);
        } catch (IOException e) {
            throw new IOException("there is no OS user called " + osUser + " to log in as by peer", e);
        }
    }

    private static void giveTree(Path dir, UserPrincipal owner) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                Files.setOwner(p, owner);
            }
        }
    }

    private static void delete(Path dir) {
        try {
            io.dbrescue.run.CopyTree.delete(dir);
        } catch (IOException e) {
            LOG.debug("could not remove the relay folder {}: {}", dir, e.getMessage());
        }
    }
}
