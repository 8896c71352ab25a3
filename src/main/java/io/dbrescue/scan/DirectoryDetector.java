package io.dbrescue.scan;

import java.io.IOException;

/**
 * Recognises a folder that is, as a whole, a database (a data directory, a directory-format dump,
 * a mongodump folder...). When it returns a finding the folder is claimed: the scanner adds up its
 * size and looks for nothing else inside it.
 */
public interface DirectoryDetector {
    /** @return the finding, or null when the folder is not this detector's */
    Finding detect(Folder folder) throws IOException;
}
