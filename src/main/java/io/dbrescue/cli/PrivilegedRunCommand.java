package io.dbrescue.cli;

import io.dbrescue.elevate.Operation;
import io.dbrescue.Engines;
import io.dbrescue.elevate.PrivilegedRun;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code dbrescue privileged-run --journal FILE --step ID --plan-sha256 HEX}: the root side of a root step
 * ({@link PrivilegedRun}). dbrescue starts it through pkexec, or shows it to run with sudo in a terminal.
 */
@Command(name = "privileged-run", mixinStandardHelpOptions = true,
        description = "Runs one root step of a restore you confirmed (dbrescue starts it through pkexec, or shows you "
                + "this command to run with sudo). It re-reads the run's journal, checks the step against the plan and "
                + "the safety rules and refuses anything else.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the step was done", "1:the step failed", "2:not started as root",
                "3:refused (not a step of the confirmed plan, or a rule says no)", "4:cancelled"})
public final class PrivilegedRunCommand implements Callable<Integer> {
    @Option(names = "--journal", paramLabel = "FILE", required = true, description = "The run's journal (absolute path).")
    Path journal;

    @Option(names = "--step", paramLabel = "ID", required = true, description = "The step's id in the plan.")
    String step;

    @Option(names = "--plan-sha256", paramLabel = "HEX", required = true,
            description = "The fingerprint of the plan you confirmed; a journal whose plan differs is refused.")
    String digest;

    @Option(names = "--reply", paramLabel = "SOCKET", description = "The waiting dbrescue's socket (progress and result go there).")
    Path reply;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    /** Run (default), undo or release. */
    static final class Mode {
        @Option(names = "--undo", description = "Undo the step instead (rollback).")
        boolean undo;

        @Option(names = "--release", description = "Let go of what the step holds for its finding.")
        boolean release;
    }

    @Override
    public Integer call() {
        Operation op = mode.undo ? Operation.UNDO : mode.release ? Operation.RELEASE : Operation.RUN;
        return new PrivilegedRun(journal, step, digest, op, System.err, Engines.executors()).execute(reply);
    }
}
