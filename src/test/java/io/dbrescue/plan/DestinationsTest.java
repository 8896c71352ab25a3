package io.dbrescue.plan;

import io.dbrescue.run.Journal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where each engine's restore ends up, read from its verify step (steps with the keys the planners write): a SQLite
 * file, PostgreSQL over TCP and by peer with the data directory a direct copy filled, MariaDB on its socket, Redis
 * with the file a move put in place; a working copy in the run folder is no destination.
 */
class DestinationsTest {
    private static Step step(String id, String group, String kind, long bytes, Map<String, String> params) {
        return new Step(id, group, kind, kind, List.of(), "", "", bytes, false, "", params);
    }

    private static Destination of(Step... steps) {
        return Destinations.of(new Plan("R", "now", null, List.of(), List.of(), List.of(steps)), steps[0].group())
                .orElseThrow();
    }

    @Test
    void aSqliteFileIsOpenedWithSqlite3() {
        Destination d = of(step("1.1", "g", "sqlite-verify", 0, Map.of("source", "/b/notes.db", "target",
                "/home/me/notes.db", "companions", "-wal")));
        assertThat(d).isEqualTo(new Destination("g", "/home/me/notes.db", "/home/me",
                List.of("sqlite3", "/home/me/notes.db"), "sqlite3"));
    }

    @Test
    void postgresOverTcpWithTheDataDirectoryADirectCopyFilled() {
        String runs = Journal.runsDir().resolve("R").toString();
        Destination d = of(step("1.1", "g", "copy-tree", 10, Map.of("source", "/b/main", "target", runs + "/work")),
                step("1.2", "g", "copy-tree", 10, Map.of("source", "/b/main", "target", "/var/lib/postgresql/15/main")),
                step("1.3", "g", "pg-verify", 0, Map.of("host", "127.0.0.1", "port", "5433", "user", "postgres",
                        "mode", "direct", "databases", "[\"shop\",\"notes\"]", "passEnv", "PGPASSWORD")));
        assertThat(d).isEqualTo(new Destination("g", "PostgreSQL on 127.0.0.1:5433, databases shop, notes (data "
                + "directory /var/lib/postgresql/15/main)", "/var/lib/postgresql/15/main",
                List.of("psql", "-h", "127.0.0.1", "-p", "5433", "-U", "postgres", "-d", "shop"), "psql"));
    }

    @Test
    void postgresByPeerThroughItsSocketAfterADump() {
        Destination d = of(step("1.1", "g", "pg-verify", 0, Map.of("host", "/var/run/postgresql", "port", "5432",
                "user", "postgres", "socket", "/var/run/postgresql", "peer", "postgres", "mode", "dump",
                "databases", "[\"shop\"]")));
        assertThat(d).isEqualTo(new Destination("g", "PostgreSQL on localhost:5432, database shop", null,
                List.of("sudo", "-u", "postgres", "psql", "-h", "/var/run/postgresql", "-p", "5432", "-d", "shop"),
                "psql"));
    }

    @Test
    void mariaDbOnItsSocket() {
        Destination d = of(step("1.1", "g", "mysql-verify", 0, Map.of("host", "localhost", "port", "3306",
                "socket", "/run/mysqld/mysqld.sock", "user", "root", "expect", "shop\nblog\n",
                "clientBin", "/usr/bin/mariadb")));
        assertThat(d).isEqualTo(new Destination("g", "MariaDB/MySQL on the socket /run/mysqld/mysqld.sock, "
                + "databases shop, blog", null, List.of("mariadb", "--socket=/run/mysqld/mysqld.sock", "-u", "root",
                "shop"), "mariadb"));
    }

    @Test
    void redisWithTheFileAMovePutInPlace() {
        Destination d = of(step("1.1", "g", "move", 0, Map.of("from", "/var/lib/redis/new.rdb", "to",
                        "/var/lib/redis/dump.rdb")),
                step("1.2", "g", "redis-verify", 0, Map.of("cli", "/usr/bin/redis-cli", "host", "127.0.0.1",
                        "port", "6380", "expect", "0=13")));
        assertThat(d).isEqualTo(new Destination("g", "Redis on 127.0.0.1:6380 (file /var/lib/redis/dump.rdb)",
                "/var/lib/redis", List.of("redis-cli", "-h", "127.0.0.1", "-p", "6380"), "redis-cli"));
    }

    @Test
    void aPlanWithoutAVerifyStepSaysNothing() {
        Plan plan = new Plan("R", "now", null, List.of(), List.of(), List.of(step("1.1", "g", "remove", 0,
                Map.of("path", "/x"))));
        assertThat(Destinations.of(plan, "g")).isEmpty();
    }
}
