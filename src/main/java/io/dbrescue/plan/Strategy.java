package io.dbrescue.plan;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a finding is brought back. */
public enum Strategy {
    /** dbrescue picks, and says why. */
    AUTO("auto"),
    /** Same major version: copy the data into place. */
    DIRECT("direct"),
    /** Older major version: run the old server in a container and move the data into the new one. */
    CONTAINER("container"),
    /** Feed a dump into the running target server. */
    DUMP_RESTORE("dump-restore");

    private final String id;

    Strategy(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** Parses "direct", "dump-restore", "dump_restore", "container_based"... */
    public static Strategy parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (t.equals("container-based")) {
            return CONTAINER;
        }
        for (Strategy s : values()) {
            if (s.id.equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + text + "' (use auto, direct, container or dump-restore)");
    }
}
