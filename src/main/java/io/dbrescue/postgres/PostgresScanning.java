package io.dbrescue.postgres;

import io.dbrescue.postgres.scan.PgDataDirectoryDetector;
import io.dbrescue.postgres.scan.PgDumpDirectoryDetector;
import io.dbrescue.postgres.scan.PgDumpFileDetector;

import io.dbrescue.scan.DirectoryDetector;
import io.dbrescue.scan.EngineScanner;
import io.dbrescue.scan.FileDetector;

import java.util.List;

/** What PostgreSQL contributes to a scan. */
public final class PostgresScanning implements EngineScanner {
    @Override
    public List<DirectoryDetector> directoryDetectors() {
        return List.of(new PgDataDirectoryDetector(), new PgDumpDirectoryDetector());
    }

    @Override
    public List<FileDetector> fileDetectors() {
        return List.of(new PgDumpFileDetector());
    }
}
