package io.dbrescue.plan;

import io.dbrescue.machine.TargetOptions;

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
 * @param preferred   with strategy AUTO, the strategy to take when it is one of the possible ones
 *                    (the {@code preferred_migration_strategy} setting); null for none
 * @param timeoutSeconds the longest any one program may run ({@code timeout_seconds})
 * @param chunkBytes  how much a copy moves between progress reports and cancel checks ({@code chunk_size_mb})
 * @param containers  the images of old server versions and the way older PostgreSQL data is moved
 */
public record RecoveryRequest(Path backupRoot, List<String> selections, Strategy strategy, TargetOptions target,
                              Conflict onConflict, int jobs, boolean safetyCopy, boolean requireAll,
                              Strategy preferred, long timeoutSeconds, long chunkBytes, Containers containers) {

    public static final long DEFAULT_TIMEOUT_SECONDS = 24 * 3600;
    public static final long DEFAULT_CHUNK_BYTES = 64L << 20;

    public RecoveryRequest(Path backupRoot, List<String> selections, Strategy strategy, TargetOptions target,
                           Conflict onConflict, int jobs, boolean safetyCopy, boolean requireAll) {
        this(backupRoot, selections, strategy, target, onConflict, jobs, safetyCopy, requireAll, null,
                DEFAULT_TIMEOUT_SECONDS, DEFAULT_CHUNK_BYTES, Containers.DEFAULTS);
    }

    public RecoveryRequest(Path backupRoot, List<String> selections, Strategy strategy, TargetOptions target,
                           Conflict onConflict, int jobs, boolean safetyCopy, boolean requireAll, Strategy preferred,
                           long timeoutSeconds, long chunkBytes) {
        this(backupRoot, selections, strategy, target, onConflict, jobs, safetyCopy, requireAll, preferred,
                timeoutSeconds, chunkBytes, Containers.DEFAULTS);
    }

    public RecoveryRequest {
        containers = containers == null ? Containers.DEFAULTS : containers;
    }

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
