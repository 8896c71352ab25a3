package io.dbrescue.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promise of the journal: a multi-database restore killed with kill -9 in the middle of the
 * second database resumes with {@code recover --resume RUN_ID} and completes, each database restored
 * exactly once (row counts equal to the source), the backup unchanged. Real PostgreSQL 15 dumps into a
 * real PostgreSQL 18 server, the real jar killed for real.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ResumeAfterKillIT {
    static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");
    static final List<String> DBS = List.of("alpha", "beta", "gamma");
    static final int ROWS = 300_000;
    static Path work;
    static PgCluster target;

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
    }

    static Path backup;
    static Map<String, String> before;

    @org.junit.jupiter.api.BeforeAll
    static void backupAndTarget() throws Exception {
        work = TestUser.newDir("resume");
        backup = work.resolve("backup");
        Path dumps = Files.createDirectories(backup.resolve("dumps"));
        TestUser.chown(work);
        try (PgCluster source = PgCluster.init(15, work.resolve("src")).start()) {
            for (String db : DBS) {
                source.psql("postgres", "CREATE DATABASE " + db);
                source.psql(db, "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, " + ROWS + ") g");
                Cmd.run(Cmd.asTestUser(List.of(DEBIAN_15.resolve("pg_dump").toString(), "-h", "127.0.0.1",
                        "-p", Integer.toString(source.port()), "-U", "postgres", "-f",
                        dumps.resolve(db + ".sql").toString(), db)));
            }
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        target = PgCluster.init(18, TestUser.newDir("pg18-resume").resolve("data")).start();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void aRunKilledInTheMiddleResumesAndCompletes() throws Exception {
        int metricsPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            metricsPort = free.getLocalPort();
        }
        Path config = Files.createDirectories(work.resolve("config/dbrescue")).resolve("recovery.conf");
        Files.writeString(config, "[recovery]\nenable_metrics = true\nmetrics_port = " + metricsPort + "\n");
        Map<String, String> env = Map.of("XDG_STATE_HOME", work.resolve("state").toString(),
                "XDG_CONFIG_HOME", work.resolve("config").toString());

        List<String> args = new ArrayList<>(List.of("recover", backup.toString()));
        for (String db : DBS) {
            args.addAll(List.of("--select", "dumps/" + db + ".sql"));
        }
        args.addAll(List.of("--target-bin", DEBIAN_15.toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(target.port()), "--target-user", "postgres", "--yes", "--json-progress"));
        Path out = work.resolve("progress.jsonl");
        Process run = Jar.start(env, out, args.toArray(String[]::new));

        // wait until the second database's restore is moving, then kill -9
        ObjectMapper json = new ObjectMapper();
        String runId = null;
        boolean killed = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!killed && System.nanoTime() < deadline && run.isAlive()) {
            for (String line : Files.readAllLines(out)) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode e = json.readTree(line);
                runId = e.get("runId").asText();
                String step = e.path("stepId").asText("");
                if (step.startsWith("2.") && e.path("stepDone").asLong() > 0) {
                    run.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
                    killed = true;
                    break;
                }
            }
            Thread.sleep(20);
        }
        run.waitFor(30, TimeUnit.SECONDS);
        assertThat(killed).as("the run was killed during the second restore; output:\n%s\n%s", Files.readString(out),
                Files.readString(out.resolveSibling(out.getFileName() + ".err"))).isTrue();
        assertThat(run.exitValue()).isEqualTo(137);

        // the resumed run, with its metrics endpoint scraped while it runs
        Path out2 = work.resolve("resumed.txt");
        String secret = "S3cr3t-never-logged-" + System.nanoTime();
        Map<String, String> withPassword = new java.util.HashMap<>(env);
        withPassword.put("PGPASSWORD", secret);
        Path bundle = work.resolve("debug-bundle.json");
        Process resumedRun = Jar.start(withPassword, out2, "recover", "--resume", runId, "--debug",
                "--save-debug-log", bundle.toString());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI metricsUri = java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        String scraped = null;
        while (resumedRun.isAlive() && scraped == null) {
            try {
                String body = http.send(java.net.http.HttpRequest.newBuilder(metricsUri).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("dbrescue_bytes_total") && !body.contains("dbrescue_bytes_total 0\n")) {
                    scraped = body;
                }
            } catch (java.io.IOException notYet) {
                Thread.sleep(20);
            }
        }
        assertThat(resumedRun.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(resumedRun.exitValue()).as(Files.readString(out2)).isZero();
        assertThat(scraped).as("metrics scraped during the run").isNotNull()
                .contains("dbrescue_bytes_done").contains("dbrescue_phase{phase=");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(
                java.net.http.HttpRequest.newBuilder(metricsUri).build(), java.net.http.HttpResponse.BodyHandlers.ofString()))
                .as("the endpoint is closed after the run").isInstanceOf(java.io.IOException.class);

        // a password given to the run (PGPASSWORD, passed on to psql) appears in no output, log, journal or bundle
        assertThat(bundle).exists();
        List<Path> written = new ArrayList<>(List.of(out2, out2.resolveSibling(out2.getFileName() + ".err"), bundle));
        try (var files = Files.walk(work.resolve("state"))) {
            files.filter(Files::isRegularFile).forEach(written::add);
        }
        assertThat(written).hasSizeGreaterThan(4);
        for (Path f : written) {
            assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(secret);
        }
        assertThat(Files.readString(out2.resolveSibling(out2.getFileName() + ".err"))).as("--debug prints debug lines").contains("DEBUG");

        // the history has the three databases as successful restores
        Jar.Run history = Jar.run(env, "history", "--json");
        assertThat(history.exitCode()).isZero();
        for (String db : DBS) {
            assertThat(history.stdout()).contains("dumps/" + db + ".sql");
        }
        assertThat(history.stdout()).contains("success");
        for (String db : DBS) {
            assertThat(target.psql(db, "SELECT count(*) FROM t").trim()).as(db).isEqualTo(Integer.toString(ROWS));
        }
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    /**
     * Ctrl-C during a restore, as a terminal sends it: SIGINT to the whole foreground process group, so
     * pg_restore/psql would get it too if they shared dbrescue's group. The database in progress is undone
     * (it does not exist afterwards), exit 130, no stack trace, and --resume restores it to the last row.
     * Runs after the first test, so beta exists and --on-conflict rename restores it as beta_restored.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void ctrlCStopsCleanlyAndTheRunResumes() throws Exception {
        Map<String, String> env = Map.of("XDG_STATE_HOME", work.resolve("state-ctrl-c").toString(),
                "XDG_CONFIG_HOME", work.resolve("config-ctrl-c").toString());
        Path out = work.resolve("ctrl-c.jsonl");
        Process run = Jar.startAsJob(env, out, "recover", backup.toString(), "--select", "dumps/beta.sql",
                "--on-conflict", "rename", "--target-bin", DEBIAN_15.toString(), "--target-host", "127.0.0.1",
                "--target-port", Integer.toString(target.port()), "--target-user", "postgres", "--yes", "--json-progress");
        ObjectMapper json = new ObjectMapper();
        String runId = null;
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!interrupted && System.nanoTime() < deadline && run.isAlive()) {
            for (String line : Files.readAllLines(out)) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode e = json.readTree(line);
                runId = e.get("runId").asText();
                // as soon as the restore step is under way: on an idle machine 300,000 rows take about a second,
                // so waiting for its first bytes could let the run finish before the signal lands
                if (e.path("stepTitle").asText("").startsWith("Restore")) {
                    Cmd.run(List.of("kill", "-INT", "--", "-" + run.pid())); // the whole process group
                    interrupted = true;
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertThat(interrupted).as("Ctrl-C was sent during the restore; output:\n%s\n%s", Files.readString(out),
                Files.readString(out.resolveSibling(out.getFileName() + ".err"))).isTrue();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("it stops promptly").isTrue();
        assertThat(run.exitValue()).isEqualTo(130);
        String stderr = Files.readString(out.resolveSibling(out.getFileName() + ".err"));
        assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(stderr).contains("cancelling: undoing what was done for the database in progress");
        assertThat(Files.readString(out)).contains("undoing what was done for this database");
        assertThat(target.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'beta_restored'").trim())
                .as("the half-restored database was undone").isEqualTo("0");
        Jar.Run resumed = Jar.run(env, "recover", "--resume", runId);
        assertThat(resumed.exitCode()).as(resumed.stdout() + resumed.stderr()).isZero();
        assertThat(target.psql("beta_restored", "SELECT count(*) FROM t").trim()).isEqualTo(Integer.toString(ROWS));
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }
}
