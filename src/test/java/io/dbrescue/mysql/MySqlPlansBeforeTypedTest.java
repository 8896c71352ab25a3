package io.dbrescue.mysql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dbrescue.container.Podman;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.plan.Containers;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Secrets;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MariaDB/MySQL planners' steps of the direct, container and in-place paths, planned here against targets as
 * the planners would have asked them (nothing runs), are those the string-keyed planners wrote: kinds, titles,
 * command lines, what they read and write, and every parameter with its key and value. The steps of the
 * string-keyed version are checked in as plans-before-typed-mysql.json (written by this test on that version with
 * -Ddbrescue.writeFixture=FILE); what differs from machine to machine or run to run (the free port of the old
 * server, the time in safety names, this test's folders, Podman's path, the ids of the test user, the version of the
 * installed mariadb-dump) is written as a placeholder on both sides. One difference is meant: mysql-stop carries
 * the server's port only, no login ({@link #STOP_LOGIN}).
 */
class MySqlPlansBeforeTypedTest {
    static final String FIXTURE = "plans-before-typed-mysql.json";
    /** The free port the old server's container was given, as written in the fixture (a number: it is a port). */
    static final String OLD_PORT = "40404";
    /**
     * The keys of the login that mysql-stop no longer carries: its one port is the server's (the string-keyed step
     * had the login's port overwritten by it), and the login is on its command line (mariadb-admin shutdown).
     */
    static final List<String> STOP_LOGIN = List.of("clientBin", "host", "socket", "user");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    @TempDir
    Path tmp;

