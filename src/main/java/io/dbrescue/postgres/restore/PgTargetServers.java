package io.dbrescue.postgres.restore;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.scan.Engine;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetDiscovery;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.machine.Versions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The target's PostgreSQL servers as planning sees them: which there are, where their clients are, which port is free. */
public final class PgTargetServers {
    private PgTargetServers() {
    }

    /** The newest of the servers. */
    public static InstalledServer newest(List<InstalledServer> servers) {
        return servers.stream().max((a, b) -> Versions.compare(a.major(), b.major())).orElseThrow();
    }

    /**
     * The target's PostgreSQL servers. When --target-port names a running server, that server alone — the one
     * that answers there, whatever else is installed: found on this machine by its socket's lock file (see
     * {@link io.dbrescue.postgres.PgLocalServer}), else asked over TCP (a container publishing the port, another
     * machine). Else --target-bin alone when given, else what discovery found.
     */
    public static List<InstalledServer> servers(Target target, TargetOptions o) {
        if (o != null && o.port() != null) {
            if (TargetDiscovery.isLocal(o.host())) {
                Optional<InstalledServer> live = target.answering(Engine.POSTGRESQL, o.port());
                if (live.isPresent()) {
                    return List.of(live.get());
                }
            }
            InstalledServer elsewhere = elsewhere(target, o);
            if (elsewhere != null) {
                return List.of(elsewhere);
            }
        }
        if (o != null && o.binDir() != null) {
            Path postgres = o.binDir().resolve("postgres");
            String version = PgRestoreTools.version(Files.isExecutable(postgres) ? postgres : null);
            if (version == null) {
                return List.of(); // no server programs there (perhaps client tools only)
            }
            List<InstalledServer.Cluster> clusters = target.servers(Engine.POSTGRESQL).stream()
                    .filter(s -> o.binDir().equals(s.binDir())).flatMap(s -> s.clusters().stream()).toList();
            return List.of(new InstalledServer(Engine.POSTGRESQL, version, o.binDir(), clusters));
        }
        return target.servers(Engine.POSTGRESQL);
    }

    /**
     * A server at --target-host/--target-port that has no socket here (a container publishing 127.0.0.1:PORT,
     * another machine): its version asked over TCP (server_version_num), with the user's password; null when
     * nothing answers or the login is refused (the pre-flight then says why).
     */
    public static InstalledServer elsewhere(Target target, TargetOptions o) {
        if (!portBusy(o.host() == null ? "127.0.0.1" : o.host(), o.port())) {
            return null;
        }
        PgLogin.Result login = PgLogin.resolve(o.host(), "127.0.0.1", o.port(), o.user(), target.secrets());
        if (!login.ok()) {
            return null;
        }
        if (TargetDiscovery.isLocal(o.host())) { // a server here whose socket is elsewhere (or none): its data says so
            try {
                Optional<io.dbrescue.postgres.PgLocalServer> here = io.dbrescue.postgres.PgLocalServer
                        .fromDataDir(Path.of(login.target().setting("data_directory")), o.port());
                if (here.isPresent()) {
                    return io.dbrescue.postgres.PgAnswering.with(target, here.get()).answering(Engine.POSTGRESQL, o.port()).orElseThrow();
                }
            } catch (SQLException | RuntimeException e) {
                // not a superuser, or another machine's path: taken as a server elsewhere
            }
        }
        return new InstalledServer(Engine.POSTGRESQL, login.version(), o.binDir(), List.of(new InstalledServer.Cluster(
                null, o.port(), true, null, Integer.toString(login.major()), null, null)));
    }

    /** Whether the server is one whose files are not on this machine (only reachable through its port). */
    public static boolean elsewhere(InstalledServer s) {
        return !s.clusters().isEmpty() && s.clusters().stream().allMatch(c -> c.dataDir() == null);
    }

    public static List<Path> clientDirs(Target target, TargetOptions o) {
        return PgRestoreTools.clientDirs(o == null ? null : o.binDir(),
                target.servers(Engine.POSTGRESQL).stream().map(InstalledServer::binDir).toList());
    }

    /** The cluster of this server whose data directory is the target's (for its configuration folder), or null. */
    public static InstalledServer.Cluster clusterAt(InstalledServer server, Path data) {
        return server.clusters().stream().filter(c -> c.dataDir() != null && c.dataDir().toAbsolutePath().normalize()
                .equals(data)).findFirst().orElse(null);
    }

    /**
     * A data directory whose path has a line break is refused: PostgreSQL writes the path into postmaster.pid,
     * one value per line, so the lines after it move and pg_ctl (which stops the server) and initdb misread or
     * refuse it. Every other character works: nothing passes the path through a shell.
     */
    public static boolean oneLine(PlanContext ctx, Path data) {
        String s = data.toString();
        if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return true;
        }
        ctx.fail("target-data", "The target data directory " + s.replace("\n", "\\n").replace("\r", "\\r")
                + " has a line break in its name: PostgreSQL keeps the path in postmaster.pid, one value per line, "
                + "and its own tools (pg_ctl, initdb) misread or refuse it.",
                "Choose a folder without line breaks for --target-data. Nothing was changed.");
        return false;
    }

    /** Debian's socket folder when the run-as user owns it; otherwise no unix socket (TCP only). */
    public static String socketDir(String runAs) {
        Path debian = Path.of("/var/run/postgresql");
        try {
            if (Files.isDirectory(debian) && Files.getOwner(debian).getName().equals(runAs)) {
                return debian.toString();
            }
        } catch (IOException e) {
            // fall through
        }
        return "";
    }

    /** Whether something accepts connections at host:port (within a second). */
    private static boolean portBusy(String host, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
