package io.dbrescue.run;

import io.dbrescue.logging.CommandLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Runs an external program the safe way: an argument list (never a shell), optionally as another OS
 * user (runuser, when dbrescue is root), secrets only through the environment, stdin fed from a
 * stream with a byte count for progress, the last lines of its output kept for error messages,
 * cancellable and time-limited. Every run is logged with its argv, exit code and duration ({@link CommandLog}).
 */
public final class Exec {
    private static final Logger LOG = LoggerFactory.getLogger(Exec.class);
    private static final int TAIL_LINES = 30;

    private final List<String> argv;
    private String runAs;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path dir;
    private InputStream stdin;
    private LongConsumer stdinProgress = n -> { };
    private Duration timeout;
    private Path stdoutFile;
    private boolean probe;
    private java.util.function.Consumer<String> stderrLines;
    private Path stderrLog;
    private int keepStdout;
    private boolean mergeStderr;
    private boolean discardStdout;
    private boolean stdinPipe;
    private boolean sameSession;

    private Exec(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    public static Exec of(List<String> argv) {
        return new Exec(argv);
    }

    /**
     * The output of a finished program.
     *
     * @param stdout all of stdout when {@link #keepStdout} asked for it, else the same as {@code stdoutTail}
     */
    public record Result(List<String> argv, int exitCode, String stdoutTail, String stderrTail, long millis,
                         String stdout) {
        public Result(List<String> argv, int exitCode, String stdoutTail, String stderrTail, long millis) {
            this(argv, exitCode, stdoutTail, stderrTail, millis, stdoutTail);
        }

        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs as this OS user when dbrescue is root (ignored when null, the same user, or not root). */
    public Exec as(String user) {
        this.runAs = user;
        return this;
    }

    /** An environment variable for the program (the way passwords are passed; values are never logged). */
    public Exec env(String key, String value) {
        if (value != null) {
            env.put(key, value);
        }
        return this;
    }

    public Exec dir(Path workDir) {
        this.dir = workDir;
        return this;
    }

    /** Feeds the program's stdin from this stream, reporting the bytes read from it. */
    public Exec stdin(InputStream in, LongConsumer progress) {
        this.stdin = in;
        this.stdinProgress = progress;
        return this;
    }

    /** A question answered by the exit code (does this image exist?): a non-zero exit is not logged as a warning. */
    public Exec probe() {
        this.probe = true;
        return this;
    }

    public Exec timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Every line the program writes on stderr, as it comes (progress of pg_restore --verbose, errors to judge). */
    public Exec stderrLines(java.util.function.Consumer<String> each) {
        this.stderrLines = each;
        return this;
    }

    /** Keeps all of stderr in this file (in the run's folder) besides the tail. */
    public Exec stderrLog(Path file) {
        this.stderrLog = file;
        return this;
    }

    /** Keeps all of stdout, up to this many bytes, in {@link Result#stdout} (answers of queries, versions). */
    public Exec keepStdout(int maxBytes) {
        this.keepStdout = maxBytes;
        return this;
    }

    /** stderr into stdout, as one stream (redis-cli says errors on either). */
    public Exec mergeStderr() {
        this.mergeStderr = true;
        return this;
    }

    /** stdout is not wanted (a restore's SQL echo). */
    public Exec discardStdout() {
        this.discardStdout = true;
        return this;
    }

    /** Writes stdout to this file instead of keeping its tail. */
    public Exec stdoutTo(Path file) {
        this.stdoutFile = file;
        return this;
    }

    /** The full command line as run (with the runuser prefix when one is needed). */
    public List<String> commandLine() {
        if (runAs == null || !OsUsers.isRoot() || runAs.equals("root")) {
            return argv;
        }
        List<String> full = new ArrayList<>(List.of("runuser", "-u", runAs, "--"));
        full.addAll(argv);
        return full;
    }

    /**
     * Runs and waits. Returns the result whatever the exit code; throws only when the program cannot
     * be started, times out, or the run is cancelled (the program is then killed).
     */
    public Result run(StepContext ctx) throws IOException, InterruptedException {
        List<String> cmd = commandLine();
        ProcessBuilder pb = processBuilder(cmd);
        long start = System.nanoTime();
        Process p;
        try {
            requireProgram(argv.get(0));
            p = pb.start();
        } catch (IOException e) {
            CommandLog.failedToStart(cmd, env, e);
            throw new IOException("could not start " + argv.get(0) + ": " + e.getMessage(), e);
        }
        Tail out = new Tail(stdoutFile == null && !discardStdout ? p.getInputStream() : InputStream.nullInputStream(),
                null, null, keepStdout);
        Tail err = new Tail(mergeStderr ? InputStream.nullInputStream() : p.getErrorStream(), stderrLines, stderrLog, 0);
        Thread feeder = stdin == null ? null : feed(p, stdin, stdinProgress);
        out.start();
        err.start();
        Duration limit = timeout != null ? timeout : ctx != null ? ctx.timeout() : Duration.ofHours(24);
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (ctx != null && ctx.cancelled()) {
                    kill(p);
                    throw new CancellationException("cancelled while running " + cmd.get(0));
                }
                if (System.nanoTime() > deadline) {
                    kill(p);
                    throw new IOException(cmd.get(0) + " did not finish within " + limit.toSeconds()
                            + " seconds (the timeout_seconds setting); raise it if the job is just big");
                }
            }
        } finally {
            if (p.isAlive()) {
                kill(p);
            }
        }
        if (feeder != null) {
            feeder.join(10_000);
        }
        out.join(10_000);
        err.join(10_000);
        Result r = new Result(cmd, p.exitValue(), out.text(), err.text(), (System.nanoTime() - start) / 1_000_000,
                keepStdout > 0 ? out.all() : out.text());
        CommandLog.finished(cmd, env, r.exitCode(), Duration.ofMillis(r.millis()), r.stderrTail(), probe);
        return r;
    }

