package io.dbrescue.mysql;

import io.dbrescue.scan.DirectoryDetector;
import io.dbrescue.scan.EngineScanner;
import io.dbrescue.scan.FileDetector;

import java.util.List;

/** What MySQL and MariaDB contributes to a scan. */
public final class MySqlScanning implements EngineScanner {
    @Override
    public List<DirectoryDetector> directoryDetectors() {
        return List.of(new MySqlDataDirectoryDetector());
    }

    @Override
    public List<FileDetector> fileDetectors() {
        return List.of(new MySqlDumpDetector());
    }
}
