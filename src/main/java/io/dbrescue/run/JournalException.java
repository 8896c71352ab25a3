package io.dbrescue.run;

import java.io.IOException;

/**
 * A run's journal cannot be used: there is none, it is empty or cut short, or it is not a dbrescue
 * journal. The message is one sentence for the user: which file, what is wrong, and what to do.
 */
public class JournalException extends IOException {
    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
