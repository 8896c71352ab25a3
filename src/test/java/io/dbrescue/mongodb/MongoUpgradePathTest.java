package io.dbrescue.mongodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.cli.CliRun;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Scanner;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MongoDB dbPaths across majors, planned by MongoDB's documented rules (no MongoDB runs here: plans only,
 * every one "unverified"): the version is read from the backup (the FTDC metrics of diagnostic.data, the
 * old mongod.log), the data goes through one container per major with the featureCompatibilityVersion
 * raised after each (confirm: true from 7.0), is dumped at the target's major and restored there after a
 * safety dump; newer data, an unknown version, a direct copy across two majors and a processor without AVX
 * for 5.0+ are refused. The target's mongod is a stand-in that reports its version.
 */
class MongoUpgradePathTest {
    @TempDir
    Path tmp;
    Path backup;
    Path dbPath;

    @BeforeEach
    void backup() throws Exception {
        backup = tmp.resolve("backup");
        dbPath = Files.createDirectories(backup.resolve("var/lib/mongodb"));
        MongoScanTest.dbPath(dbPath, "", false, "10.0.2");
    }

    @AfterEach
    void cpu() {
        Cpu.cpuinfo = Path.of("/proc/cpuinfo");
    }

    /** An FTDC metrics file: the metadata document (type 0) with buildInfo.version, then a compressed chunk. */
    void ftdc(String version) throws Exception {
        Map<String, Object> buildInfo = new LinkedHashMap<>();
        buildInfo.put("version", version);
        buildInfo.put("gitVersion", "0123456789abcdef");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("buildInfo", buildInfo);
        doc.put("hostInfo", Map.of("os", Map.of("type", "Linux")));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("type", 0);
        meta.put("doc", doc);
        byte[] first = MongoScanTest.bson(meta);
        byte[] chunk = MongoScanTest.bson(Map.of("type", 1));
        byte[] file = new byte[first.length + chunk.length];
        System.arraycopy(first, 0, file, 0, first.length);
        System.arraycopy(chunk, 0, file, first.length, chunk.length);
        Files.write(dbPath.resolve("diagnostic.data/metrics.2024-05-01T10-00-00Z-00000"), file);
    }

    void startupLog(String version) throws Exception {
        Path log = Files.createDirectories(backup.resolve("var/log/mongodb")).resolve("mongod.log");
        Files.writeString(log, "{\"t\":{\"$date\":\"2024-05-01T10:00:00.000+00:00\"},\"s\":\"I\",\"c\":\"CONTROL\","
                + "\"id\":23403,\"ctx\":\"initandlisten\",\"msg\":\"Build Info\",\"attr\":{\"buildInfo\":{\"version\":\""
                + version + "\",\"gitVersion\":\"abc\"}}}\n");
    }

