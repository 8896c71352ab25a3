package io.dbrescue.postgres;

import io.dbrescue.run.StepContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Runs a client tool (pg_restore, psql, pg_dump) whose every line of stderr matters: each line goes to
 * a callback (progress from --verbose, errors to judge) and to a log file in the run folder; stdin can
 * be fed from a stream with a byte count. Argument list only, the password only through PGPASSWORD.
 */
final class PgRestoreProcess {
    private static final Logger LOG = LoggerFactory.getLogger(PgRestoreProcess.class);

    record Result(int exitCode, String stderrTail) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private PgRestoreProcess() {
    }

    static Result run(List<String> argv, InputStream stdin, LongConsumer stdinProgress, Consumer<String> stderrLine,
                      Path logFile, StepContext ctx) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        String password = io.dbrescue.run.Secrets.get(PgRestoreTarget.PASSWORD_ENV);
        if (password != null) {
            pb.environment().put(PgRestoreTarget.PASSWORD_ENV, password);
        }
        pb.environment().put("LC_MESSAGES", "C");
        pb.environment().put("PGAPPNAME", "dbrescue");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("could not start " + argv.get(0) + ": " + e.getMessage(), e);
        }
        long start = System.nanoTime();
        Deque<String> tail = new ArrayDeque<>();
        Thread err = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
                 Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.write(line);
                    log.write('\n');
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 20) {
                            tail.removeFirst();
                        }
                    }
                    stderrLine.accept(line);
                }
            } catch (IOException e) {
                LOG.debug("stderr of {} ended: {}", argv.get(0), e.getMessage());
            }
        }, "pg-client-stderr");
        err.setDaemon(true);
        err.start();
        Thread feeder = null;
        if (stdin != null) {
            feeder = new Thread(() -> {
                byte[] buf = new byte[1 << 16];
                try (OutputStream os = p.getOutputStream(); stdin) {
                    for (int n; (n = stdin.read(buf)) > 0; ) {
                        os.write(buf, 0, n);
                        stdinProgress.accept(n);
                    }
                } catch (IOException e) {
                    LOG.debug("stdin of {} closed early: {}", argv.get(0), e.getMessage());
                }
            }, "pg-client-stdin");
            feeder.setDaemon(true);
            feeder.start();
        }
        try {
            while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (ctx.cancelled()) {
                    throw new CancellationException("cancelled while running " + argv.get(0));
                }
            }
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (feeder != null) {
            feeder.join(10_000);
        }
        err.join(10_000);
        String text;
        synchronized (tail) {
            text = String.join("\n", tail);
        }
        LOG.info("ran {} -> exit {} in {} ms", String.join(" ", argv), p.exitValue(), (System.nanoTime() - start) / 1_000_000);
        return new Result(p.exitValue(), text);
    }
}
