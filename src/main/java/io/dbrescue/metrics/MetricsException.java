package io.dbrescue.metrics;

import java.io.IOException;

/** The metrics endpoint could not start; the message names the port and the setting to change. */
public class MetricsException extends IOException {
    public MetricsException(String message, Throwable cause) {
        super(message, cause);
    }
}
