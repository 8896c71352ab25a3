package io.dbrescue.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Starts a long-running server (postgres, mariadbd, redis-server) the safe way and waits until it is
 * ready. The program runs from an argument list — never through a shell, so no path or option can run a
 * command — optionally as the run-as OS user (the runuser prefix of {@link Exec#as}), in a session of its
 * own (setsid: it outlives dbrescue and never gets the terminal's Ctrl-C), stdin from /dev/null and
 * stdout/stderr appended to a log file the caller names (in the run's folder).
 *
 * <p>The wait ends as soon as the answer is known: ready (the caller's {@link Readiness}); or the process
 * exited; or the log got a FATAL/PANIC line and the process exited right after it — that line is then the
 * reason. A FATAL line while the process stays up is a refused client login (the server logs those too,
 * e.g. "the database system is starting up"), not the end of the start: the wait goes on. On a timeout
 * or a cancel the process is stopped before the exception.
 */
public final class ServerProcess {
    private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);
    /** How long a process that logged a FATAL line has to exit before the line counts as a client's. */
    static final Duration FATAL_GRACE = Duration.ofSeconds(2);
    private static final Pattern FATAL = Pattern.compile("\\b(FATAL|PANIC)\\b");
    private static final long POLL_MILLIS = 100;
    private static final Duration NOTE_EVERY = Duration.ofSeconds(30);

    /** Is the server ready? Asked every {@value #POLL_MILLIS} ms while it starts. */
    @FunctionalInterface
    public interface Readiness {
        boolean ready(ProcessHandle process) throws IOException;
    }

    /** The server did not become ready: the reason is its FATAL/PANIC line, else the last lines of its log. */
    public static final class NotReady extends IOException {
        private final String reason;
        private final String logTail;
        private final int exitCode;

        NotReady(String message, String reason, String logTail, int exitCode) {
            super(message);
            this.reason = reason;
            this.logTail = logTail;
            this.exitCode = exitCode;
        }

        /** The one line that says why (the FATAL/PANIC line), or the log's last lines when there was none. */
        public String reason() {
            return reason;
        }

        /** The last lines the server wrote in this start (for classifying the cause). */
        public String logTail() {
            return logTail;
        }

        /** True when the process ended by itself (false: it was stopped at a timeout). */
        public boolean exited() {
            return exitCode >= 0;
        }

        /** Its exit code; -1 when it was stopped at a timeout. */
        public int exitCode() {
            return exitCode;
        }
    }

    /** A started, ready server. */
    public record Started(ProcessHandle process, Path log, List<String> commandLine) {
    }

    private final List<String> argv;
    private String runAs;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path dir;
    private Path log;
    private Readiness readiness = p -> true;
    private Duration timeout;

    private ServerProcess(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    public static ServerProcess of(List<String> argv) {
        return new ServerProcess(argv);
    }

    /** Runs as this OS user when dbrescue is root (as {@link Exec#as}). */
    public ServerProcess as(String user) {
        this.runAs = user;
        return this;
    }

    public ServerProcess env(String key, String value) {
        if (value != null) {
            env.put(key, value);
        }
        return this;
    }

    public ServerProcess dir(Path workDir) {
        this.dir = workDir;
        return this;
    }

    /** Where stdout and stderr are appended (created 0600 when missing). Required. */
    public ServerProcess log(Path file) {
        this.log = file;
        return this;
    }

    public ServerProcess readyWhen(Readiness check) {
        this.readiness = check;
        return this;
    }

    /** The longest the start may take; default: the step's timeout_seconds, else 10 minutes. */
    public ServerProcess timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** The command as run: setsid, the runuser prefix when one is needed, the argument list. */
    public List<String> commandLine() {
        return Exec.inOwnSession(Exec.of(argv).as(runAs).commandLine());
    }

    /**
     * Starts the server and waits until it is ready.
     *
     * @throws NotReady when it exits (or logs FATAL and exits) or is not ready in time
     * @throws IOException "could not start PROGRAM" when the program is missing
     * @throws CancellationException when the run is cancelled (the server is stopped first)
     */
    public Started start(StepContext ctx) throws IOException, InterruptedException {
        if (log == null) {
            throw new IllegalStateException("a server's log file is required");
        }
        prepareLog(log);
        long offset = Files.size(log);
        List<String> cmd = commandLine();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p;
        try {
            Exec.requireProgram(argv.get(0));
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("could not start " + argv.get(0) + ": " + e.getMessage(), e);
        }
        LOG.info("started {} (pid {}), log {}", String.join(" ", cmd), p.pid(), log);
        Duration limit = timeout != null ? timeout : ctx != null ? ctx.timeout() : Duration.ofMinutes(10);
        try {
            new Wait(p, new ServerLog(log, offset), limit).until(ctx);
        } catch (NotReady | CancellationException e) {
            throw e; // the process has ended or was stopped
        } catch (IOException | RuntimeException | InterruptedException e) {
            // the wait itself broke (an unreadable log, an interrupt): no half-started server is left behind
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
        LOG.info("{} is ready (pid {})", argv.get(0), p.pid());
        return new Started(p.toHandle(), log, cmd);
    }

    private static void prepareLog(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
    }

    /** The loop between the start and the answer. */
    private final class Wait {
        private final Process p;
        private final ServerLog reader;
        private final Duration limit;
        private String fatal;
        private long fatalAt;

        Wait(Process p, ServerLog reader, Duration limit) {
            this.p = p;
            this.reader = reader;
            this.limit = limit;
        }

        void until(StepContext ctx) throws IOException, InterruptedException {
            long start = System.nanoTime();
            long deadline = start + limit.toNanos();
            long nextNote = start + NOTE_EVERY.toNanos();
            while (true) {
                readLog();
                if (!p.isAlive()) {
                    readLog();
                    throw notReady(argv.get(0) + " exited (code " + p.exitValue() + ") before it was ready", p.exitValue());
                }
                if (readiness.ready(p.toHandle())) {
                    return;
                }
                if (ctx != null && ctx.cancelled()) {
                    stop(p);
                    throw new CancellationException("cancelled while starting " + argv.get(0));
                }
                if (System.nanoTime() > deadline) {
                    stop(p);
                    readLog();
                    throw notReady(argv.get(0) + " was not ready within " + limit.toSeconds()
                            + " seconds (the timeout_seconds setting) and was stopped", -1);
                }
                if (ctx != null && System.nanoTime() > nextNote) {
                    // a long crash recovery is normal: say that it is still working, and what it last wrote
                    nextNote += NOTE_EVERY.toNanos();
                    String last = reader.tail();
                    ctx.log("Still waiting for " + Path.of(argv.get(0)).getFileName() + " to be ready ("
                            + (System.nanoTime() - start) / 1_000_000_000 + " s); it last wrote: "
                            + (last.isBlank() ? "nothing" : last.substring(last.lastIndexOf('\n') + 1)));
                }
                p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        /** New FATAL/PANIC lines; one older than the grace while the process lives was a client's. */
        private void readLog() throws IOException {
            for (String line : reader.newLines()) {
                if (FATAL.matcher(line).find()) {
                    fatal = line.strip();
                    fatalAt = System.nanoTime();
                }
            }
            if (fatal != null && p.isAlive() && System.nanoTime() - fatalAt > FATAL_GRACE.toNanos()) {
                LOG.debug("{} stays up after logging '{}': a client's error, not the server's end", argv.get(0), fatal);
                fatal = null;
            }
        }

        private NotReady notReady(String what, int exitCode) {
            String tail = reader.tail();
            String reason = fatal != null ? fatal : tail.isBlank() ? what : tail;
            return new NotReady(what + ": " + reason, reason, tail, exitCode);
        }
    }

    /** SIGTERM (a clean shutdown for postgres, mariadbd and redis), then SIGKILL for what is left. */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
