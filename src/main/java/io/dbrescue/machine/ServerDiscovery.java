package io.dbrescue.machine;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.dbrescue.scan.Engine;

/**
 * How one engine's servers are found on this machine, in that engine's package (its descriptor hands it out):
 * which programs are its servers, what their version text says, and where its data directories are.
 * {@link TargetDiscovery} asks every engine's and assembles the {@link Target}.
 *
 * <p>Every method is safe on any machine: missing programs and folders are the normal case (no exception),
 * external programs run through {@link Probe#run} (argument list, time limit).
 */
public interface ServerDiscovery {
    /** The engines whose servers it finds (MariaDB and MySQL: one family, one discovery). */
    Set<Engine> engines();

    /** Its server programs' file names, in the order they are preferred within one folder ("mariadbd", "mysqld"). */
    List<String> programs();

    /** The server a program of {@link #programs()} is, from what its --version said; empty when it is not such a text. */
    Optional<InstalledServer> fromVersion(String program, String versionText, Path binDir);

    /** Folders of its programs found by their version-named parents (Debian's /usr/lib/postgresql/N/bin). */
    default List<Path> binDirs(TargetDiscovery.Layout layout) {
        return List.of();
    }

    /**
     * Its servers with their data directories: {@code found} holds every engine's servers found by program
     * (without data); data that no server of its own can run is added to {@code strays}.
     */
    List<InstalledServer> withData(List<InstalledServer> found, TargetDiscovery.Layout layout,
                                   List<Target.Stray> strays);

    /**
     * The server of this engine that answers on this port of this machine, found without logging in (PostgreSQL:
     * by the lock file beside its socket; MariaDB / MySQL: by the greeting it sends, over the system's socket for
     * its configured port) — the server a restore goes into, whatever programs are installed; empty when none is
     * found or the engine cannot tell.
     */
    default Optional<Running> running(int port) {
        return Optional.empty();
    }

    /**
     * A server running here, as found without logging in.
     *
     * @param osUser  the OS user it runs as (null when unknown)
     * @param engine  what it is (MariaDB or MySQL: what it says it is)
     * @param version its version as it says it ("11.4.5"; null when unknown)
     * @param where   how it was reached, for people ("socket /run/mysqld/mysqld.sock", "port 5432")
     */
    record Running(String osUser, Engine engine, String version, String where) {
    }

    /** This target with what the user's options say about its servers (a server answering on --target-port). */
    default Target withOptions(Target target, TargetOptions options) {
        return target;
    }
}
