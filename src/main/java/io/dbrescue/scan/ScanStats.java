package io.dbrescue.scan;

/** How much the scan looked at. */
public record ScanStats(long files, long directories, long elapsedMillis) {
}
