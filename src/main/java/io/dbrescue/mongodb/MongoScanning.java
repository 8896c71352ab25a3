package io.dbrescue.mongodb;

import io.dbrescue.scan.DirectoryDetector;
import io.dbrescue.scan.EngineScanner;
import io.dbrescue.scan.FileDetector;

import java.util.List;

/** What MongoDB contributes to a scan. */
public final class MongoScanning implements EngineScanner {
    @Override
    public List<DirectoryDetector> directoryDetectors() {
        return List.of(new MongoDbPathDetector(), new MongoDumpDirectoryDetector());
    }

    @Override
    public List<FileDetector> fileDetectors() {
        return List.of(new MongoArchiveDetector());
    }
}
