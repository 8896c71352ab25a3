package io.dbrescue.plan;

import io.dbrescue.target.TargetOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * What the user asked for: which findings of which backup, how, into what.
 *
 * @param backupRoot  the backup folder (read-only)
 * @param selections  relative paths of findings, as the scan reports them
 * @param strategy    requested strategy (AUTO lets dbrescue choose)
 * @param target      overrides of what discovery finds
 * @param onConflict  what to do when a database of the same name already exists in the target
 * @param jobs        parallel jobs for tools that can use them (pg_restore -j)
 * @param safetyCopy  keep a safety copy of what is overwritten
 * @param requireAll  stop at the first failure instead of going on with the other findings
 */
public record RecoveryRequest(Path backupRoot, List<String> selections, Strategy strategy, TargetOptions target,
                              Conflict onConflict, int jobs, boolean safetyCopy, boolean requireAll) {

    /** When a database of the same name already exists in the target. */
    public enum Conflict {
        /** Fail the pre-flight and say which names clash (the default: nothing is overwritten unasked). */
        ASK,
        /** Leave the existing database alone and do not restore this one. */
        SKIP,
        /** Restore under a new name (NAME_restored). */
        RENAME,
        /** Drop the existing database after a safety dump of it, then restore. */
        REPLACE
    }
}
