package io.dbrescue.plan;

import java.util.List;
import java.util.Map;

/**
 * One step of a plan, as data: it is shown in the dry run, written to the journal and executed by
 * the {@code StepExecutor} registered for its {@code kind} — so a resumed run executes exactly the
 * steps that were planned.
 *
 * @param id        unique in the plan ("1.3": third step of the first restore)
 * @param group     the finding this step restores (its path in the backup)
 * @param kind      which executor runs it ("copy-tree", "exec", "move-aside", "pg-verify"...)
 * @param title     what it does, in a few words
 * @param argv      the exact command it runs (empty when dbrescue does the work itself)
 * @param reads     what it reads (a path, a server), for the preview
 * @param writes    what it writes
 * @param bytes     how many bytes it moves (the progress weight); 0 for quick steps
 * @param needsRoot whether it needs root (when dbrescue is not root it is shown to run by hand)
 * @param undo      how it is undone, in words ("" when it changes nothing)
 * @param params    what the executor needs (paths, ports, names); never a password
 * @param writePaths files and folders the step writes into that none of its {@link BackupGuard#WRITTEN}
 *                  parameters names (a log file, a server's folder on a command line); {@link BackupGuard}
 *                  checks both against the backup
 */
public record Step(String id, String group, String kind, String title, List<String> argv, String reads,
                   String writes, long bytes, boolean needsRoot, String undo, Map<String, String> params,
                   List<String> writePaths) {

    public Step {
        writePaths = writePaths == null ? List.of() : List.copyOf(writePaths); // journals written before it existed
    }

    public Step(String id, String group, String kind, String title, List<String> argv, String reads, String writes,
                long bytes, boolean needsRoot, String undo, Map<String, String> params) {
        this(id, group, kind, title, argv, reads, writes, bytes, needsRoot, undo, params, List.of());
    }

    /** The parameters as the record of this step's kind (see {@link StepParamsCodec}). */
    public <P extends StepParams> P params(Class<P> type) {
        return StepParamsCodec.fromStep(this, type);
    }

    public String param(String key) {
        String v = params.get(key);
        if (v == null) {
            throw new IllegalStateException("step " + id + " (" + kind + ") has no parameter " + key);
        }
        return v;
    }

    public String param(String key, String fallback) {
        return params.getOrDefault(key, fallback);
    }

    /** A path parameter; one whose name is not valid text was stored as a file: URI (see PlanContext). */
    public java.nio.file.Path path(String key) {
        return StepParamsCodec.path(param(key));
    }
}
