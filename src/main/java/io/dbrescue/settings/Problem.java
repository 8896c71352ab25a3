package io.dbrescue.settings;

/**
 * One thing wrong in the settings: where (a file and line, or the command line), which key, and a
 * message that says what is allowed. {@link #toString()} is {@code FILE:LINE: key: message}.
 */
public record Problem(Source where, String key, String message) {
    @Override
    public String toString() {
        return where + ": " + key + ": " + message;
    }
}
