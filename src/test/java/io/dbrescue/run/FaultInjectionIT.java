package io.dbrescue.run;

import io.dbrescue.testing.FreePorts;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault injection: dbrescue is killed at ten random moments of a dump restore and of a direct copy — half of
 * them with SIGKILL, half with the Ctrl-C a terminal sends (SIGINT to the whole process group) — and each time
 * {@code recover --resume} finishes the run: exact row counts, nothing left behind (no leftovers record, no
 * temporary folder, no half-restored database, no child program still running), the backup unchanged. The
 * seed is printed; {@code -Dfault.seed=N} repeats a sequence.
 */
class FaultInjectionIT {
    static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");
    static final int MOMENTS = 10;
    static final long SEED = Long.getLong("fault.seed", System.nanoTime());
    static final long STARTED = System.currentTimeMillis();
    static final Pattern RUN_ID = Pattern.compile("\"runId\"\\s*:\\s*\"([^\"]+)\"");
    static Path work;
    static Path backup;
    static Map<String, String> before;
    static PgCluster target;
    static Map<String, String> rows;

    @BeforeAll
    static void backupAndTarget() throws Exception {
        System.out.println("FaultInjectionIT seed " + SEED + " (repeat with -Dfault.seed=" + SEED + ")");
        System.out.println("FaultInjectionIT work folder " + "(kept on failure)");
        work = TestUser.newDir("faults");
        backup = work.resolve("backup");
        Path dumps = Files.createDirectories(backup.resolve("dumps"));
        Path data = backup.resolve("var/lib/postgresql/15/main");
        Files.createDirectories(data.getParent());
        TestUser.chown(work);
        try (PgCluster source = PgCluster.init(15, data).start()) {
            source.psql("postgres", "CREATE DATABASE shop");
            source.psql("shop", "CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS note, now() AS at "
                    + "FROM generate_series(1, 400000) g; ALTER TABLE orders ADD PRIMARY KEY (id); "
                    + "CREATE TABLE lines AS SELECT g AS id, g % 400000 + 1 AS order_id, (g * 7) % 1000 AS qty "
                    + "FROM generate_series(1, 600000) g");
            Cmd.run(Cmd.asTestUser(List.of(DEBIAN_15.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                    Integer.toString(source.port()), "-U", "postgres", "-f", dumps.resolve("shop.sql").toString(), "shop")));
            rows = Map.of("orders", source.psql("shop", "SELECT count(*) FROM orders"),
                    "lines", source.psql("shop", "SELECT count(*) FROM lines"));
            source.stop();
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        target = PgCluster.init(15, TestUser.newDir("faults-target").resolve("data")).start();
    }

    @AfterAll
    static void cleanUp() {
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
    }

    /** How one moment is interrupted. */
    enum Fault { SIGKILL, CTRL_C }

    @Test
    void aDumpRestoreKilledAtTenRandomMomentsIsResumedToTheLastRow() throws Exception {
        Random random = new Random(SEED);
        Map<String, String> env = env("dump");
        List<String> args = List.of("recover", backup.toString(), "--select", "dumps/shop.sql", "--target-bin",
                DEBIAN_15.toString(), "--target-host", "127.0.0.1", "--target-port", Integer.toString(target.port()),
                "--target-user", "postgres", "--yes", "--json-progress");
        long full = timeOneRun(env, args);
        checkDump();
        target.psql("postgres", "DROP DATABASE shop");
        for (int i = 0; i < MOMENTS; i++) {
            Fault fault = i % 2 == 0 ? Fault.SIGKILL : Fault.CTRL_C;
            long at = (long) (random.nextDouble() * full);
            String said = interruptAndResume(env, args, fault, at, "dump " + i);
            checkDump();
            assertNothingLeft(env);
            System.out.println("FaultInjectionIT dump restore, moment " + i + ": " + fault + " at " + at + " ms of "
                    + full + " ms; " + said);
            target.psql("postgres", "DROP DATABASE shop");
        }
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    @Test
    void aDirectCopyKilledAtTenRandomMomentsIsResumedToTheLastRow() throws Exception {
        Random random = new Random(SEED + 1);
        Map<String, String> env = env("direct");
        long full = -1;
        for (int i = -1; i < MOMENTS; i++) {
            Path parent = TestUser.newDir("faults-direct");
            Path data = parent.resolve("main");
            int port = FreePorts.next();
            List<String> args = new ArrayList<>(List.of("recover", backup.toString(), "--select",
                    "var/lib/postgresql/15/main", "--target-bin", DEBIAN_15.toString(), "--target-data", data.toString(),
                    "--target-port", Integer.toString(port), "--target-host", "127.0.0.1", "--yes", "--json-progress"));
            if (TestUser.isRoot()) {
                args.addAll(List.of("--run-as", TestUser.NAME));
            }
            try {
                if (i < 0) {
                    full = timeOneRun(env, args);
                } else {
                    Fault fault = i % 2 == 0 ? Fault.SIGKILL : Fault.CTRL_C;
                    long at = (long) (random.nextDouble() * full);
                    String said = interruptAndResume(env, args, fault, at, "direct " + i);
                    System.out.println("FaultInjectionIT direct copy, moment " + i + ": " + fault + " at " + at
                            + " ms of " + full + " ms; " + said);
                }
                for (Map.Entry<String, String> t : rows.entrySet()) {
                    assertThat(psql(port, "SELECT count(*) FROM " + t.getKey())).as(t.getKey()).isEqualTo(t.getValue());
                }
                assertNothingLeft(env);
            } finally {
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    Cmd.run(Cmd.asTestUser(List.of(DEBIAN_15.resolve("pg_ctl").toString(), "stop", "-w", "-D",
                            data.toString(), "-m", "immediate")));
                }
                TestUser.delete(parent);
            }
        }
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    private static Map<String, String> env(String name) {
        return Map.of("XDG_STATE_HOME", work.resolve("state-" + name).toString(),
                "XDG_CONFIG_HOME", work.resolve("config-" + name).toString());
    }

    /**
     * One run to the end: how long it runs from its first progress event (the plan is made and the journal
     * written) to its exit — the range the moments are drawn from.
     */
    private static long timeOneRun(Map<String, String> env, List<String> args) throws Exception {
        Path out = work.resolve("full-" + System.nanoTime() + ".jsonl");
        Process run = Jar.startAsJob(env, out, args.toArray(String[]::new));
        long started = awaitFirstEvent(run, out);
        assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(run.exitValue()).as(Files.readString(out)).isZero();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** Waits for the first progress event (the run has begun); returns when it came (System.nanoTime). */
    private static long awaitFirstEvent(Process run, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (Files.exists(out) && Files.readString(out).contains("\"runId\"")) {
                return System.nanoTime();
            }
            if (!run.isAlive()) {
                break;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the run did not begin: " + Files.readString(out)
                + Files.readString(out.resolveSibling(out.getFileName() + ".err")));
    }

    /**
     * Starts the run, interrupts it {@code atMillis} after the start, then resumes it until it finishes; says what
     * happened. A run that ended before the moment came is simply checked.
     */
    private static String interruptAndResume(Map<String, String> env, List<String> args, Fault fault, long atMillis,
                                             String name) throws Exception {
        Path out = work.resolve(name.replace(' ', '-') + ".jsonl");
        Process run = Jar.startAsJob(env, out, args.toArray(String[]::new));
        awaitFirstEvent(run, out);
        boolean ended = run.waitFor(atMillis, TimeUnit.MILLISECONDS);
        if (ended) {
            assertThat(run.exitValue()).as(Files.readString(out)).isZero();
            return "it had finished before";
        }
        if (fault == Fault.SIGKILL) {
            run.destroyForcibly();
        } else {
            Cmd.run(List.of("kill", "-INT", "--", "-" + run.pid()));
        }
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("it stops").isTrue();
        int exit = run.exitValue();
        String err = Files.readString(out.resolveSibling(out.getFileName() + ".err"));
        assertThat(err).as("no stack trace").doesNotContain("\tat ");
        Matcher id = RUN_ID.matcher(Files.readString(out));
        if (!id.find()) {
            // killed before the journal was written: nothing ran, so the whole run starts again
            assertThat(exit).isIn(0, 130, 137, 4);
            Jar.Run again = Jar.run(env, args.toArray(String[]::new));
            assertThat(again.exitCode()).as(again.stdout() + again.stderr()).isZero();
            return "stopped before the run began (exit " + exit + "); run again";
        }
        if (exit == 0 || Files.readString(out).contains("\"phase\":\"done\"")) {
            return "it finished as the signal came (exit " + exit + ", its journal says finished)";
        }
        assertThat(exit).as("exit after " + fault + "; stderr: " + err).isEqualTo(fault == Fault.SIGKILL ? 137 : 130);
        Jar.Run resumed = Jar.run(env, "recover", "--resume", id.group(1));
        assertThat(resumed.exitCode()).as("after %s at %d ms; the interrupted run said:%n%s%n%s%nthe resume said:%n%s%n%s",
                fault, atMillis, Files.readString(out), err, resumed.stdout(), resumed.stderr()).isZero();
        return "exit " + exit + ", resumed to the end";
    }

    private static void checkDump() {
        for (Map.Entry<String, String> t : rows.entrySet()) {
            assertThat(target.psql("shop", "SELECT count(*) FROM " + t.getKey())).as(t.getKey()).isEqualTo(t.getValue());
        }
        assertThat(target.psql("postgres", "SELECT string_agg(datname, ',') FROM pg_database WHERE datname LIKE 'shop%'"))
                .as("one database, no half-restored copy").isEqualTo("shop");
    }

    /** No leftovers record, no temporary folder of a server start, no psql / pg_restore still running for us. */
    private static void assertNothingLeft(Map<String, String> env) throws IOException {
        Path leftovers = Path.of(env.get("XDG_STATE_HOME"), "dbrescue", "leftovers");
        if (Files.isDirectory(leftovers)) {
            try (Stream<Path> s = Files.list(leftovers)) {
                assertThat(s.toList()).as("leftovers records").isEmpty();
            }
        }
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("dbrescue-pg-"))
                    .filter(p -> p.toFile().lastModified() >= STARTED).toList()).as("server logs loose in /tmp").isEmpty();
        }
        List<String> children = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("/psql ") && c.contains("shop")
                        || c.contains("/pg_restore ")).orElse(false))
                .map(p -> p.info().commandLine().orElse("?")).toList();
        assertThat(children).as("programs still running for a stopped dbrescue").isEmpty();
    }

    private static String psql(int port, String sql) {
        return Cmd.run(List.of(DEBIAN_15.resolve("psql").toString(), "-X", "-A", "-t", "-q", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-U", "postgres", "-d", "shop", "-c", sql)).strip();
    }
}
