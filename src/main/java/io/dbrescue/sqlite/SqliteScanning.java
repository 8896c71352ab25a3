package io.dbrescue.sqlite;

import io.dbrescue.scan.DirectoryDetector;
import io.dbrescue.scan.EngineScanner;
import io.dbrescue.scan.FileDetector;

import java.util.List;

/** What SQLite contributes to a scan: SQLite 3 database files. */
public final class SqliteScanning implements EngineScanner {
    @Override
    public List<DirectoryDetector> directoryDetectors() {
        return List.of();
    }

    @Override
    public List<FileDetector> fileDetectors() {
        return List.of(new SqliteFileDetector());
    }
}
