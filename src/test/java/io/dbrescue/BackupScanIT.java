package io.dbrescue;

import io.dbrescue.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.redis.RedisFixture;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.MariaDb;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A workstation backup made with real servers — an old /var/lib and /etc and a home folder with
 * dumps, a Redis snapshot, a SQLite file and decoys — scanned with {@code java -jar target/dbrescue.jar
 * scan DIR --json} as a user would. Proves every database is found with the right facts, no decoy is,
 * and the backup is byte-for-byte and mtime-for-mtime the same afterwards.
 */
class BackupScanIT {
    static Path work;
    static Path backup;
    static JsonNode scan;
    static Map<String, String> before;
    static String pg16Id;

    @BeforeAll
    static void buildBackup() throws Exception {
        work = TestUser.newDir("backup-it");
        backup = work.resolve("backup");
        Path varLib = backup.resolve("var/lib");

        // PostgreSQL 16, Debian layout, shut down cleanly, with its config directory in etc/
        Path pg16 = varLib.resolve("postgresql/16/main");
        mkdirs(pg16.getParent());
        try (PgCluster c = PgCluster.init(16, pg16).start()) {
            c.psql("postgres", "CREATE DATABASE shop");
            c.psql("shop", "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 5000) g");
            pg16Id = c.psql("postgres", "SELECT system_identifier FROM pg_control_system()").trim();
            c.stop();
        }
        Path etc = backup.resolve("etc/postgresql/16/main");
        mkdirs(etc);
        Files.writeString(etc.resolve("postgresql.conf"), "port = 5432\n");

        // PostgreSQL 15 in a Docker volume, copied while it was running; dumps of it in the home folder
        Path dumps = backup.resolve("home/alice/dumps");
        mkdirs(dumps);
        try (PgCluster c = PgCluster.init(15, work.resolve("pg15")).start()) {
            c.psql("postgres", "CREATE DATABASE notes");
            c.psql("notes", "CREATE TABLE n AS SELECT g AS id, 'note ' || g AS body FROM generate_series(1, 3000) g");
            String pgDump = PgCluster.binDir(15).resolve("pg_dump").toString();
            String port = String.valueOf(c.port());
            Cmd.run(Cmd.asTestUser(List.of(pgDump, "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-Fc",
                    "-f", dumps.resolve("notes.dump").toString(), "notes")));
            Cmd.run(Cmd.asTestUser(List.of(pgDump, "-h", "127.0.0.1", "-p", port, "-U", "postgres",
                    "-f", dumps.resolve("notes.sql").toString(), "notes")));
            c.psql("postgres", "CHECKPOINT"); // as the server does every few minutes: the catalog reaches the disk
            Path volume = varLib.resolve("docker/volumes/pgdata/_data");
            mkdirs(volume.getParent());
            Cmd.run(List.of("cp", "-a", c.dataDir().toString(), volume.toString()));
        }
        Cmd.run(List.of("gzip", "-k", dumps.resolve("notes.sql").toString()));
        byte[] full = Files.readAllBytes(dumps.resolve("notes.dump"));
        Files.write(dumps.resolve("notes-cut.dump"), java.util.Arrays.copyOf(full, full.length / 2));

        // MariaDB data directory as mariadb-install-db leaves it
        Path mysql = varLib.resolve("mysql");
        mkdirs(mysql);
        MariaDb.debian(mysql).install();

        // Redis 7 snapshot made by redis-server
        Path redis = varLib.resolve("redis");
        mkdirs(redis);
        redisSnapshot(redis);

        // a project's SQLite file, made by sqlite3
        Path project = backup.resolve("home/alice/projects/app");
        mkdirs(project);
        Cmd.run(List.of("sqlite3", project.resolve("app.db").toString(),
                "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users(name) VALUES ('a'),('b');"));

        // decoys: a lone PG_VERSION, a text dump.rdb, a mysql folder with a README, a schema.sql
        Path decoys = backup.resolve("home/alice/decoys");
        mkdirs(decoys.resolve("pg"));
        Files.writeString(decoys.resolve("pg/PG_VERSION"), "16\n");
        Files.writeString(decoys.resolve("dump.rdb"), "this is not a redis dump\n");
        mkdirs(decoys.resolve("mysql"));
        Files.writeString(decoys.resolve("mysql/README"), "notes about mysql\n");
        Files.writeString(decoys.resolve("schema.sql"), "-- my schema\nCREATE TABLE x (id int);\n");
        TestUser.chown(work);
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));

        before = Trees.snapshot(backup);
        Jar.Run run = Jar.run("scan", backup.toString(), "--json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        scan = new ObjectMapper().readTree(run.stdout());
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(work);
    }

    @Test
    void theBackupIsUnchangedByTheScan() throws Exception {
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }

    @Test
    void everyDatabaseIsFoundWithItsFacts() {
        assertThat(paths()).containsExactly(
                "home/alice/dumps/notes-cut.dump",
                "home/alice/dumps/notes.dump",
                "home/alice/dumps/notes.sql",
                "home/alice/dumps/notes.sql.gz",
                "home/alice/projects/app/app.db",
                "var/lib/docker/volumes/pgdata/_data",
                "var/lib/mysql",
                "var/lib/postgresql/16/main",
                "var/lib/redis/dump.rdb");

        JsonNode pg16 = finding("var/lib/postgresql/16/main");
        assertThat(pg16.get("engine").asText()).isEqualTo("postgresql");
        assertThat(pg16.get("kind").asText()).isEqualTo("data-directory");
        assertThat(pg16.get("version").asText()).isEqualTo("16");
        assertThat(pg16.get("cleanShutdown").asBoolean()).isTrue();
        assertThat(pg16.get("status").asText()).isEqualTo("ok");
        assertThat(pg16.get("databases")).extracting(JsonNode::asText).containsExactly("postgres", "shop");
        assertThat(pg16.get("details").get("systemIdentifier").asText()).isEqualTo(pg16Id);
        assertThat(pg16.get("details").get("configPath").asText()).startsWith("etc/postgresql/16/main");
        assertThat(pg16.get("sizeBytes").asLong()).isEqualTo(Trees.du(backup.resolve("var/lib/postgresql/16/main")));

        JsonNode running = finding("var/lib/docker/volumes/pgdata/_data");
        assertThat(running.get("version").asText()).isEqualTo("15");
        assertThat(running.get("cleanShutdown").asBoolean()).isFalse();
        assertThat(running.get("databases")).extracting(JsonNode::asText).contains("notes");

        JsonNode dump = finding("home/alice/dumps/notes.dump");
        assertThat(dump.get("kind").asText()).isEqualTo("dump");
        assertThat(dump.get("format").asText()).isEqualTo("custom");
        assertThat(dump.get("version").asText()).startsWith("15.");
        assertThat(dump.get("status").asText()).isEqualTo("ok");
        assertThat(dump.get("databases")).extracting(JsonNode::asText).containsExactly("notes");
        assertThat(finding("home/alice/dumps/notes-cut.dump").get("status").asText()).isEqualTo("damaged");
        assertThat(finding("home/alice/dumps/notes.sql").get("format").asText()).isEqualTo("plain");
        assertThat(finding("home/alice/dumps/notes.sql.gz").get("format").asText()).isEqualTo("plain-gzip");

        JsonNode maria = finding("var/lib/mysql");
        assertThat(maria.get("engine").asText()).isEqualTo("mariadb");
        assertThat(maria.get("version").asText()).startsWith("10.11.");

        JsonNode redis = finding("var/lib/redis/dump.rdb");
        assertThat(redis.get("engine").asText()).isEqualTo("redis");
        assertThat(redis.get("kind").asText()).isEqualTo("rdb");
        assertThat(redis.get("version").asText()).startsWith("7.0.");

        JsonNode sqlite = finding("home/alice/projects/app/app.db");
        assertThat(sqlite.get("engine").asText()).isEqualTo("sqlite");
        assertThat(sqlite.get("kind").asText()).isEqualTo("sqlite-file");
    }

    @Test
    void decoysAreNotFindings() {
        assertThat(paths()).noneMatch(p -> p.contains("decoys"));
        assertThat(scan.get("warnings").findValuesAsText("path")).contains("home/alice/decoys/pg");
    }

    private static List<String> paths() {
        return scan.get("findings").findValuesAsText("path").stream().filter(p -> !p.isEmpty()).toList();
    }

    private static JsonNode finding(String path) {
        for (JsonNode f : scan.get("findings")) {
            if (f.get("path").asText().equals(path)) {
                return f;
            }
        }
        throw new AssertionError("no finding at " + path + " in " + paths());
    }

    private static void redisSnapshot(Path dir) throws Exception {
        try (RedisFixture server = RedisFixture.start(RedisFixture.DEBIAN_SERVER, false, dir)) {
            for (int i = 0; i < 20; i++) {
                server.cli("SET", "key" + i, "value" + i);
            }
            server.cli("SAVE");
        }
    }

    private static void mkdirs(Path dir) throws IOException {
        Files.createDirectories(dir);
        TestUser.chown(dir);
    }
}
