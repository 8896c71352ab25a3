package io.dbrescue.postgres.restore;

import io.dbrescue.plan.Sandbox;
import io.dbrescue.run.CopyTree;
import io.dbrescue.run.Exec;
import io.dbrescue.run.ServerProcess;
import io.dbrescue.run.ShellSafety;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.machine.Versions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway PostgreSQL for {@code verify --restore-test}: for a dump, a fresh cluster (initdb) of
 * the newest installed version, started on 127.0.0.1 and a free port; for a data directory, only a
 * place and a port — the direct strategy copies the data there and starts it with the same major — or,
 * when only newer versions are here, such a fresh cluster that the container strategy moves it into.
 * Runs as an unprivileged user (PostgreSQL refuses root); closing it stops the server and deletes it all.
 */
public final class PgSandbox implements Sandbox {
    /** The OS user PostgreSQL's packages run the server as (PostgresEngine's; restore does not import its engine). */
    private static final String SERVICE_USER = "postgres";
    private final Path workDir;
    private final Path binDir;
    private final String runAs;
    private final TargetOptions options;
    private final String description;

    private PgSandbox(Path workDir, Path binDir, String runAs, TargetOptions options, String description) {
        this.workDir = workDir;
        this.binDir = binDir;
        this.runAs = runAs;
        this.options = options;
        this.description = description;
    }

    public static PgSandbox create(Finding f, Target target, TargetOptions given, Path workDir) throws Exception {
        List<InstalledServer> servers = PgTargetServers.servers(target, given);
        // a data directory of an older major than every server here goes into a fresh newer cluster through
        // the container strategy (the old version in a container), just as a dump goes into one
        boolean older = f.getKind() == Kind.DATA_DIRECTORY && f.getVersion() != null
                && servers.stream().noneMatch(s -> f.getVersion().equals(s.major()))
                && servers.stream().anyMatch(s -> Versions.compare(s.major(), f.getVersion()) > 0);
        boolean dataDir = f.getKind() == Kind.DATA_DIRECTORY && !older;
        InstalledServer server = servers.stream()
                .filter(s -> !dataDir || f.getVersion().equals(s.major()))
                .max((a, b) -> Versions.compare(a.version(), b.version()))
                .orElseThrow(() -> new IOException("No PostgreSQL " + (dataDir ? f.getVersion() + " " : "")
                        + "server programs to test with. " + PgRestoreTools.installHint("postgres",
                        dataDir ? f.getVersion() : null) + " Or give their folder with --target-bin."));
        String runAs = given.runAs() != null ? given.runAs()
                : io.dbrescue.run.OsUsers.isRoot() ? SERVICE_USER : System.getProperty("user.name");
        int port = io.dbrescue.machine.Ports.freeLoopback();
        Path data = workDir.resolve("data");
        if (io.dbrescue.run.OsUsers.isRoot()) {
            Exec.of(List.of("chown", runAs + ":", workDir.toString())).run(null);
        }
        if (dataDir) {
            TargetOptions o = new TargetOptions("127.0.0.1", port, null, server.binDir(), data, runAs);
            return new PgSandbox(workDir, server.binDir(), runAs, o,
                    "a temporary PostgreSQL " + server.version() + " on 127.0.0.1:" + port + " in " + data);
        }
        // initdb runs "BINDIR/postgres" through popen: the folder must be safe in a shell string
        String problem = ShellSafety.problem("The folder of the PostgreSQL programs", server.binDir(), "initdb");
        if (problem != null) {
            throw new IOException(problem + " Install PostgreSQL in its usual place, or give a folder without $ ` \" \\ "
                    + "or line breaks with --target-bin.");
        }
        run(List.of(server.binDir().resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--locale=C", "-N"), runAs, "initdb");
        Path log = workDir.resolve("server.log");
        try {
            PgServer.start(PgServer.argv(server.binDir(), data.toString(), port, "127.0.0.1", workDir.toString(),
                    "-c", "fsync=off"), data, runAs, log, null);
        } catch (ServerProcess.NotReady e) {
            throw new IOException("starting the temporary server failed: " + e.reason(), e);
        }
        // no --target-bin for the load: that folder named the throwaway server's programs; the client that loads the
        // dump is found as for any dump restore (the newest here, else the image of the server's version)
        TargetOptions o = new TargetOptions("127.0.0.1", port, "postgres", null, null, runAs);
        return new PgSandbox(workDir, server.binDir(), runAs, o,
                "a temporary PostgreSQL " + server.version() + " server on 127.0.0.1:" + port);
    }

    private static void run(List<String> argv, String user, String what) throws Exception {
        Exec.Result r = Exec.of(argv).as(user).run(null);
        if (!r.ok()) {
            throw new IOException(what + " failed: " + r.stderrTail());
        }
    }

    @Override
    public TargetOptions options() {
        return options;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        Path data = workDir.resolve("data");
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                Exec.of(new ArrayList<>(List.of(binDir.resolve("pg_ctl").toString(), "-D", data.toString(),
                        "-m", "immediate", "-w", "stop"))).as(runAs).run(null);
            }
            CopyTree.delete(workDir);
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(PgSandbox.class).warn("could not remove the sandbox {}: {}", workDir,
                    e.getMessage());
        }
    }
}
