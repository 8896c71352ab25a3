package io.dbrescue.scan;

/** Something the scan skipped or found suspicious, with the path relative to the backup root. */
public record ScanWarning(String path, String message) {
}
