package io.dbrescue.elevate;

import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.run.TypedStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user's side of a root step: a step that needs root, while dbrescue is not root, is handed to the helper
 * ({@link PrivilegedRun}) through pkexec, or — no pkexec, no polkit agent, the password dialog dismissed — through
 * the command the user is shown to run in a terminal; either way this waits for the helper on a socket, passes its
 * progress, log lines and report on, and turns its result into the step's outcome. Other steps run as they are.
 */
final class ElevatedExecutor implements StepExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(ElevatedExecutor.class);
    private final StepExecutor inner;
    /** Steps the helper has started in this process (an undo of a step it never reached has nothing to undo). */
    private final Set<String> reached = ConcurrentHashMap.newKeySet();
    /** Steps whose hand-over was cancelled before the helper started: nothing of them ran. */
    private final Set<String> neverStarted = ConcurrentHashMap.newKeySet();

    ElevatedExecutor(StepExecutor inner) {
        this.inner = inner;
    }

    @Override
    public void run(Step step, StepContext ctx) throws Exception {
        if (!Elevation.needed(step)) {
            inner.run(step, ctx);
            return;
        }
        elevate(step, ctx, Operation.RUN);
    }

    @Override
    public void undo(Step step, StepContext ctx) throws Exception {
        if (!Elevation.needed(step)) {
            inner.undo(step, ctx);
        } else if (neverStarted.remove(step.id())) {
            LOG.info("step {} never reached the helper: nothing to undo", step.id());
        } else if (overrides(inner, "undo")) {
            elevate(step, ctx, Operation.UNDO);
        }
    }

    @Override
    public void release(Step step, StepContext ctx) throws Exception {
        if (!Elevation.needed(step)) {
            inner.release(step, ctx);
        } else if (reached.contains(step.id()) && overrides(inner, "release")) {
            elevate(step, ctx, Operation.RELEASE);
        }
    }

    /**
     * Whether the executor does something for undo / release at all (the interfaces' defaults do nothing). A typed
     * executor's undo is its undo of the record ({@link TypedStep}): its own when the executor overrides that.
     */
    static boolean overrides(StepExecutor inner, String method) {
        try {
            if (inner instanceof TypedStep<?> && method.equals("undo")) {
                return inner.getClass().getMethod(method, StepParams.class, Step.class, StepContext.class)
                        .getDeclaringClass() != TypedStep.class;
            }
            return inner.getClass().getMethod(method, Step.class, StepContext.class).getDeclaringClass()
                    != StepExecutor.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    private void elevate(Step step, StepContext ctx, Operation op) throws Exception {
        Path journal = ctx.runDir().resolveSibling(ctx.plan().runId() + ".json");
        String digest = PlanDigest.of(ctx.plan());
        try (ReplySocket socket = ReplySocket.open()) {
            List<String> helper = Elevation.helperCommand(journal, step.id(), digest, socket.path(), op);
            HelperLink link;
            try {
                link = new Handover(step, op, helper, ctx).await(socket);
            } catch (CancellationException c) {
                if (op == Operation.RUN) {
                    neverStarted.add(step.id());
                }
                throw c;
            }
            reached.add(step.id());
            try (link) {
                HelperReply.read(link, step, op, ctx);
            }
        }
    }

    /** A helper's refusal or failure as the step's failure. */
    static StepFailure failure(String kind, String text, String fix) {
        return new StepFailure(kind == null ? "root-step" : kind, text, fix == null ? "See the log." : fix);
    }
}
