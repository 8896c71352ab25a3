package io.dbrescue.postgres.restore;

import io.dbrescue.testing.FreePorts;
import io.dbrescue.run.ServerProcess;
import io.dbrescue.run.StepFailure;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL started without pg_ctl and its shell, with real servers: Debian's 15 (a status line in
 * postmaster.pid) and zonky's 9.6 (none: readiness by asking the server). Paths with shell characters
 * stay paths; a server that will not start ends the wait at once with its FATAL line and the fix.
 */
class PgServerTest {
    /** Characters a shell would act on: a command substitution, backticks, both quotes, a space and a comma. */
    static final String HOSTILE = "x $(touch MARKER) `touch MARKER` \"dq\" 'sq', end";
    static Path work;
    static Path marker;
    final List<Path> started = new ArrayList<>();
    final List<Integer> majors = new ArrayList<>();

    @BeforeAll
    static void folders() {
        work = TestUser.newDir("pgs");
        marker = work.resolve("MARKER");
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(work);
    }

    @AfterEach
    void stop() {
        for (int i = 0; i < started.size(); i++) {
            if (PgDirectSteps.running(started.get(i))) {
                Cmd.run(Cmd.asTestUser(List.of(PgCluster.binDir(majors.get(i)).resolve("pg_ctl").toString(), "stop",
                        "-w", "-D", started.get(i).toString(), "-m", "immediate")));
            }
        }
        // the work folder is the current directory of nothing: a shell would have made MARKER here or in the cwd
        assertThat(marker).as("no shell ran the path").doesNotExist();
        assertThat(Path.of("MARKER")).doesNotExist();
    }

    private Path cluster(int major, String name) {
        Path parent = work.resolve(name.replace("MARKER", marker.toString()));
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TestUser.chown(parent);
        Path data = parent.resolve("main");
        // initdb keeps the data folder out of its shell strings (it passes it in PGDATA)
        PgCluster.init(major, data);
        started.add(data);
        majors.add(major);
        return data;
    }

    private static String runAs() {
        return TestUser.isRoot() ? TestUser.NAME : null;
    }

