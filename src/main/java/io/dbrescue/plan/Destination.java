package io.dbrescue.plan;

import java.util.List;

/**
 * Where a restored finding is once its plan has run: a file or folder, or a server and its databases — and how a
 * person opens it (the folder in the file manager, the engine's client on a terminal).
 *
 * @param group     the finding (its path in the backup)
 * @param where     in words: "/home/me/restored/notes.db", "PostgreSQL on 127.0.0.1:5432, database shop"
 * @param folder    the folder that holds it (to open), or null when it lives only in a server
 * @param client    the command that opens it on a terminal ({@code psql -h … -d shop}), empty when there is none
 * @param clientName the client's name for the button ("psql", "mariadb", "redis-cli", "sqlite3")
 */
public record Destination(String group, String where, String folder, List<String> client, String clientName) {
    public Destination {
        client = client == null ? List.of() : List.copyOf(client);
    }
}
