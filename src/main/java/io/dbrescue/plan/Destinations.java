package io.dbrescue.plan;

import io.dbrescue.run.BasicSteps;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where each finding of a plan ends up, read from the step that checks it afterwards (every engine's plan ends a
 * restore with one: {@code sqlite-verify}, {@code pg-verify}, {@code mysql-verify}, {@code redis-verify}) — its
 * record ({@link StepParams.Verifies}) names the file or the server and databases the check opens, which is where
 * the user finds them.
 */
public final class Destinations {
    private Destinations() {
    }

    /** The destination of this finding in the plan, if its plan says. */
    public static Optional<Destination> of(Plan plan, String group) {
        List<Step> steps = plan.steps(group);
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            Destination d = StepKinds.as(s, StepParams.Verifies.class).map(v -> v.destination(s, dataDirectory(steps)))
                    .orElse(null);
            if (d != null) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * The data directory a direct or upgrade plan fills: the new cluster moved there, else the copy into it — not
     * a working copy in the run folder (the container strategy's).
     */
    static String dataDirectory(List<Step> steps) {
        Path work = steps.isEmpty() ? null : io.dbrescue.run.Journal.runsDir();
        String copied = null;
        for (Step s : steps) {
            Optional<Path> moved = StepKinds.as(s, BasicSteps.Move.class).map(BasicSteps.Move::to);
            if (moved.isPresent()) {
                return moved.get().toString();
            }
            Path target = s.bytes() > 0 ? StepKinds.as(s, BasicSteps.Copy.class).map(BasicSteps.Copy::target)
                    .orElse(null) : null;
            if (copied == null && target != null && !target.startsWith(work)) {
                copied = target.toString();
            }
        }
        return copied;
    }

    /** host:port in words (a socket's folder reads as localhost). */
    public static String server(String host, String port) {
        return (host == null || host.startsWith("/") ? "localhost" : host) + ":" + port;
    }

    /** ", database shop" / ", databases a, b" / "" after the server's name. */
    public static String databases(List<String> dbs) {
        return dbs.isEmpty() ? "" : dbs.size() == 1 ? ", database " + dbs.get(0) : ", databases " + String.join(", ", dbs);
    }

    /** The folder that holds a file, or null. */
    public static String parent(Path file) {
        Path p = file.toAbsolutePath().getParent();
        return p == null ? null : p.toString();
    }
}