    private static String psql(int port, String sql) {
        return Cmd.run(List.of("/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-q", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-U", "postgres", "-d", "postgres", "-c", sql)).strip();
    }

    @Test
    void pg15StartsOnHostilePathsAndIsReadyWhenStartReturns() throws Exception {
        Path data = cluster(15, "data " + HOSTILE);
        // a socket's path must stay under 108 bytes: a short folder, MARKER relative to the server's current folder
        Path sockets = work.resolve("$(touch MARKER) `touch MARKER` \"d\" 'q', s");
        Files.createDirectories(sockets);
        TestUser.chown(sockets);
        int port = FreePorts.next();
        Path log = work.resolve("log " + HOSTILE.replace("MARKER", marker.toString()) + ".log");
        ServerProcess.Started s = PgServer.start(PgServer.argv(PgCluster.binDir(15), data.toString(), port, "127.0.0.1",
                sockets.toString()), data, runAs(), log, null);
        assertThat(s.process().isAlive()).isTrue();
        assertThat(psql(port, "SELECT 1")).isEqualTo("1");
        assertThat(psql(port, "SHOW data_directory")).isEqualTo(data.toString());
        assertThat(psql(port, "SHOW unix_socket_directories")).isEqualTo(PgServer.socketDirs(sockets.toString()));
        assertThat(sockets.resolve(".s.PGSQL." + port)).exists();
        assertThat(Files.readString(log)).contains("ready to accept connections");
        // what a restart of the original server reads back: postmaster.opts, as data
        List<String> opts = PgServer.lastOptions(data);
        assertThat(opts).containsSequence("-D", data.toString()).contains("unix_socket_directories="
                + PgServer.socketDirs(sockets.toString()));
    }

    @Test
    void pg96WithoutAStatusLineIsReadyWhenItAnswers() throws Exception {
        Path data = cluster(96, "data96 " + HOSTILE);
        int port = FreePorts.next();
        Path log = work.resolve("pg96.log");
        ServerProcess.Started s = PgServer.start(PgServer.argv(PgCluster.binDir(96), data.toString(), port, "127.0.0.1",
                ""), data, runAs(), log, null);
        assertThat(s.process().isAlive()).isTrue();
        assertThat(Files.readAllLines(data.resolve("postmaster.pid"))).hasSize(7);
        assertThat(psql(port, "SELECT version()")).startsWith("PostgreSQL 9.6");
    }

    @Test
    void aMissingLocaleEndsTheStartAtOnceWithItsLineAndTheFix() throws Exception {
        Path data = cluster(15, "locale");
        Files.writeString(data.resolve("postgresql.conf"), "lc_messages = 'xx_XX.UTF-8'\n",
                java.nio.file.StandardOpenOption.APPEND);
        long t0 = System.nanoTime();
        ServerProcess.NotReady e = notReady(data, 15);
        assertThat((System.nanoTime() - t0) / 1e9).as("ended by the FATAL line, not a timeout").isLessThan(5);
        assertThat(e.reason()).contains("FATAL").contains("contains errors");
        StepFailure f = PgStartFailure.of(data, "5432", e.reason(), e.logTail());
        assertThat(f.kind()).isEqualTo("locale-missing");
        assertThat(f.getMessage()).contains("invalid value for parameter \"lc_messages\"");
        assertThat(f.fix()).contains("localedef -i xx_XX -f UTF-8 xx_XX.UTF-8").contains("C.UTF-8");
    }

    @Test
    void aBadSettingIsNamedWithTheFix() throws Exception {
        Path data = cluster(15, "badconf");
        Files.writeString(data.resolve("postgresql.conf"), "shared_buffers = lots\n",
                java.nio.file.StandardOpenOption.APPEND);
        ServerProcess.NotReady e = notReady(data, 15);
        StepFailure f = PgStartFailure.of(data, "5432", e.reason(), e.logTail());
        assertThat(f.kind()).isEqualTo("bad-config");
        assertThat(f.getMessage()).contains("shared_buffers");
        assertThat(f.fix()).contains("postgresql.conf");
    }

    private ServerProcess.NotReady notReady(Path data, int major) throws IOException {
        int port = FreePorts.next();
        Path log = work.resolve("fail-" + data.getParent().getFileName() + ".log");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> PgServer.start(PgServer.argv(
                PgCluster.binDir(major), data.toString(), port, "127.0.0.1", ""), data, runAs(), log, null));
        assertThat(t).isInstanceOf(ServerProcess.NotReady.class);
        assertThat(((ServerProcess.NotReady) t).exited()).isTrue();
        return (ServerProcess.NotReady) t;
    }

    /** initdb runs "BINDIR/postgres" -V through popen: verify's throwaway server refuses such a folder before. */
    @Test
    void theThrowawayServerRefusesAProgramFolderThatInitdbWouldRun() throws Exception {
        Path bin = work.resolve("bin $(touch " + marker + ")");
        Files.createDirectories(bin.getParent());
        Files.createSymbolicLink(bin, PgCluster.binDir(15));
        Path sandbox = TestUser.newDir("pgs-sandbox");
        try {
            io.dbrescue.scan.Finding dump = new io.dbrescue.scan.Finding(io.dbrescue.scan.Engine.POSTGRESQL,
                    io.dbrescue.scan.Kind.DUMP).path("shop.sql").version("15");
            assertThatThrownBy(() -> PgSandbox.create(dump, new io.dbrescue.machine.Target(List.of(), null,
                    TestUser.isRoot()), new io.dbrescue.machine.TargetOptions(null, null, null, bin, null, runAs()), sandbox))
                    .isInstanceOf(IOException.class).hasMessageContaining("contains $: initdb passes it to /bin/sh")
                    .hasMessageContaining("--target-bin");
            assertThat(sandbox.resolve("data")).doesNotExist();
        } finally {
            TestUser.delete(sandbox);
        }
    }

    @Test
    void postmasterOptsIsReadAsData() {
        assertThat(PgServer.parseOptions("/usr/lib/postgresql/15/bin/postgres \"-D\" \"/var/lib/x $(touch y)\" "
                + "\"-c\" \"config_file=/etc/postgresql/15/main/postgresql.conf\"\n"))
                .containsExactly("-D", "/var/lib/x $(touch y)", "-c", "config_file=/etc/postgresql/15/main/postgresql.conf");
        assertThat(PgServer.parseOptions("/opt/pg bin/postgres\n")).isEmpty();
        assertThatThrownBy(() -> PgServer.parseOptions(null)).isInstanceOf(NullPointerException.class);
    }
}
