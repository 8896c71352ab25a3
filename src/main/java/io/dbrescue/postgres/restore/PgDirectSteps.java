package io.dbrescue.postgres.restore;

import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.Exec;
import io.dbrescue.run.Failures;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.TypedStep;
import io.dbrescue.run.StepFailure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a direct restore that drive the target server:
 * <ul>
 * <li>{@code pg-stop} (dataDir, binDir, runAs, [service]): stops the server running on the target data
 * directory (systemctl for a systemd service when root, else {@code pg_ctl stop -m fast}, which uses no
 * shell); undo starts it again — postgres with the arguments it last ran with, read from postmaster.opts
 * as data (not {@code pg_ctl restart}, which pastes them into a shell command);</li>
 * <li>{@code pg-start} (dataDir, binDir, runAs, port, listen, socketDir, [configFile]): starts postgres itself on the
 * restored data directory from an argument list ({@link PgServer}; not {@code pg_ctl start}, which runs it
 * through /bin/sh) and waits until it accepts connections; its output goes to a log in the run's folder,
 * and when it will not start its FATAL line is the message; with a configFile (Debian's /etc/postgresql/N/NAME)
 * it starts with {@code -c config_file=} as pg_ctlcluster does; the configuration itself is the
 * {@code pg-config} step's ({@link PgConfigStep}); undo stops it.</li>
 * </ul>
 */
final class PgDirectSteps {
    private PgDirectSteps() {
    }

    /** Whether a server runs on this data directory: postmaster.pid names a live process. */
    static boolean running(Path dataDir) {
        Path pid = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pid, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            String first = Files.readAllLines(pid, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
            long n = Long.parseLong(first);
            return ProcessHandle.of(n).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /**
     * {@code pg-stop}: the server on dataDir stopped, through its systemd unit when it has one (as root), else with
     * pg_ctl stop as runAs.
     */
    record PgStop(Path dataDir, Path binDir, String runAs, String service) implements StepParams {
        @Override
        public String kind() {
            return "pg-stop";
        }

        @Override
        public List<String> argv() {
            if (service != null) {
                return List.of("systemctl", "stop", service);
            }
            return List.of(binDir.resolve("pg_ctl").toString(), "stop", "-w", "-t", "120", "-D", dataDir.toString(),
                    "-m", "fast");
        }
    }

    /**
     * {@code pg-start}: postgres itself on dataDir (not pg_ctl start, see {@link PgServer}) with the port, the
     * addresses it listens on, its socket folder ("" for none) and its configuration file when not in dataDir.
     */
    record PgStart(Path dataDir, Path binDir, String runAs, int port, String listen, String socketDir,
                   String configFile) implements StepParams {
        @Override
        public String kind() {
            return "pg-start";
        }

        @Override
        public List<String> argv() {
            return PgServer.argv(binDir, dataDir.toString(), port, listen, socketDir == null ? "" : socketDir,
                    PgServer.configFile(configFile));
        }
    }

    static final class Stop implements TypedStep<PgStop> {
        @Override
        public void run(PgStop p, Step step, StepContext ctx) throws Exception {
            Path data = p.dataDir();
            if (!running(data) && p.service() == null) {
                ctx.log("The server on " + data + " is not running any more: nothing to stop.");
                return;
            }
            Files.writeString(marker(step, ctx), "stopped by dbrescue\n");
            Exec.Result r = exec(p.argv(), p.service() == null ? p.runAs() : null, ctx);
            if (!r.ok()) {
                throw Failures.of("Stopping the PostgreSQL server on " + data, r);
            }
        }

        @Override
        public void undo(PgStop p, Step step, StepContext ctx) throws Exception {
            Path marker = marker(step, ctx);
            if (!Files.exists(marker)) {
                return;
            }
            Path data = p.dataDir();
            String service = p.service();
            if (service != null) {
                Exec.Result r = exec(List.of("systemctl", "start", service), null, ctx);
                if (!r.ok()) {
                    throw Failures.of("Starting the original PostgreSQL server on " + data + " again", r);
                }
            } else if (!running(data)) {
                restart(p, step, ctx);
            }
            Files.deleteIfExists(marker);
        }

        /** The original server again, with the arguments it ran with (postmaster.opts), as pg_ctl restart would. */
        private static void restart(PgStop p, Step step, StepContext ctx) throws Exception {
            Path data = p.dataDir();
            List<String> options = PgServer.lastOptions(data);
            List<String> argv = new ArrayList<>();
            argv.add(p.binDir().resolve("postgres").toString());
            if (options == null || !options.contains("-D")) {
                argv.addAll(List.of("-D", data.toString()));
            }
            if (options != null) {
                argv.addAll(options);
            }
            Path log = ctx.runDir().resolve("server-restart-" + step.id() + ".log");
            try {
                PgServer.start(argv, data, p.runAs(), log, ctx);
            } catch (io.dbrescue.run.ServerProcess.NotReady e) {
                int at = options == null ? -1 : options.indexOf("-p");
                String port = at >= 0 && at + 1 < options.size() ? options.get(at + 1) : null;
                StepFailure f = PgStartFailure.of(data, port, e.reason(), e.logTail());
                throw new StepFailure(f.kind(), "Starting the original PostgreSQL server again failed. " + f.getMessage()
                        + "\n(whole log: " + log + ")", f.fix());
            } catch (IOException e) {
                throw missing(argv.get(0), e);
            }
            ctx.log("The original server on " + data + " runs again (log: " + log + ").");
        }

        private static Path marker(Step step, StepContext ctx) {
            return ctx.runDir().resolve("pg-stop-" + step.id() + ".done");
        }
    }

    static final class Start implements TypedStep<PgStart> {
        @Override
        public void run(PgStart p, Step step, StepContext ctx) throws Exception {
            Path data = p.dataDir();
            String runAs = p.runAs();
            if (running(data)) {
                throw new StepFailure("conflict", "A server is already running on " + data + ".",
                        "Stop it (pg_ctl stop -D " + data + ") and run again.");
            }
            Files.deleteIfExists(data.resolve("postmaster.pid")); // stale: copied while the old server ran
            // the configuration is the pg-config step's: the old cluster's, carried and adapted
            Path log = ctx.runDir().resolve("server-start-" + step.id() + ".log");
            List<String> argv = p.argv();
            try {
                PgServer.start(argv, data, runAs, log, ctx);
            } catch (io.dbrescue.run.ServerProcess.NotReady e) {
                StepFailure f = PgStartFailure.of(data, String.valueOf(p.port()), e.reason(), e.logTail());
                throw new StepFailure(f.kind(), f.getMessage() + "\n(whole log: " + log + ")", f.fix());
            } catch (IOException e) {
                throw missing(argv.get(0), e);
            }
            ctx.report("server", "PostgreSQL started on " + data + ", port " + p.port());
            ctx.report("serverLog", log.toString());
        }

        @Override
        public void undo(PgStart p, Step step, StepContext ctx) throws Exception {
            Path data = p.dataDir();
            if (running(data)) {
                Exec.Result r = exec(new PgStop(data, p.binDir(), p.runAs(), null).argv(), p.runAs(), ctx);
                if (!r.ok()) {
                    throw Failures.of("Stopping the restored server on " + data, r);
                }
            }
        }
    }

    static void chown(Path file, String owner) throws IOException {
        if (owner != null && io.dbrescue.run.OsUsers.isRoot() && !owner.equals("root")) {
            UserPrincipal u = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner);
            Files.setOwner(file, u);
        }
    }

    private static Exec.Result exec(List<String> argv, String runAs, StepContext ctx) throws Exception {
        try {
            return Exec.of(argv).as(runAs).env("LC_ALL", "C").run(ctx);
        } catch (IOException e) {
            throw missing(argv.get(0), e);
        }
    }

    /** "could not start PROGRAM" as the missing-binary failure with the package to install; else as it was. */
    private static Exception missing(String program, IOException e) {
        if (String.valueOf(e.getMessage()).startsWith("could not start")) {
            return Failures.missingProgram(program, PgRestoreTools.installHint(Path.of(program).getFileName().toString(),
                    null));
        }
        return e;
    }
}
