package io.dbrescue.postgres.restore;

import io.dbrescue.run.Exec;
import io.dbrescue.run.StepContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Runs a client tool (pg_restore, psql, pg_dump) whose every line of stderr matters: each line goes to
 * a callback (progress from --verbose, errors to judge) and to a log file in the run folder; stdin can
 * be fed from a stream with a byte count. Through {@link Exec}: argument list only, its own session, the
 * password only through PGPASSWORD.
 */
final class PgRestoreProcess {

    record Result(int exitCode, String stderrTail) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private PgRestoreProcess() {
    }

    static Result run(List<String> argv, InputStream stdin, LongConsumer stdinProgress, Consumer<String> stderrLine,
                      Path logFile, StepContext ctx) throws IOException, InterruptedException {
        Exec exec = Exec.of(argv).env(PgRestoreTarget.PASSWORD_ENV, ctx.secrets().get(PgRestoreTarget.PASSWORD_ENV))
                .env("LC_MESSAGES", "C").env("PGAPPNAME", "dbrescue")
                .discardStdout().stderrLines(stderrLine).stderrLog(logFile);
        if (stdin != null) {
            exec.stdin(stdin, stdinProgress);
        }
        Exec.Result r = exec.run(ctx);
        return new Result(r.exitCode(), r.stderrTail());
    }
}