    /** The command in its own session, with this Exec's environment, folder and redirections. */
    private ProcessBuilder processBuilder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(inOwnSession(diesWithUs(cmd)));
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        if (stdoutFile != null) {
            pb.redirectOutput(stdoutFile.toFile());
        } else if (discardStdout) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        pb.redirectErrorStream(mergeStderr);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        return pb;
    }

    /** For {@link #spawn}: stdin a pipe of ours, so the helper sees our end however we end (the peer relay). */
    public Exec stdinPipe() {
        this.stdinPipe = true;
        return this;
    }

    /**
     * For {@link #spawn}: in dbrescue's own session, not a new one, so that a program that asks on the terminal
     * (pkexec's text agent) can.
     */
    public Exec sameSession() {
        this.sameSession = true;
        return this;
    }

    /**
     * Starts the program and returns at once, for a helper that runs beside dbrescue (the peer relay, pkexec), as
     * the {@link #as} user: stdin /dev/null (or a pipe, {@link #stdinPipe}), stdout the caller's to read (or
     * {@link #stdoutTo} a file, or {@link #discardStdout}), stderr into {@link #stderrLog} or dropped. The caller
     * waits for it or stops it.
     */
    public Process spawn() throws IOException {
        List<String> cmd = sameSession ? commandLine() : inOwnSession(commandLine());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(stderrLog != null ? ProcessBuilder.Redirect.to(stderrLog.toFile())
                : ProcessBuilder.Redirect.DISCARD);
        if (stdoutFile != null) {
            pb.redirectOutput(stdoutFile.toFile());
        } else if (discardStdout) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        if (!stdinPipe) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        try {
            requireProgram(argv.get(0));
            Process p = pb.start();
            LOG.info("started {} (pid {})", String.join(" ", cmd), p.pid());
            return p;
        } catch (IOException e) {
            CommandLog.failedToStart(cmd, env, e);
            throw new IOException("could not start " + argv.get(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The program in a session of its own (setsid), so the Ctrl-C that a terminal sends to its whole
     * foreground process group reaches only dbrescue, which then stops the program itself and undoes
     * its step — instead of the program dying first and its step counting as failed.
     */
    static List<String> inOwnSession(List<String> cmd) {
        if (!SETSID) {
            return cmd;
        }
        List<String> full = new ArrayList<>(cmd.size() + 1);
        full.add("setsid");
        full.addAll(cmd);
        return full;
    }

    /** setsid (and runuser) would start and then fail with 127: say "could not start" as a direct start would. */
    static void requireProgram(String program) throws IOException {
        if (program.contains("/")) {
            if (!java.nio.file.Files.isExecutable(Path.of(program))) {
                throw new IOException("No such file or directory (or not executable)");
            }
            return;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        throw new IOException("No such file or directory (not found on PATH)");
    }

    /**
     * The program killed when dbrescue dies (setpriv --pdeathsig KILL), also behind runuser: a dbrescue killed
     * with kill -9 must not leave a pg_restore writing into the target while the next run undoes its step.
     * Only for programs waited for on the thread that started them (the signal follows the starting thread).
     */
    static List<String> diesWithUs(List<String> cmd) {
        if (!SETPRIV) {
            return cmd;
        }
        List<String> full = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        int program = cmd.indexOf("--") + 1; // after runuser's "--", when there is one
        if (program > 0 && cmd.get(0).equals("runuser")) {
            full.addAll(cmd.subList(0, program));
            full.addAll(List.of("setpriv", "--pdeathsig", "KILL", "--"));
            full.addAll(cmd.subList(program, cmd.size()));
        } else {
            full.addAll(cmd);
        }
        return full;
    }

    private static final boolean SETPRIV = java.nio.file.Files.isExecutable(Path.of("/usr/bin/setpriv"))
            || java.nio.file.Files.isExecutable(Path.of("/bin/setpriv"));

    private static final boolean SETSID = java.nio.file.Files.isExecutable(Path.of("/usr/bin/setsid"))
            || java.nio.file.Files.isExecutable(Path.of("/bin/setsid"));

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread feed(Process p, InputStream in, LongConsumer progress) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            try (OutputStream os = p.getOutputStream(); in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    os.write(buf, 0, n);
                    total += n;
                    progress.accept(total);
                }
            } catch (IOException e) {
                // the program stopped reading (it failed or was killed): its exit code tells why
                LOG.debug("stdin of {} closed early: {}", p.pid(), e.getMessage());
            }
        }, "exec-stdin");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Reads a stream to the end so the program never blocks on a full pipe: keeps its last lines, and where asked
     * all of it (up to a limit), hands every line to a callback and writes it to a log file.
     */
    private static final class Tail extends Thread {
        private final InputStream in;
        private final java.util.function.Consumer<String> each;
        private final Path log;
        private final int keep;
        private final Deque<String> lines = new ArrayDeque<>();
        private final StringBuilder all = new StringBuilder();

        Tail(InputStream in, java.util.function.Consumer<String> each, Path log, int keep) {
            super("exec-output");
            setDaemon(true);
            this.in = in;
            this.each = each;
            this.log = log;
            this.keep = keep;
        }

        @Override
        public void run() {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                 java.io.Writer file = log == null ? java.io.Writer.nullWriter()
                         : java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.addLast(line);
                        if (lines.size() > TAIL_LINES) {
                            lines.removeFirst();
                        }
                        if (all.length() < keep) {
                            all.append(line).append('\n');
                        }
                    }
                    file.write(line);
                    file.write('\n');
                    if (each != null) {
                        each.accept(line);
                    }
                }
            } catch (IOException e) {
                // the process went away
            }
        }

        String text() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        String all() {
            synchronized (lines) {
                return all.toString();
            }
        }
    }
}
