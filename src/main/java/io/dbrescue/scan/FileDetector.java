package io.dbrescue.scan;

import java.io.IOException;

/** Recognises a single file (a dump, an RDB, a SQLite file...) from its first bytes. */
public interface FileDetector {
    /** @return the finding, or null when the file is not this detector's */
    Finding detect(Sample file) throws IOException;
}
