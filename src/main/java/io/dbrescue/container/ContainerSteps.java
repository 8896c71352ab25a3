package io.dbrescue.container;

import io.dbrescue.text.Lines;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.Exec;
import io.dbrescue.run.Poll;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.run.TypedStep;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The step kinds of the container strategy, the same for every engine:
 * <ul>
 * <li>{@code container-image} (image): the image is used when it is here, pulled (with its progress in
 * the live log) when not; no network gives a message naming the image and how to load it;</li>
 * <li>{@code container-start} (the step's argv = podman run -d ..., name, [readySeconds]): starts the old
 * server and waits until the engine's {@link Ready} check says it accepts connections. The wait ends as
 * soon as the answer is known: a container that stops is reported at once with the FATAL/PANIC line of its
 * log as the reason (the engine's {@link Diagnosis} turns it into the fix), and a Ready check that gets a
 * refusal waiting cannot mend (a FATAL at login) throws at once. Undo and release remove the container: it
 * never outlives the run (success, failure or cancel), and a resumed run starts it again;</li>
 * <li>{@code container-stop} (name): stops the server cleanly and removes the container.</li>
 * </ul>
 */
public final class ContainerSteps {
    private ContainerSteps() {
    }

    /**
     * The parameters every engine's container start has besides its own: the container's name (which the step
     * {@link StepParams.Holds} until a {@link ContainerStop} releases it) and how long its server may take.
     */
    public interface Started extends StepParams, StepParams.Holds {
        String name();

        /** Seconds the server may take to accept connections; 0 (not planned): {@link #READY_SECONDS}. */
        default long readySeconds() {
            return 0;
        }
    }

    /** How long a server in a container may take to accept connections when its step does not say. */
    public static final long READY_SECONDS = 120;

    /**
     * Whether the server in a started container accepts connections yet.
     *
     * @param <P> the start step's parameters
     */
    @FunctionalInterface
    public interface Ready<P> {
        /**
         * True when ready; false to keep waiting; throws when it will never be (wrong login...). {@code ctx} is the
         * step's (the run's passwords, for a server that takes the target's login).
         */
        boolean check(P params, StepContext ctx) throws Exception;
    }

    /**
     * Why the server in a container stopped, in words, with the fix: the engine's reading of its log. Null for
     * the general message.
     *
     * @param <P> the start step's parameters
     */
    @FunctionalInterface
    public interface Diagnosis<P> {
        /**
         * @param reason  the FATAL/PANIC line of the log (the last one), or null when it wrote none
         * @param logTail the last lines of the container's log
         */
        StepFailure explain(P params, String reason, String logTail);
    }

    /** The start of an engine's container, its parameters of type (registered under the engine's own start kind). */
    public static <P extends Started> StepExecutor start(Class<P> type, Ready<P> ready) {
        return start(type, ready, (p, reason, log) -> null);
    }

    /** As {@link #start(Class, Ready)}, with the engine's reading of a stopped server's log. */
    public static <P extends Started> StepExecutor start(Class<P> type, Ready<P> ready, Diagnosis<P> diagnosis) {
        return new Start<>(type, (p, step, ctx) -> ready.check(p, ctx), diagnosis);
    }

    /** The step's readiness check with its parameters. */
    @FunctionalInterface
    private interface Check<P> {
        boolean check(P params, Step step, StepContext ctx) throws Exception;
    }

    /** The last FATAL or PANIC line of a server's log with the DETAIL / HINT lines right after it, or null. */
    public static String fatalLine(String log) {
        List<String> lines = log.lines().toList();
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (FATAL.matcher(lines.get(i)).find()) {
                at = i;
            }
        }
        if (at < 0) {
            return null;
        }
        StringBuilder b = new StringBuilder(lines.get(at).strip());
        for (int i = at + 1; i < lines.size() && (lines.get(i).contains("DETAIL:") || lines.get(i).contains("HINT:")); i++) {
            b.append('\n').append(lines.get(i).strip());
        }
        return b.toString();
    }

    private static final java.util.regex.Pattern FATAL = java.util.regex.Pattern.compile("\\b(FATAL|PANIC)\\b");

    /** The pre-flight check of an image: here (pass), or to be pulled first (warn: needs the network). */
    public static void checkImage(PlanContext ctx, String image, String what) {
        if (Podman.imageExists(image)) {
            ctx.pass("image", "The image " + image + " (" + what + ") is here.");
        } else {
            ctx.warn("image", "The image " + image + " (" + what + ") is not on this machine: it is pulled first, which "
                    + "needs the network.", "Offline? Load it from a disk: podman load -i image.tar (made elsewhere with "
                    + "podman pull " + image + " && podman save -o image.tar " + image + "), or name an image you have in "
                    + "the settings' [images] section.");
        }
    }

    /** The {@code container-image} step: the image is used when here, pulled otherwise. */
    public static void planImage(PlanContext ctx, String image, String what) {
        ctx.step(new ContainerImage(image), "Have the image " + image + " (" + what + ")")
                .reads("the local image store (the registry only if the image is not here)").add();
    }

    /** {@code container-image}: the image used when it is here, pulled (podman pull) when not. */
    public record ContainerImage(String image) implements StepParams {
        @Override
        public String kind() {
            return "container-image";
        }

        @Override
        public List<String> argv() {
            return List.of(Podman.command(), "pull", image);
        }
    }

    public static StepExecutor image() {
        return new Image();
    }

    public static StepExecutor stop() {
        return new Stop();
    }

    static final class Image implements TypedStep<ContainerImage> {
        @Override
        public void run(ContainerImage p, Step step, StepContext ctx) throws Exception {
            String image = p.image();
            if (Podman.program() == null) {
                throw new StepFailure("missing-binary", "Podman is not installed; the container strategy runs the old "
                        + "server in a Podman container.", Podman.installHint());
            }
            if (Podman.imageExists(image)) {
                ctx.log("The image " + image + " is here.");
                return;
            }
            ctx.log("The image " + image + " is not here: pulling it (podman pull " + image + ").");
            Exec.Result r = Exec.of(p.argv()).timeout(ctx.timeout()).run(ctx);
            if (!r.ok() || !Podman.imageExists(image)) {
                String said = (r.stderrTail() + "\n" + r.stdoutTail()).strip();
                String low = said.toLowerCase(Locale.ROOT);
                boolean offline = low.contains("dial tcp") || low.contains("no such host") || low.contains("network is unreachable")
                        || low.contains("i/o timeout") || low.contains("connection refused") || low.contains("temporary failure")
                        || low.contains("tls handshake");
                throw new StepFailure("image-missing", "The container image " + image + " is not on this machine and "
                        + (offline ? "could not be downloaded (no network to its registry)" : "could not be pulled")
                        + ". Podman said:\n  " + String.join("\n  ", Lines.last(said, 4)),
                        "Pull it when the network is up (podman pull " + image + "), or bring it on a disk: on a machine "
                                + "with network run podman pull " + image + " && podman save -o image.tar " + image
                                + ", then here podman load -i image.tar. Or name an image you have (podman images) "
                                + "in the settings' [images] section. Nothing was changed.");
            }
            ctx.log("Pulled " + image + ".");
        }
    }

    static final class Start<P extends Started> implements TypedStep<P> {
        private static final int LOG_LINES = 30;
        private final Class<P> type;
        private final Check<P> ready;
        private final Diagnosis<P> diagnosis;

        Start(Class<P> type, Check<P> ready, Diagnosis<P> diagnosis) {
            this.type = type;
            this.ready = ready;
            this.diagnosis = diagnosis;
        }

        @Override
        public Class<P> paramsType() {
            return type;
        }

        @Override
        public void run(P p, Step step, StepContext ctx) throws Exception {
            String name = p.name();
            Podman.remove(name, 5); // left by a run that was killed: it is started afresh
            Exec.Result r;
            try {
                r = Exec.of(step.argv()).timeout(Duration.ofMinutes(5)).run(ctx);
            } catch (IOException e) {
                throw new StepFailure("missing-binary", "Podman cannot be run: " + e.getMessage(), Podman.installHint(), e);
            }
            if (!r.ok()) {
                Podman.remove(name, 1);
                throw notStarted((r.stderrTail() + "\n" + r.stdoutTail()).strip());
            }
            ctx.log("Started the container " + name + "; waiting for the server to accept connections.");
            waitUntilReady(p, step, ctx, name);
        }

        /** Polls until ready; a stopped container or a refusal that waiting cannot mend ends it at once. */
        private void waitUntilReady(P p, Step step, StepContext ctx, String name) throws Exception {
            long readySeconds = p.readySeconds() > 0 ? p.readySeconds() : READY_SECONDS;
            boolean up = Poll.until(ctx, Duration.ofSeconds(readySeconds), Duration.ofMillis(250),
                    () -> answers(p, step, ctx, name));
            if (!up) {
                String log = Podman.logTail(name, 15);
                Podman.remove(name, 5);
                throw new StepFailure("server-start", "The old server in the container did not accept connections "
                        + "within " + readySeconds + " s. Its last log lines:\n  "
                        + String.join("\n  ", Lines.last(log, 15)), "A long crash recovery can take longer: raise "
                        + "timeout_seconds in the settings and run again.");
            }
            ctx.log("The old server in " + name + " accepts connections.");
        }

        /** Whether the server in the container answers; a stopped container or a refusal ends the wait. */
        private boolean answers(P p, Step step, StepContext ctx, String name) throws Exception {
            if (!Podman.running(name)) {
                String log = Podman.logTail(name, LOG_LINES);
                Podman.remove(name, 1);
                throw stopped(p, log);
            }
            try {
                return ready.check(p, step, ctx);
            } catch (StepFailure refused) {
                Podman.remove(name, 5);
                throw refused;
            }
        }

        /** The container ended before the server was ready: its FATAL line is the reason, the engine names the fix. */
        private StepFailure stopped(P p, String log) {
            String reason = fatalLine(log);
            StepFailure explained = diagnosis.explain(p, reason, log);
            if (explained != null) {
                return explained;
            }
            return new StepFailure("server-start", "The old server in the container stopped instead of starting"
                    + (reason == null ? "" : ": " + reason) + ". Its last log lines:\n  "
                    + String.join("\n  ", Lines.last(log, 15)),
                    "Read its log lines above: a damaged or incomplete copy, an image of another major version, or "
                            + "a server setting it does not know are the usual causes. The backup is untouched; "
                            + "the copy the container ran on is removed.");
        }

        private static StepFailure notStarted(String said) {
            String low = said.toLowerCase(Locale.ROOT);
            if (low.contains("address already in use") || low.contains("port is already allocated")) {
                return new StepFailure("port-in-use", "The old server's container could not publish its port: "
                        + "another program took it since the plan was made. Podman said:\n  "
                        + String.join("\n  ", Lines.last(said, 4)), "Run the recovery again (a new plan picks a free "
                        + "port); nothing was changed in the target.");
            }
            if (low.contains("image not known") || low.contains("no such image")) {
                return new StepFailure("image-missing", "The image of the old server is gone from this machine since "
                        + "the run began. Podman said:\n  " + String.join("\n  ", Lines.last(said, 3)),
                        "Run the recovery again: its first step pulls or finds the image. Nothing was changed in the target.");
            }
            return new StepFailure("container", "Podman could not start the old server's container. It said:\n  "
                    + String.join("\n  ", Lines.last(said, 6)), "Read the lines above: a missing image is pulled by the "
                    + "step before; for Podman setup problems see docs/troubleshooting.md. Nothing was changed in the "
                    + "target.");
        }

        @Override
        public void undo(P p, Step step, StepContext ctx) throws Exception {
            Podman.remove(p.name(), 5);
        }

        @Override
        public void release(Step step, StepContext ctx) throws Exception {
            Podman.remove(step.params(type).name(), 30);
            // a `podman run` cut off by a cancel can leave its container half made under another state: by the label
            Podman.removeRun(ctx.plan().runId());
        }
    }

    /**
     * {@code container-stop}: the server in the container name stopped cleanly (60 s) and the container removed;
     * releases names the container a start step holds (the same name), so that a resumed run starts it again first.
     */
    public record ContainerStop(String name, String releases) implements StepParams, StepParams.Releases {
        /** The stop of a container that this step releases. */
        public ContainerStop(String name) {
            this(name, name);
        }

        @Override
        public String kind() {
            return "container-stop";
        }

        @Override
        public List<String> argv() {
            return List.of(Podman.command(), "stop", "-t", "60", name);
        }
    }

    static final class Stop implements TypedStep<ContainerStop> {
        @Override
        public void run(ContainerStop p, Step step, StepContext ctx) throws Exception {
            Podman.remove(p.name(), 60);
        }
    }

}
