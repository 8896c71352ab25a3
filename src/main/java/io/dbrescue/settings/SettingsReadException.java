package io.dbrescue.settings;

import java.io.IOException;

/** recovery.conf exists but cannot be read (permissions, a folder in its place); the message says what to do. */
public class SettingsReadException extends IOException {
    public SettingsReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