    @BeforeEach
    void stateDir() {
        System.setProperty("dbrescue.state.dir", tmp.resolve("state").toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("dbrescue.state.dir");
    }

    private RecoveryRequest request(TargetOptions o, RecoveryRequest.Conflict conflict,
                                    Containers.UpgradeMethod method) {
        return new RecoveryRequest(tmp.resolve("backup"), List.of("var/lib/mysql"), Strategy.AUTO, o, conflict, 1,
                true, false, null, 3600, 1 << 20, Containers.DEFAULTS.withMethod(method));
    }

    private static Finding maria(String version, List<String> databases) {
        return new Finding(Engine.MARIADB, Kind.DATA_DIRECTORY).path("var/lib/mysql").version(version)
                .cleanShutdown(true).sizeBytes(1 << 20).databases(databases);
    }

    private static MySqlTarget target(MySqlClient conn, String version, Path data, List<String> databases) {
        return new MySqlTarget(conn, new MySqlClient.ServerVersion(true, version), data, Path.of("/usr"),
                Path.of("/usr/lib/mysql/plugin"), MySqlSettings.of("0", "16384", "utf8mb4", "utf8mb4_general_ci",
                "STRICT_TRANS_TABLES"), databases, new MySqlTarget.ServerProcessInfo(4242, Path.of("/usr/sbin/mariadbd"),
                List.of("/usr/sbin/mariadbd", "--pid-file=/run/mysqld/mysqld.pid"), "mysql"));
    }

    /** Direct: the server that answers over its socket runs on the data directory: stop, copy, start, verify. */
    List<Step> direct() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("srv/mysql"));
        MySqlClient socket = new MySqlClient(Path.of("/usr/sbin"), null, null, "/run/mysqld/mysqld.sock", "root",
                Secrets.NONE);
        MySqlTarget live = target(socket, "10.11.19", data, List.of("mysql"));
        RecoveryRequest req = request(new TargetOptions(null, 13306, null, Path.of("/usr/sbin"), null, "dbrescue-test"),
                RecoveryRequest.Conflict.ASK, Containers.UpgradeMethod.AUTO);
        PlanContext ctx = new PlanContext(req, "var/lib/mysql", 1, "run-1");
        MySqlDirectPlan.plan(maria("10.11.6", List.of("mysql", "shop")), new Target(List.of(), null, false), ctx,
                new MySqlPlanner.Server(Path.of("/usr/sbin/mariadbd"), new MySqlClient.ServerVersion(true, "10.11.19")),
                new MySqlTarget.Found(live, null, null, socket));
        return planned(ctx);
    }

    /** Container: MariaDB 10.5 data moved into an 11.4 server on TCP that has shop already (replaced). */
    List<Step> container() {
        MySqlClient tcp = new MySqlClient(null, "127.0.0.1", 3307, null, "root", Secrets.NONE);
        MySqlTarget t = target(tcp, "11.4.5", Path.of("/var/lib/mysql"), List.of("mysql", "sys", "shop"));
        RecoveryRequest req = request(new TargetOptions(null, null, null, null, null, "dbrescue-test"),
                RecoveryRequest.Conflict.REPLACE, Containers.UpgradeMethod.DUMP);
        PlanContext ctx = new PlanContext(req, "var/lib/mysql", 1, "run-1");
        MySqlContainerPlan.plan(maria("10.5.23", List.of("mysql", "shop", "crm")), new Target(List.of(), null, true),
                ctx, null, new MySqlTarget.Found(t, null, null, tcp));
        return planned(ctx);
    }

    /** In place: MariaDB 10.6 data upgraded by the 10.11 server that answers on its socket (its own process). */
    List<Step> inPlace() {
        MySqlClient socket = new MySqlClient(null, null, null, "/run/mysqld/mysqld.sock", "root", Secrets.NONE);
        MySqlTarget t = target(socket, "10.11.19", tmp.resolve("var-lib-mysql"), List.of("mysql", "sys"));
        RecoveryRequest req = request(new TargetOptions(null, null, null, null, null, "dbrescue-test"),
                RecoveryRequest.Conflict.ASK, Containers.UpgradeMethod.IN_PLACE);
        Finding f = maria("10.6.18", List.of("mysql", "shop"));
        MySqlSettings old = MySqlSettings.ofBackup(f, req.backupRoot());
        MySqlUpgradeChoice how = MySqlUpgradeChoice.choose(f, t, old, req);
        PlanContext ctx = new PlanContext(req, "var/lib/mysql", 1, "run-1");
        MySqlUpgradePlan.plan(f, ctx, t, how, old);
        return planned(ctx);
    }

    /** The steps of a plan that has some (its checks say why when it has none). */
    private static List<Step> planned(PlanContext ctx) {
        assertThat(ctx.steps()).as(ctx.checks().toString()).isNotEmpty();
        return ctx.steps();
    }

    /** The three plans as JSON text, what varies written as placeholders. */
    String plans() throws IOException {
        Map<String, List<Step>> plans = new LinkedHashMap<>();
        plans.put("direct", direct());
        plans.put("container", container());
        plans.put("inPlace", inPlace());
        Map<String, List<Map<String, Object>>> sorted = new LinkedHashMap<>();
        plans.forEach((k, steps) -> sorted.put(k, steps.stream().map(MySqlPlansBeforeTypedTest::sortedParams).toList()));
        String text = JSON.writeValueAsString(sorted);
        Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+):3306").matcher(text);
        if (port.find()) {
            text = text.replaceAll("\\b" + port.group(1) + "\\b", OLD_PORT);
        }
        io.dbrescue.run.OsUsers.Ids ids = io.dbrescue.run.OsUsers.lookup("dbrescue-test");
        String client = MySqlContainerPlan.clientVersion(Path.of("/usr/bin/mariadb-dump"));
        return text.replace(tmp.toString(), "/TMP").replaceAll("\\d{8}-\\d{6}", "STAMP")
                .replace("\"" + Podman.command() + "\"", "\"PODMAN\"")
                .replace("\"" + ids.uid() + ":" + ids.gid() + "\"", "\"UID:GID\"")
                .replace("mariadb-dump " + client + ")", "mariadb-dump CLIENT_VERSION)");
    }

    /** A step with its parameters in key order (a plan's map has none). */
    private static Map<String, Object> sortedParams(Step s) {
        Map<String, Object> m = new LinkedHashMap<>(new ObjectMapper().convertValue(s, Map.class));
        m.put("params", new TreeMap<>(s.params()));
        return m;
    }

    /** The checked-in steps of the string-keyed planners, by path (direct, container, inPlace). */
    static Map<String, List<Step>> before() throws IOException {
        try (InputStream in = MySqlPlansBeforeTypedTest.class.getResourceAsStream(FIXTURE)) {
            assertThat(in).as(FIXTURE).isNotNull();
            return new ObjectMapper().disable(com.fasterxml.jackson.databind.DeserializationFeature
                    .FAIL_ON_UNKNOWN_PROPERTIES).readValue(in, new TypeReference<Map<String, List<Step>>>() { });
        }
    }

    @Test
    void thePlannersPlanTheStepsOfTheStringKeyedVersion() throws IOException {
        String now = plans();
        String out = System.getProperty("dbrescue.writeFixture");
        if (out != null) {
            Files.writeString(Path.of(out), now);
        }
        assertThat(now).contains("mysql-stop", "mysql-start", "mysql-container-start", "mysql-dump-old",
                "mysql-accounts-read", "mysql-accounts-load", "mysql-compare", "mysql-upgrade-copy", "mysql-target-stop",
                "mysql-target-start", "mysql-upgrade-verify");
        JsonNode before;
        try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
            assertThat(in).as(FIXTURE).isNotNull();
            before = JSON.readTree(in);
        }
        for (JsonNode step : before.get("direct")) {
            if (step.get("kind").asText().equals("mysql-stop")) {
                ((ObjectNode) step.get("params")).remove(STOP_LOGIN);
            }
        }
        JsonNode planned = JSON.readTree(now);
        for (String path : List.of("direct", "container", "inPlace")) {
            assertThat(planned.get(path).size()).as(path).isEqualTo(before.get(path).size());
            for (int i = 0; i < planned.get(path).size(); i++) {
                assertThat(planned.get(path).get(i)).as(path + " " + i).isEqualTo(before.get(path).get(i));
            }
        }
    }
}
