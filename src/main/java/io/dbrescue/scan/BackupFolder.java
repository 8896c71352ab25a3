package io.dbrescue.scan;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** What to tell a user whose backup folder cannot be scanned — one wording for the command line and the window. */
public final class BackupFolder {
    private BackupFolder() {
    }

    /** The message for why {@code folder} cannot be scanned, or null when {@code error} is not about the folder. */
    public static String problem(Object folder, Throwable error) {
        if (error instanceof NoSuchFileException) {
            return folder + " does not exist. Check the path (is the backup disk mounted?).";
        }
        if (error instanceof NotDirectoryException) {
            return folder + " is a file, not a folder. Give the folder that holds the backup.";
        }
        if (error instanceof AccessDeniedException) {
            return folder + " cannot be read (permission denied). Run dbrescue as a user who can read it, "
                    + "for example with sudo.";
        }
        return null;
    }
}