    Path tools(String version) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin-" + version));
        for (String tool : List.of("mongod", "mongodump", "mongorestore", "mongosh")) {
            Path p = bin.resolve(tool);
            Files.writeString(p, "#!/bin/sh\necho 'db version v" + version + "'\n");
            p.toFile().setExecutable(true);
        }
        return bin;
    }

    JsonNode plan(Path bin, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--set", "images.mongodb=localhost/dbrescue-test/mongo:{major}",
                "plan", backup.toString(), "--select", "var/lib/mongodb", "--json", "--target-bin", bin.toString(),
                "--target-port", "27999", "--run-as", "nobody"));
        args.addAll(List.of(extra));
        CliRun r = CliRun.run(tmp, args.toArray(String[]::new));
        return new ObjectMapper().readTree(r.out);
    }

    /** The steps as "kind: detail" lines: images, majors of the containers, FCV evals, tools. */
    static List<String> outline(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : plan.get("steps")) {
            String kind = s.get("kind").asText();
            String argv = s.has("argv") ? s.get("argv").toString() : "";
            switch (kind) {
                case "container-image" -> out.add("image " + s.get("params").get("image").asText());
                case "mongo-container-start" -> out.add("start " + s.get("params").get("major").asText());
                case "exec" -> out.add(argv.contains("setFeatureCompatibilityVersion") ? fcv(argv)
                        : argv.contains("listDatabases") ? "list databases" : "exec " + argv);
                case "mongo-tool" -> out.add(argv.contains("mongorestore") ? "mongorestore" + (argv.contains("--drop")
                        ? " --drop" : "") : argv.contains("mongodb-target-before") ? "safety dump of the target"
                        : "mongodump of the old data");
                default -> out.add(kind);
            }
        }
        return out;
    }

    /** "fcv mongosh 7.0, confirm: true" from the argv of a step that sets the FCV. */
    static String fcv(String argv) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("setFeatureCompatibilityVersion: \\\\\"([0-9.]+)")
                .matcher(argv);
        return "fcv " + (argv.contains("mongosh\"") ? "mongosh" : "mongo") + " " + (m.find() ? m.group(1) : "?")
                + (argv.contains("confirm: true") ? ", confirm: true" : "");
    }

    @Test
    void theScanReadsTheVersionFromDiagnosticDataAndWiredTiger10IsARange() throws Exception {
        ftdc("4.4.29");
        Finding f = new Scanner(List.of(new MongoScanning())).scan(backup).findings().get(0);
        assertThat(f.getVersion()).isEqualTo("4.4.29");
        assertThat(f.getDetails()).containsEntry("versionSource", "diagnostic.data/metrics.2024-05-01T10-00-00Z-00000")
                .containsEntry("mongodbVersionHint", "roughly MongoDB 4.4 to 6.x (WiredTiger 10.x)");
    }

    @Test
    void from44To70OneMajorAtATime() throws Exception {
        ftdc("4.4.29");
        Map<String, String> before = Trees.snapshot(backup);
        JsonNode p = plan(tools("7.0.14"), "--on-conflict", "replace");
        assertThat(p.get("decisions").get(0).get("strategy").asText()).as(p.toString()).isEqualTo("container");
        assertThat(p.get("decisions").get(0).get("reason").asText()).contains("MongoDB 4.4.29 (read from diagnostic.data/",
                "4.4 → 5.0 → 6.0 → 7.0");
        String img = "image localhost/dbrescue-test/mongo:";
        assertThat(outline(p)).containsExactly(img + "4.4", img + "5.0", img + "6.0", img + "7.0", "copy-tree",
                "start 4.4", "fcv mongo 4.4", "container-stop",
                "start 5.0", "fcv mongo 5.0", "container-stop",
                "start 6.0", "fcv mongosh 6.0", "container-stop",
                "start 7.0", "fcv mongosh 7.0, confirm: true",
                "mongodump of the old data", "safety dump of the target", "mongorestore --drop", "container-stop",
                "remove", "list databases");
        assertThat(p.get("checks").findValuesAsText("name")).contains("unverified", "upgrade-path");
        assertThat(p.toString()).doesNotContain("\"| \"");
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }

    @Test
    void from60To80ReadFromTheOldServersLog() throws Exception {
        startupLog("6.0.15");
        JsonNode p = plan(tools("8.0.4"));
        assertThat(p.get("decisions").get(0).get("reason").asText()).contains("MongoDB 6.0.15 (read from "
                + "var/log/mongodb/mongod.log)", "6.0 → 7.0 → 8.0");
        String img = "image localhost/dbrescue-test/mongo:";
        assertThat(outline(p)).containsExactly(img + "6.0", img + "7.0", img + "8.0", "copy-tree",
                "start 6.0", "fcv mongosh 6.0", "container-stop",
                "start 7.0", "fcv mongosh 7.0, confirm: true", "container-stop",
                "start 8.0", "fcv mongosh 8.0, confirm: true",
                "mongodump of the old data", "mongorestore", "container-stop", "remove", "list databases");
    }

    @Test
    void thePreviousMajorGoesDirectAndGetsItsFcvRaised() throws Exception {
        startupLog("6.0.15");
        JsonNode p = plan(tools("7.0.14"), "--target-data", tmp.resolve("new-data").toString());
        assertThat(p.get("decisions").get(0).get("strategy").asText()).isEqualTo("direct");
        assertThat(outline(p)).contains("fcv mongosh 7.0, confirm: true");
    }

    @Test
    void refusals() throws Exception {
        // no version anywhere in the backup
        JsonNode unknown = plan(tools("7.0.14"));
        assertThat(unknown.get("decisions").get(0).get("reason").asText()).contains("does not tell which MongoDB wrote",
                "WiredTiger 10.x", "var/log/mongodb");
        assertThat(unknown.get("steps")).isEmpty();
        // newer data than the target
        startupLog("8.0.4");
        assertThat(plan(tools("7.0.14")).get("decisions").get(0).get("reason").asText())
                .contains("MongoDB 8.0.4", "is newer than the installed mongod 7.0.14");
        // a direct copy across more than one major
        startupLog("4.4.29");
        JsonNode direct = plan(tools("7.0.14"), "--strategy", "direct");
        assertThat(direct.get("decisions").get(0).get("reason").asText()).contains("cannot be opened by mongod 7.0.14",
                "its own major or the previous one (6.0 or 7.0)", "--strategy container");
        // no AVX: 5.0 and later do not start
        Path cpuinfo = tmp.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nflags\t\t: fpu vme sse sse2 ssse3 sse4_1 sse4_2\n");
        Cpu.cpuinfo = cpuinfo;
        JsonNode noAvx = plan(tools("7.0.14"));
        JsonNode avx = null;
        for (JsonNode c : noAvx.get("checks")) {
            if (c.get("name").asText().equals("avx")) {
                avx = c;
            }
        }
        assertThat(avx).as(noAvx.toString()).isNotNull();
        assertThat(avx.get("level").asText()).isEqualTo("fail");
        assertThat(avx.get("message").asText()).contains("no AVX", "MongoDB 5.0 and later");
    }
}
