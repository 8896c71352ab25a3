package io.dbrescue.elevate;

import io.dbrescue.plan.Step;
import io.dbrescue.run.StepContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Gets the helper started for one step and waits for it to call back: through pkexec (polkit's agent asks for the
 * password; dbrescue never does), else by showing the terminal command and waiting until the user has run it.
 * Cancel while waiting ends the wait (pkexec is stopped while it still asks; a helper started later finds no socket).
 */
final class Handover {
    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);
    private static final long POLL_MILLIS = 100;
    private final Step step;
    private final Operation op;
    private final List<String> helper;
    private final StepContext ctx;

    Handover(Step step, Operation op, List<String> helper, StepContext ctx) {
        this.step = step;
        this.op = op;
        this.helper = helper;
        this.ctx = ctx;
    }

    HelperLink await(ReplySocket socket) throws IOException, InterruptedException {
        Path pkexec = Elevation.pkexec();
        Path stderr = Files.createTempFile("dbrescue-pkexec-", ".log");
        Process process = null;
        try {
            if (pkexec == null) {
                showTerminal("pkexec is not installed");
            } else {
                ctx.log("Step " + step.id() + " needs root: asking through pkexec (your desktop's password dialog).");
                process = start(pkexec, stderr);
            }
            while (true) {
                SocketChannel c = socket.poll();
                if (c != null) {
                    return new HelperLink(c);
                }
                if (ctx.cancelled()) {
                    if (process != null) {
                        process.destroy(); // still pkexec (ours) while it asks; once root, the helper finds no socket
                    }
                    throw new CancellationException("cancelled while step " + step.id() + " waited for root");
                }
                if (process != null && !process.isAlive()) {
                    showTerminal(why(process.exitValue(), stderr));
                    process = null;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * pkexec beside the wait for its callback (so not {@code Exec.run}, which waits), in dbrescue's own session, so
     * that in a terminal its own text agent can ask for the password there.
     */
    private Process start(Path pkexec, Path stderr) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(pkexec.toString());
        argv.addAll(helper);
        return io.dbrescue.run.Exec.of(argv).sameSession().discardStdout().stderrLog(stderr).spawn();
    }

    private static String why(int exit, Path stderr) {
        String said = "";
        try {
            List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            said = lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).trim();
        } catch (IOException e) {
            LOG.debug("no pkexec output: {}", e.getMessage());
        }
        return switch (exit) {
            case 126 -> "the password dialog was closed or the password was not accepted" + said;
            case 127 -> "pkexec could not ask (no polkit agent is running)" + said;
            default -> "pkexec ended with exit code " + exit + said;
        };
    }

    private void showTerminal(String why) {
        String command = Elevation.terminalCommand(helper);
        ctx.log("Step " + step.id() + " (" + step.title() + ") needs root and " + why + ". Run this in a terminal; "
                + "dbrescue goes on as soon as it has run (Cancel stops waiting):");
        ctx.needsRootCommand(command);
        LOG.info("waiting for the terminal command to {} step {}", op.verb(), step.id());
    }
}
