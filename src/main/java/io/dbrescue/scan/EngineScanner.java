package io.dbrescue.scan;

import java.util.List;

/** What one engine contributes to a scan. Each engine package has one; {@code io.dbrescue.Engines} lists them. */
public interface EngineScanner {
    default List<DirectoryDetector> directoryDetectors() {
        return List.of();
    }

    default List<FileDetector> fileDetectors() {
        return List.of();
    }
}
