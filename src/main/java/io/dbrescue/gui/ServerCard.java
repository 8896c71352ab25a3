package io.dbrescue.gui;

import io.dbrescue.scan.Engine;

import java.util.List;

/**
 * The forms of the Target step: one per server a restore goes into (MariaDB and MySQL share one, as they share a
 * socket and a port), and one for database files (SQLite), which go into a folder rather than a server.
 */
public enum ServerCard {
    POSTGRESQL("PostgreSQL server", List.of(Engine.POSTGRESQL)),
    MYSQL("MariaDB / MySQL server", List.of(Engine.MARIADB, Engine.MYSQL)),
    REDIS("Redis server", List.of(Engine.REDIS)),
    MONGODB("MongoDB server", List.of(Engine.MONGODB)),
    FILES("Database files (SQLite)", List.of(Engine.SQLITE));

    private final String title;
    private final List<Engine> engines;

    ServerCard(String title, List<Engine> engines) {
        this.title = title;
        this.engines = engines;
    }

    public String title() {
        return title;
    }

    /** The engines whose findings this card's values reach. */
    public List<Engine> engines() {
        return engines;
    }

    /** The card the findings of an engine are restored through. */
    public static ServerCard of(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> POSTGRESQL;
            case MYSQL, MARIADB -> MYSQL;
            case REDIS -> REDIS;
            case MONGODB -> MONGODB;
            case SQLITE -> FILES;
        };
    }

    /** The id the card's nodes are named with ("postgresql-port", "files-folder"). */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
