package io.dbrescue.mysql;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.TestUser;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** MariaDB servers for the restore tests, run as the test user on 127.0.0.1 and a free port. */
final class MariaDbFixture {
    private MariaDbFixture() {
    }

    static String user() {
        return TestUser.isRoot() ? TestUser.NAME : System.getProperty("user.name");
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** mariadb-install-db of Debian (basedir null) or of an unpacked tree (basedir = its root). */
    static void install(Path basedir, Path data) {
        List<String> argv = new ArrayList<>();
        argv.add(basedir == null ? "mariadb-install-db" : basedir.resolve("scripts/mariadb-install-db").toString());
        argv.add("--no-defaults");
        if (basedir != null) {
            argv.add("--basedir=" + basedir);
            argv.add("--skip-ssl");
        }
        argv.addAll(List.of("--auth-root-authentication-method=normal", "--datadir=" + data, "--user=" + user(),
                "--skip-test-db", "--innodb-log-file-size=4M"));
        Cmd.run(Cmd.asTestUser(argv));
    }

    /** Starts mariadbd (Debian's /usr/sbin one when basedir is null) on data; the pid file is the default one in data. */
    static Process start(Path basedir, Path data, Path socket, int port, Path log) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(basedir == null ? "/usr/sbin/mariadbd" : basedir.resolve("bin/mariadbd").toString());
        argv.add("--no-defaults");
        if (basedir != null) {
            argv.add("--basedir=" + basedir);
            argv.add("--skip-ssl");
        }
        argv.addAll(List.of("--datadir=" + data, "--socket=" + socket, "--port=" + port, "--bind-address=127.0.0.1",
                "--innodb-log-file-size=4M"));
        Process p = new ProcessBuilder(Cmd.asTestUser(argv)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 600 && !Files.exists(socket); i++) {
            if (!p.isAlive()) {
                throw new AssertionError("mariadbd exited: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        if (!Files.exists(socket)) {
            throw new AssertionError("mariadbd did not start: " + Files.readString(log));
        }
        return p;
    }

    static String sql(Path socket, String sql) {
        return Cmd.run(List.of("mariadb", "--no-defaults", "-S", socket.toString(), "-uroot", "-N", "-B", "-e", sql)).trim();
    }

    static String sqlTcp(int port, String sql) {
        return Cmd.run(List.of("mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", Integer.toString(port),
                "--protocol=TCP", "-uroot", "-N", "-B", "-e", sql)).trim();
    }

    static void shutdown(Path socket, Process p) throws Exception {
        Cmd.run(List.of("mariadb-admin", "--no-defaults", "-S", socket.toString(), "-uroot", "shutdown"));
        if (p != null && !p.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("mariadbd did not stop");
        }
    }

    /** Stops whatever mariadbd runs on data (through the pid files in it), e.g. one dbrescue started. */
    static void stopAny(Path data) throws Exception {
        if (data == null || !Files.isDirectory(data)) {
            return;
        }
        ProcessHandle h = MySqlSteps.livePid(data);
        if (h != null) {
            h.destroy();
            h.onExit().get(60, TimeUnit.SECONDS);
        }
    }

    static void kill(Process p) throws Exception {
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }
}
