package io.dbrescue.plan;

import io.dbrescue.machine.TargetOptions;

/**
 * A throwaway target for {@code verify --restore-test}: a temporary server (or folder) on 127.0.0.1
 * and a free port, which the normal plan restores into; closing it stops it and removes everything.
 */
public interface Sandbox extends AutoCloseable {
    /** Where the restore goes: the --target-* options that point at the throwaway target. */
    TargetOptions options();

    /** What it is, for the report ("a temporary PostgreSQL 18.6 server on 127.0.0.1:41234"). */
    String description();

    @Override
    void close();
}
