package io.dbrescue.elevate;

import io.dbrescue.plan.Step;
import io.dbrescue.run.Journal;
import io.dbrescue.run.ProgressEvent;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The root side ({@code dbrescue privileged-run}, started by pkexec or sudo): re-reads the journal, checks it
 * ({@link JournalTrust}), its plan against the fingerprint the user confirmed ({@link PlanDigest}) and the step
 * ({@link RootStepGate}), then runs, undoes or releases that one step with the same executor the runner would use,
 * and reports back over the runner's socket. It never writes the journal (the runner, as the user, does) and never
 * asks for a password (pkexec's agent or sudo does, before it starts).
 */
public final class PrivilegedRun {
    public static final int DONE = 0;
    public static final int FAILED = 1;
    public static final int NOT_ROOT = 2;
    public static final int REFUSED = 3;
    public static final int CANCELLED = 4;
    private static final Logger LOG = LoggerFactory.getLogger(PrivilegedRun.class);

    private final Path journalFile;
    private final String stepId;
    private final String digest;
    private final Operation op;
    private final PrintStream err;
    private final Map<String, StepExecutor> executors;
    private final AtomicBoolean cancel = new AtomicBoolean();
    private HelperLink link;

    /** {@code executors}: every step kind's executor (the engines'), the same the runner uses. */
    public PrivilegedRun(Path journalFile, String stepId, String digest, Operation op, PrintStream err,
                         Map<String, StepExecutor> executors) {
        this.executors = executors;
        this.journalFile = journalFile;
        this.stepId = stepId;
        this.digest = digest;
        this.op = op;
        this.err = err;
    }

    /** The user who asked: pkexec says so in PKEXEC_UID, sudo in SUDO_UID; root itself otherwise. */
    static int invokingUid() {
        for (String var : new String[] {"PKEXEC_UID", "SUDO_UID"}) {
            String v = System.getenv(var);
            if (v != null && v.matches("\\d{1,10}")) {
                return Integer.parseInt(v);
            }
        }
        return 0;
    }

    /** Runs the step; the exit code is one of the constants above. {@code reply} is the runner's socket, or null. */
    public int execute(Path reply) {
        if (!io.dbrescue.run.OsUsers.isRoot()) {
            err.println("dbrescue privileged-run runs a root step of a restore you confirmed; dbrescue starts it "
                    + "through pkexec, or you start it with sudo as the window or the command line says.");
            return NOT_ROOT;
        }
        int uid = invokingUid();
        try {
            link = reply == null ? null : HelperConnection.connect(reply, uid, cancel);
            Journal journal = JournalTrust.load(journalFile, uid);
            if (!PlanDigest.of(journal.plan()).equals(digest)) {
                throw new Refused("The plan in " + journalFile + " is not the plan you confirmed (it changed since): "
                        + "nothing was run. Plan the restore again.");
            }
            Step step = RootStepGate.check(journal, stepId, op);
            LOG.info("privileged-run: {} step {} ({}) of run {} for uid {}", op.verb(), step.id(), step.kind(),
                    journal.plan().runId(), uid);
            return perform(journal, step, uid);
        } catch (Refused r) {
            return finish(REFUSED, HelperLink.Message.result("refused", "refused", r.getMessage(),
                    "Only the root steps of the plan you confirmed are run, when the run reaches them."));
        } catch (IOException e) {
            LOG.warn("privileged-run: {}", e.getMessage(), e);
            return finish(REFUSED, HelperLink.Message.result("refused", "refused", "The helper could not read what it "
                    + "needs: " + e.getMessage(), "Start the restore again from dbrescue."));
        } finally {
            closeLink();
        }
    }

    private int perform(Journal journal, Step step, int uid) throws IOException {
        StepExecutor executor = executors.get(step.kind());
        if (executor == null) {
            return finish(REFUSED, HelperLink.Message.result("refused", "refused", "This dbrescue has no steps of kind "
                    + step.kind() + ".", "Use the same dbrescue for the run and for its root steps."));
        }
        Path runDir = Files.createTempDirectory("dbrescue-root-" + journal.plan().runId() + "-"); // 0700, root's
        Journal.Group group = new Journal.Group();
        StepContext ctx = StepContext.detached(journal.plan(), runDir, this::forward, cancel::get, group);
        HelperLink.Message result = runStep(executor, step, ctx, group);
        handOver(runDir, uid);
        int code = switch (result.outcome()) {
            case "done" -> DONE;
            case "cancelled" -> CANCELLED;
            default -> FAILED;
        };
        return finish(code, result);
    }

    private HelperLink.Message runStep(StepExecutor executor, Step step, StepContext ctx, Journal.Group group) {
        try {
            switch (op) {
                case RUN -> executor.run(step, ctx);
                case UNDO -> executor.undo(step, ctx.uncancellable());
                case RELEASE -> executor.release(step, ctx.uncancellable());
                default -> throw new IllegalStateException(op.name());
            }
            for (Map.Entry<String, Object> e : group.report.entrySet()) {
                send(HelperLink.Message.report(e.getKey(), e.getValue()));
            }
            return HelperLink.Message.result("done", null, null, null);
        } catch (StepFailure f) {
            return HelperLink.Message.result("failed", f.kind(), f.getMessage(), f.fix());
        } catch (CancellationException c) {
            return HelperLink.Message.result("cancelled", null, "Cancelled.", null);
        } catch (Exception e) {
            LOG.warn("privileged-run: step {} failed", step.id(), e);
            return HelperLink.Message.result("failed", "unexpected", step.title() + ": " + e.getMessage(),
                    "See the log for details.");
        }
    }

    /** The step's own files (server logs) go to the user who asked: the folder is root's, so nobody else put links in it. */
    private void handOver(Path runDir, int uid) {
        try (var entries = Files.list(runDir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(runDir); // the step kept no files
                return;
            }
        } catch (IOException e) {
            LOG.warn("could not look into {}: {}", runDir, e.getMessage());
        }
        try (var files = Files.walk(runDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            }
            send(HelperLink.Message.log("The root step's own files (logs) are in " + runDir + "."));
        } catch (IOException e) {
            LOG.warn("could not hand {} over to uid {}: {}", runDir, uid, e.getMessage());
        }
    }

    private void forward(ProgressEvent e) {
        try {
            send(e.message() != null ? HelperLink.Message.log(e.message()) : HelperLink.Message.progress(e.stepDone()));
        } catch (IOException gone) {
            cancel.set(true); // the runner is gone: stop as a cancel would
        }
    }

    private void send(HelperLink.Message m) throws IOException {
        if (link != null) {
            link.send(m);
        } else if (m.text() != null) {
            err.println(m.text());
        }
    }

    private int finish(int code, HelperLink.Message result) {
        if (result.text() != null) {
            err.println(result.text() + (result.fix() == null ? "" : " " + result.fix()));
        }
        try {
            send(result);
        } catch (IOException e) {
            LOG.warn("could not send the result: {}", e.getMessage());
        }
        return code;
    }

    private void closeLink() {
        if (link != null) {
            try {
                link.close();
            } catch (IOException ignored) {
                // the runner has what it needs
            }
        }
    }
}
