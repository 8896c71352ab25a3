package io.dbrescue.redis;

import io.dbrescue.scan.DirectoryDetector;
import io.dbrescue.scan.EngineScanner;
import io.dbrescue.scan.FileDetector;

import java.util.List;

/** What Redis contributes to a scan: RDB snapshots, AOF files and Redis 7 multi-part AOF folders. */
public final class RedisScanning implements EngineScanner {
    @Override
    public List<DirectoryDetector> directoryDetectors() {
        return List.of(new AofDirectoryDetector());
    }

    @Override
    public List<FileDetector> fileDetectors() {
        return List.of(new RedisFileDetector());
    }
}
