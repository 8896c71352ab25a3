package io.dbrescue.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a recovery ended. */
public enum Outcome {
    SUCCESS, PARTIAL, FAILED, CANCELLED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Outcome fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
