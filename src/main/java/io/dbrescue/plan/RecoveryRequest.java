package io.dbrescue.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.scan.Engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
 * @param servers     what the user said about one engine's server only (the window has a form per server): for a
 *                    finding of that engine these fields win over {@code target}'s; empty on the command line,
 *                    whose --target-* options name one server
 */
public record RecoveryRequest(Path backupRoot, List<String> selections, Strategy strategy, TargetOptions target,
                              Conflict onConflict, int jobs, boolean safetyCopy, boolean requireAll,
                              Strategy preferred, long timeoutSeconds, long chunkBytes, Containers containers,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<Engine, TargetOptions> servers) {

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

    public RecoveryRequest(Path backupRoot, List<String> selections, Strategy strategy, TargetOptions target,
                           Conflict onConflict, int jobs, boolean safetyCopy, boolean requireAll, Strategy preferred,
                           long timeoutSeconds, long chunkBytes, Containers containers) {
        this(backupRoot, selections, strategy, target, onConflict, jobs, safetyCopy, requireAll, preferred,
                timeoutSeconds, chunkBytes, containers, Map.of());
    }

    public RecoveryRequest {
        containers = containers == null ? Containers.DEFAULTS : containers;
        servers = servers == null ? Map.of() : Map.copyOf(servers);
    }

    /**
     * The request a finding of this engine is planned with: {@link #target} with what the user said about this
     * engine's server winning; this request itself when nothing was said about it.
     */
    public RecoveryRequest forEngine(Engine engine) {
        TargetOptions own = servers.get(engine);
        if (own == null) {
            return this;
        }
        return new RecoveryRequest(backupRoot, selections, strategy, target.merge(own), onConflict, jobs, safetyCopy,
                requireAll, preferred, timeoutSeconds, chunkBytes, containers, servers);
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
