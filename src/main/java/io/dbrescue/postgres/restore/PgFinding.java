package io.dbrescue.postgres.restore;

import io.dbrescue.scan.Finding;

/** What the scan's finding says that both deciding and planning read. */
public final class PgFinding {
    private PgFinding() {
    }

    /** Whether the files were copied while their server ran (the WAL must be replayed by the same major version). */
    public static boolean copiedWhileRunning(Finding f) {
        return Boolean.TRUE.equals(f.getDetails().get("copiedWhileRunning")) || Boolean.FALSE.equals(f.getCleanShutdown());
    }

    /** Whether the dump is an archive pg_restore reads (custom, directory, tar) rather than SQL for psql. */
    public static boolean isArchive(Finding f) {
        String fmt = f.getFormat() == null ? "" : f.getFormat();
        return fmt.startsWith("custom") || fmt.startsWith("directory") || fmt.startsWith("tar");
    }
}
