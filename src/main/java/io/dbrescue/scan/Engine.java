package io.dbrescue.scan;

import com.fasterxml.jackson.annotation.JsonValue;

/** The database engines dbrescue knows. The JSON name is the contract's lower-case id. */
public enum Engine {
    POSTGRESQL("postgresql", "PostgreSQL"),
    MYSQL("mysql", "MySQL"),
    MARIADB("mariadb", "MariaDB"),
    MONGODB("mongodb", "MongoDB"),
    REDIS("redis", "Redis"),
    SQLITE("sqlite", "SQLite");

    private final String id;
    private final String displayName;

    Engine(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }
}
