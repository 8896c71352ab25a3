package io.dbrescue.scan;

/** Live news from a running scan, called from scanner threads (not the FX thread). */
public interface ScanListener {
    ScanListener NONE = new ScanListener() { };

    /** A finding was recognised; its size may still be being added up. */
    default void found(Finding finding) {
    }

    /** Called now and then with the running totals. */
    default void progress(long directories, long files) {
    }

    /** Polled by the scanner; returning true stops the scan as soon as it can. */
    default boolean cancelled() {
        return false;
    }
}
