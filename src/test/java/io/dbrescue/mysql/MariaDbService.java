package io.dbrescue.mysql;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.MariaDb;
import io.dbrescue.testing.TestUser;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MariaDb} server ({@link MariaDb.Setup#DEBIAN}: made and run as {@code mysql}, root by unix_socket) that
 * owns Debian's own places, as the target a user has: its socket at {@code /run/mysqld/mysqld.sock} and its pid
 * file at {@code /run/mysqld/mysqld.pid}, its TCP port a free one on 127.0.0.1. Only one server can own that
 * socket: a test holds {@link #LOCK} (an OS file lock, so other test JVMs wait) from {@link #start} to
 * {@link #stop}. What this adds to {@link MariaDb} is that lock and the socket folder, nothing else.
 */
final class MariaDbService {
    static final Path RUN = Path.of("/run/mysqld");
    static final Path SOCKET = RUN.resolve("mysqld.sock");
    static final Path PID = RUN.resolve("mysqld.pid");
    static final Path LOCK = TestUser.BASE.resolve("run-mysqld.lock");

    private final MariaDb server;
    private FileChannel lockChannel;
    private FileLock lock;

    /** The server of this tree (null: Debian's) on data, installed by {@link #install}. */
    MariaDbService(Path basedir, Path data, Path log) {
        this.server = MariaDb.of(basedir, data).setup(MariaDb.Setup.DEBIAN).socket(SOCKET).pidFile(PID).tcp().log(log);
    }

    /** mariadb-install-db as Debian's postinst runs it: as mysql, --user=mysql, no test database. */
    static void install(Path basedir, Path data, String... extra) {
        MariaDb.of(basedir, data).setup(MariaDb.Setup.DEBIAN).install(extra);
    }

    /**
     * The old system of a backup, made as Debian makes it: Debian's 10.11 as mysql on a socket of its own (no
     * network), its pid file in the data directory as old.pid (the tests delete it before the backup is taken).
     */
    static MariaDb old(Path data, Path socket, Path log) {
        return MariaDb.debian(data).setup(MariaDb.Setup.DEBIAN).socket(socket).pidFile(data.resolve("old.pid")).log(log);
    }

    /** The old system's /etc/mysql: this machine's, as Debian's packages installed it (real my.cnf, conf.d...). */
    static void copyEtc(Path backup) {
        Path etc = backup.resolve("etc");
        Cmd.run(List.of("mkdir", "-p", etc.toString()));
        Cmd.run(List.of("cp", "-a", "/etc/mysql", etc.toString()));
    }

    /** The folder owned by mysql (0755) under the tests' base, for data directories and logs. */
    static Path newDir(String prefix) throws IOException {
        Path dir = TestUser.newDir(prefix);
        Cmd.run(List.of("chown", MariaDb.MYSQL_USER + ":" + MariaDb.MYSQL_USER, dir.toString()));
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
        Cmd.run(List.of("chown", MariaDb.MYSQL_USER + ":root", RUN.toString()));
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
        server.options(extra).start();
        return this;
    }

    int port() {
        return server.port();
    }

    /** SQL as root over Debian's socket with Debian's client: no password, unix_socket. */
    static String sql(String sql) {
        return MariaDb.sql(SOCKET, sql);
    }

    /** SQL as another account over the socket, with its password (through MYSQL_PWD, as a user would). */
    static String sqlAs(String user, String password, String sql) {
        return MariaDb.sqlAs(SOCKET, user, password, sql);
    }

    /** Stops whatever server owns the socket now (this one, or the one dbrescue started again), and the lock. */
    void stop() throws Exception {
        stopServer();
        server.close();
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
