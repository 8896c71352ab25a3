package io.dbrescue.scan;

import com.fasterxml.jackson.annotation.JsonValue;

/** What shape a finding has on disk. */
public enum Kind {
    DATA_DIRECTORY("data-directory"),
    DUMP("dump"),
    RDB("rdb"),
    AOF("aof"),
    SQLITE_FILE("sqlite-file");

    private final String id;

    Kind(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }
}
