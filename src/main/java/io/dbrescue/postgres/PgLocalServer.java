package io.dbrescue.postgres;

import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Probe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server running on this machine, found without logging in: every server keeps a lock file
 * beside its Unix socket, {@code .s.PGSQL.PORT.lock}, whose lines are its process id, its data directory,
 * its start time, its port and the socket folder (miscinit.c, CreateLockFile). The socket's owner is the OS
 * user the server runs as (the one that may log in by peer on a distribution's default setup), PG_VERSION in
 * the data directory tells the major version of what it serves, and the program the process runs
 * (/proc/PID/exe) tells the full version and where the server's programs are.
 *
 * @param pid       the postmaster's process id
 * @param dataDir   its data directory
 * @param port      the port
 * @param socketDir the folder of its Unix socket; null when it has none (TCP only)
 * @param osUser    the OS user it runs as (owner of the socket); null when unknown
 * @param major     the major version of its data ("18"); null when the data directory cannot be read
 * @param version   the full version of its program ("18.1"); null when it cannot be asked
 * @param binDir    the folder of its program; null when unknown
 */
public record PgLocalServer(long pid, Path dataDir, int port, Path socketDir, String osUser, String major,
                            String version, Path binDir) {
    private static final Logger LOG = LoggerFactory.getLogger(PgLocalServer.class);
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+(?:\\.\\d+)*)");

    /** Where distributions and PostgreSQL's own default put the socket: Debian/Ubuntu/Fedora/Arch, and /tmp. */
    public static final List<Path> SOCKET_DIRS =
            List.of(Path.of("/var/run/postgresql"), Path.of("/run/postgresql"), Path.of("/tmp"));

    /** The server whose socket for this port is in one of the usual folders and whose process lives. */
    public static Optional<PgLocalServer> find(int port) {
        return find(port, SOCKET_DIRS);
    }

    public static Optional<PgLocalServer> find(int port, List<Path> socketDirs) {
        for (Path dir : socketDirs) {
            Optional<PgLocalServer> s = fromLock(dir, port);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    /** The server behind dir/.s.PGSQL.PORT, when its lock file names a live process and the socket is there. */
    static Optional<PgLocalServer> fromLock(Path dir, int port) {
        Path socket = dir.resolve(".s.PGSQL." + port);
        List<String> lines = Probe.lines(dir.resolve(".s.PGSQL." + port + ".lock"));
        if (lines.size() < 2 || !Files.exists(socket)) {
            return Optional.empty();
        }
        long pid = parsePid(lines.get(0));
        if (pid <= 0 || !Probe.alive(pid)) {
            LOG.debug("{}: the lock file names no live process", socket);
            return Optional.empty();
        }
        Path data = Path.of(lines.get(1).strip());
        String major = Probe.firstLine(data.resolve("PG_VERSION"));
        Path bin = binOf(pid);
        String version = bin == null ? null : version(bin.resolve("postgres"));
        return Optional.of(new PgLocalServer(pid, data, port, dir, Probe.owner(socket),
                major == null ? null : major.strip(), version, bin));
    }

    /**
     * The server running on this data directory and port, from its postmaster.pid (pid, data directory, start
     * time, port, socket folder — empty when it has none): for a server whose socket is not in a usual folder,
     * or that has none (TCP only), once its data directory is known (--target-data, or asked of the server).
     */
    public static Optional<PgLocalServer> fromDataDir(Path data, int port) {
        List<String> lines = Probe.lines(data.resolve("postmaster.pid"));
        if (lines.size() < 4 || !Integer.toString(port).equals(lines.get(3).strip())) {
            return Optional.empty();
        }
        long pid = parsePid(lines.get(0));
        if (pid <= 0 || !Probe.alive(pid)) {
            return Optional.empty();
        }
        String dir = lines.size() > 4 ? lines.get(4).strip() : "";
        Path socketDir = dir.isEmpty() || !Files.exists(Path.of(dir, ".s.PGSQL." + port)) ? null : Path.of(dir);
        String owner = socketDir != null ? Probe.owner(socketDir.resolve(".s.PGSQL." + port)) : Probe.owner(data);
        String major = Probe.firstLine(data.resolve("PG_VERSION"));
        Path bin = binOf(pid);
        return Optional.of(new PgLocalServer(pid, data, port, socketDir, owner, major == null ? null : major.strip(),
                bin == null ? null : version(bin.resolve("postgres")), bin));
    }

    private static Path binOf(long pid) {
        Path exe = Probe.real(Path.of("/proc", Long.toString(pid), "exe"));
        return exe != null && exe.getFileName() != null && exe.getFileName().toString().startsWith("postgres")
                ? exe.getParent() : null;
    }

    /** The major version as the server reports it: from its program, else from its data. */
    public String serverMajor() {
        return version != null ? InstalledServer.majorOf(io.dbrescue.scan.Engine.POSTGRESQL, version) : major;
    }

    /** "PostgreSQL 18.1 (pid 4242, data /var/lib/postgresql/18/main, socket /var/run/postgresql, runs as postgres)". */
    public String describe() {
        return "PostgreSQL " + (version != null ? version : major) + " (pid " + pid + ", data " + dataDir
                + (socketDir != null ? ", socket " + socketDir : ", no socket") + (osUser != null ? ", runs as " + osUser : "")
                + ")";
    }

    private static String version(Path postgres) {
        if (!Probe.isProgram(postgres)) {
            return null;
        }
        return Probe.run(List.of(postgres.toString(), "--version"), Duration.ofSeconds(10)).map(t -> {
            Matcher m = VERSION.matcher(t);
            return m.find() ? m.group(1) : null;
        }).orElse(null);
    }

    private static long parsePid(String s) {
        try {
            return Math.abs(Long.parseLong(s.strip())); // negative: a single-user backend (still the owner)
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
