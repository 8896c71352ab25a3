package io.dbrescue.elevate;

import io.dbrescue.plan.Step;
import io.dbrescue.run.StepContext;

import java.io.IOException;
import java.util.concurrent.CancellationException;

/**
 * Reads what the helper sends until its result and turns the result into the step's outcome. While it waits, a
 * cancel of the run is passed on as the line "cancel": the helper stops its step as the runner would, and says so.
 */
final class HelperReply {
    private static final long POLL_MILLIS = 100;

    private HelperReply() {
    }

    static void read(HelperLink link, Step step, Operation op, StepContext ctx) throws Exception {
        Thread watcher = cancelWatcher(link, ctx);
        try {
            HelperLink.Message m;
            while ((m = link.receive()) != null) {
                switch (m.type()) {
                    case "progress" -> ctx.progress(m.bytes() == null ? 0 : m.bytes());
                    case "log" -> ctx.log(m.text());
                    case "report" -> ctx.report(m.key(), m.value());
                    case "result" -> {
                        outcome(m, step, op);
                        return;
                    }
                    default -> ctx.log("(the helper said something this dbrescue does not know: " + m.type() + ")");
                }
            }
            throw ElevatedExecutor.failure("root-step", "The helper for step " + step.id() + " stopped without saying "
                    + "how the step ended.", "Look at the run's log; resume the run to try the step again.");
        } finally {
            watcher.interrupt();
        }
    }

    private static void outcome(HelperLink.Message m, Step step, Operation op) throws Exception {
        switch (m.outcome()) {
            case "done" -> { }
            case "cancelled" -> throw new CancellationException("step " + step.id() + " cancelled as root");
            case "refused" -> throw ElevatedExecutor.failure("root-refused", "The helper refused to " + op.verb()
                    + " step " + step.id() + ": " + m.text(), m.fix());
            default -> throw ElevatedExecutor.failure(m.kind(), m.text(), m.fix());
        }
    }

    private static Thread cancelWatcher(HelperLink link, StepContext ctx) {
        Thread t = new Thread(() -> {
            try {
                while (!ctx.cancelled()) {
                    Thread.sleep(POLL_MILLIS);
                }
                link.sendLine(HelperLink.CANCEL);
            } catch (InterruptedException | IOException e) {
                // the step ended first, or the helper is gone
            }
        }, "root-step-cancel");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
