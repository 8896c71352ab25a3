package io.dbrescue.cli;

import io.dbrescue.run.Runner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a run goes: the run is cancelled the way the user chose (the finding
 * in progress undone, or only its step with {@code --on-cancel keep}) and the command ends normally with
 * exit 130 once the journal and the summary are written. A handler instead of a shutdown hook: the JVM
 * does not start shutting down underneath the undo. The programs dbrescue runs are in sessions of their
 * own (see {@code Exec}), so the terminal's Ctrl-C reaches only dbrescue, never the pg_restore it drives.
 */
final class CancelOnSignal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CancelOnSignal.class);
    private final Map<String, SignalHandler> previous = new HashMap<>();
    private int received;

    private CancelOnSignal() {
    }

    static CancelOnSignal install(Runner runner, Runner.CancelMode mode, PrintWriter err) {
        CancelOnSignal c = new CancelOnSignal();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                c.previous.put(name, Signal.handle(new Signal(name), s -> c.received(s, runner, mode, err)));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return c;
    }

    private synchronized void received(Signal s, Runner runner, Runner.CancelMode mode, PrintWriter err) {
        received++;
        LOG.info("SIG{} received ({}): cancelling the run ({})", s.getName(), received, mode);
        if (received == 1) {
            err.println();
            err.println(mode == Runner.CancelMode.ROLL_BACK
                    ? "dbrescue: cancelling: undoing what was done for the database in progress, so it is as it was "
                    + "before the run…"
                    : "dbrescue: stopping here: undoing the step in progress; the steps before it are kept for a resume…");
        } else {
            err.println("dbrescue: still undoing; please wait. (kill -9 " + ProcessHandle.current().pid()
                    + " stops at once; `dbrescue recover --resume` then tidies up from the journal.)");
        }
        err.flush();
        runner.cancel(mode);
    }

    @Override
    public void close() {
        previous.forEach((name, handler) -> {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot restore SIG{}: {}", name, e.getMessage());
            }
        });
    }
}
