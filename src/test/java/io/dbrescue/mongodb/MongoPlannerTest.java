package io.dbrescue.mongodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.cli.CliRun;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MongoDB plans. No MongoDB server or tools can be installed here, so this tests the plan only — the
 * findings are built from the documented formats (as in MongoScanTest) and the tools are absent or,
 * for the planned commands, stand-in scripts named mongod / mongorestore / mongosh in --target-bin.
 * Nothing is run against a server; every plan carries the "unverified" warning.
 */
class MongoPlannerTest {
    @TempDir
    Path tmp;
    Path backup;

    @BeforeEach
    void backup() throws Exception {
        backup = tmp.resolve("backup");
        MongoScanTest.dbPath(Files.createDirectories(backup.resolve("var/lib/mongodb")), "", false, "10.0.2");
        Path dump = Files.createDirectories(backup.resolve("dumps/dump/shop"));
        MongoScanTest.collection(dump, "orders", 3);
        Files.write(backup.resolve("dumps/shop.archive"), MongoScanTest.archive());
    }

    private Path fakeTools() throws Exception {
        return fakeTools("7.0.14");
    }

    /** Stand-ins for MongoDB's programs: mongod --version says this version (the target's). */
    private Path fakeTools(String version) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin-" + version));
        for (String tool : List.of("mongod", "mongodump", "mongorestore", "mongosh")) {
            Path p = bin.resolve(tool);
            Files.writeString(p, "#!/bin/sh\necho 'db version v" + version + "'\n");
            p.toFile().setExecutable(true);
        }
        return bin;
    }

    /** The old system's server log in the backup, with the start-up line of this version (JSON, 4.4+). */
    private void startupLog(String version) throws Exception {
        Path log = Files.createDirectories(backup.resolve("var/log/mongodb")).resolve("mongod.log");
        Files.writeString(log, "{\"t\":{\"$date\":\"2024-05-01T10:00:00.000+00:00\"},\"s\":\"I\",\"c\":\"CONTROL\","
                + "\"id\":23403,\"ctx\":\"initandlisten\",\"msg\":\"Build Info\",\"attr\":{\"buildInfo\":{\"version\":\""
                + version + "\",\"gitVersion\":\"abc\"}}}\n");
    }

    private JsonNode plan(String select, String... extra) throws Exception {
        String[] base = {"plan", backup.toString(), "--select", select, "--json"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CliRun r = CliRun.run(tmp, args);
        return new ObjectMapper().readTree(r.out);
    }

    @Test
    void withoutMongoToolsThePreflightSaysWhatToInstall() throws Exception {
        JsonNode p = plan("dumps/dump");
        assertThat(p.get("checks").findValuesAsText("level")).contains("fail");
        assertThat(p.toString()).contains("mongorestore is not installed").contains("unverified");
    }

    @Test
    void aDumpIsPlannedThroughMongorestoreAndADbPathDirect() throws Exception {
        Path bin = fakeTools();
        startupLog("7.0.12"); // the old server's log tells the dbPath's version
        Map<String, String> before = Trees.snapshot(backup);
        JsonNode dump = plan("dumps/shop.archive", "--target-bin", bin.toString(), "--target-port", "27999",
                "--on-conflict", "replace");
        assertThat(dump.get("decisions").get(0).get("strategy").asText()).isEqualTo("dump-restore");
        // the safety dump of the target comes before mongorestore --drop
        assertThat(dump.get("steps").get(0).get("argv").toString()).contains("mongodump").contains("27999")
                .contains("mongodb-target-before-");
        assertThat(dump.get("steps").get(1).get("argv").toString()).contains("mongorestore").contains("--drop")
                .contains("--archive=" + backup.resolve("dumps/shop.archive")).contains("27999");

        Path data = tmp.resolve("new-mongodb");
        JsonNode direct = plan("var/lib/mongodb", "--target-bin", bin.toString(), "--target-data", data.toString(),
                "--run-as", "nobody");
        assertThat(direct.get("decisions").get(0).get("strategy").asText()).isEqualTo("direct");
        assertThat(direct.get("steps").findValuesAsText("kind")).containsSubsequence("copy-tree", "exec", "exec");
        assertThat(direct.get("steps").toString()).contains("--bind_ip").contains("127.0.0.1").contains("listDatabases");
        assertThat(direct.get("checks").findValuesAsText("name")).contains("unverified");
        assertThat(data).doesNotExist();
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }

    @Test
    void aDbPathReachedThroughALinkIntoTheBackupIsRefused() throws Exception {
        Path bin = fakeTools();
        startupLog("7.0.12");
        Map<String, String> before = Trees.snapshot(backup);
        Path link = Files.createSymbolicLink(tmp.resolve("looks-outside"), backup.resolve("var/lib"));
        JsonNode direct = plan("var/lib/mongodb", "--target-bin", bin.toString(), "--target-data",
                link.resolve("mongodb-restored").toString(), "--run-as", "nobody");
        JsonNode check = direct.get("checks").get(0);
        assertThat(check.get("name").asText()).isEqualTo("backup-read-only");
        assertThat(check.get("level").asText()).isEqualTo("fail");
        assertThat(check.get("message").asText()).contains("that is " + backup.resolve("var/lib/mongodb-restored"));
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }
}
