package io.dbrescue.postgres;

import io.dbrescue.plan.Step;
import io.dbrescue.run.Exec;
import io.dbrescue.run.Failures;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The steps of a direct restore that drive the target server:
 * <ul>
 * <li>{@code pg-stop} (dataDir, binDir, runAs, [service]): stops the server running on the target data
 * directory (systemctl for a systemd service when root, else {@code pg_ctl stop -m fast}); undo starts it
 * again ({@code pg_ctl restart}, which reuses the options it last ran with, from postmaster.opts);</li>
 * <li>{@code pg-start} (dataDir, binDir, runAs, port, listen, socketDir): starts the restored data
 * directory with {@code pg_ctl start -w}; when it will not start, the last lines of the server's log are
 * the message; undo stops it.</li>
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

    static List<String> stopArgv(Step s) {
        String service = s.params().get("service");
        if (service != null) {
            return List.of("systemctl", "stop", service);
        }
        return List.of(Path.of(s.param("binDir")).resolve("pg_ctl").toString(), "stop", "-w", "-t", "120",
                "-D", s.param("dataDir"), "-m", "fast");
    }

    static final class Stop implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            Path data = Path.of(step.param("dataDir"));
            if (!running(data) && step.params().get("service") == null) {
                ctx.log("The server on " + data + " is not running any more: nothing to stop.");
                return;
            }
            Files.writeString(marker(step, ctx), "stopped by dbrescue\n");
            Exec.Result r = exec(stopArgv(step), step.params().get("service") == null ? ctx.runAs(step) : null, ctx);
            if (!r.ok()) {
                throw Failures.of("Stopping the PostgreSQL server on " + data, r);
            }
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            Path marker = marker(step, ctx);
            if (!Files.exists(marker)) {
                return;
            }
            Path data = Path.of(step.param("dataDir"));
            String service = step.params().get("service");
            Exec.Result r;
            if (service != null) {
                r = exec(List.of("systemctl", "start", service), null, ctx);
            } else if (running(data)) {
                r = null;
            } else {
                Path log = serverLog(ctx, step.param("runAs", null));
                r = exec(List.of(Path.of(step.param("binDir")).resolve("pg_ctl").toString(), "restart", "-w", "-t", "120",
                        "-D", data.toString(), "-m", "fast", "-l", log.toString()), ctx.runAs(step), ctx);
            }
            if (r != null && !r.ok()) {
                throw Failures.of("Starting the original PostgreSQL server on " + data + " again", r);
            }
            Files.deleteIfExists(marker);
        }

        private static Path marker(Step step, StepContext ctx) {
            return ctx.runDir().resolve("pg-stop-" + step.id() + ".done");
        }
    }

    static List<String> startArgv(Step s, String log) {
        String socket = s.param("socketDir", "");
        String opts = "-p " + s.param("port") + " -c listen_addresses=" + s.param("listen")
                + " -c unix_socket_directories=" + (socket.isEmpty() ? "''" : socket);
        return List.of(Path.of(s.param("binDir")).resolve("pg_ctl").toString(), "start", "-w", "-t", "120",
                "-D", s.param("dataDir"), "-l", log, "-o", opts);
    }

    static final class Start implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            Path data = Path.of(step.param("dataDir"));
            String runAs = ctx.runAs(step);
            if (running(data)) {
                throw new StepFailure("conflict", "A server is already running on " + data + ".",
                        "Stop it (pg_ctl stop -D " + data + ") and run again.");
            }
            Files.deleteIfExists(data.resolve("postmaster.pid")); // stale: copied while the old server ran
            writeDefaultConfig(data, runAs, ctx);
            Path log = serverLog(ctx, runAs);
            Exec.Result r = exec(startArgv(step, log.toString()), runAs, ctx);
            String logTail = tail(log, 12);
            Path kept = ctx.runDir().resolve("server-start-" + step.id() + ".log");
            Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(log);
            if (!r.ok() || !running(data)) {
                throw startFailure(data, step.param("port"), logTail.isBlank() ? Failures.of("pg_ctl start", r).getMessage()
                        : logTail);
            }
            ctx.report("server", "PostgreSQL started on " + data + ", port " + step.param("port"));
            ctx.report("serverLog", kept.toString());
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            Path data = Path.of(step.param("dataDir"));
            if (running(data)) {
                Exec.Result r = exec(List.of(Path.of(step.param("binDir")).resolve("pg_ctl").toString(), "stop", "-w",
                        "-t", "120", "-D", data.toString(), "-m", "fast"), ctx.runAs(step), ctx);
                if (!r.ok()) {
                    throw Failures.of("Stopping the restored server on " + data, r);
                }
            }
        }
    }

    static StepFailure startFailure(Path data, String port, String logTail) {
        String low = logTail.toLowerCase(Locale.ROOT);
        String kind = "server-start";
        String fix = "Read the server's last log lines above; fix what they name and run again (the target was rolled "
                + "back to its safety copy).";
        if (low.contains("address already in use") || low.contains("could not create listen socket")) {
            kind = "port-in-use";
            fix = "Port " + port + " is taken by another program: stop it (ss -ltnp shows which) or choose another "
                    + "port with --target-port, then run again.";
        } else if (low.contains("database files are incompatible with server")) {
            kind = "version-mismatch";
            fix = "The data directory was made by another PostgreSQL major version: use that version's server "
                    + "(--target-bin) or the container strategy.";
        } else if (low.contains("permission denied")) {
            kind = "permission";
            fix = "The server's user cannot read or write its files: run dbrescue as root with --run-as set to the "
                    + "user that should own the data directory.";
        } else if (low.contains("no space left")) {
            kind = "disk-full";
            fix = "Free space on the disk of " + data + " and run again.";
        }
        return new StepFailure(kind, "The PostgreSQL server would not start on " + data + ". Its log ends with:\n"
                + logTail, fix);
    }

    /**
     * A data directory from a Debian-style cluster has its configuration in /etc, not in the data
     * directory: give it a minimal one (defaults; local logins by peer, TCP by password) so it can start.
     */
    private static void writeDefaultConfig(Path data, String runAs, StepContext ctx) throws IOException {
        write(data.resolve("postgresql.conf"), "# written by dbrescue: the backup had no postgresql.conf here "
                + "(its configuration lived elsewhere, e.g. /etc/postgresql); defaults apply\n", runAs, ctx);
        write(data.resolve("pg_hba.conf"), "# written by dbrescue: the backup had no pg_hba.conf here\n"
                + "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n",
                runAs, ctx);
        write(data.resolve("pg_ident.conf"), "# written by dbrescue\n", runAs, ctx);
    }

    private static void write(Path file, String text, String owner, StepContext ctx) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        chown(file, owner);
        ctx.log("The data directory had no " + file.getFileName() + ": wrote a default one.");
    }

    /** A log file the server's user can write, outside the data directory (a temporary file). */
    static Path serverLog(StepContext ctx, String runAs) throws IOException {
        Path log = Files.createTempFile("dbrescue-pg-", ".log");
        chown(log, runAs);
        return log;
    }

    static void chown(Path file, String owner) throws IOException {
        if (owner != null && isRoot() && !owner.equals("root")) {
            UserPrincipal u = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner);
            Files.setOwner(file, u);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> last = new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
            return "  " + String.join("\n  ", last);
        } catch (IOException e) {
            return "";
        }
    }

    private static Exec.Result exec(List<String> argv, String runAs, StepContext ctx) throws Exception {
        try {
            return Exec.of(argv).as(runAs).env("LC_ALL", "C").run(ctx);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                throw Failures.missingProgram(argv.get(0), PgRestoreTools.installHint(Path.of(argv.get(0))
                        .getFileName().toString(), null));
            }
            throw e;
        }
    }
}
