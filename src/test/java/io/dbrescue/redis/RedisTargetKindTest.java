package io.dbrescue.redis;

import io.dbrescue.testing.FreePorts;
import io.dbrescue.Engines;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The target is judged by the RDB versions it loads, not by its redis_version: Valkey 8 says
 * "redis_version:7.2.4" and cannot load Redis 7.4's RDB 12; Valkey 9 loads its own RDB 80; Redis 7.0 loads
 * up to RDB 10. Valkey is not installable here, so it is played by test doubles: a running one by a tiny
 * RESP responder answering PING and INFO as Valkey 8.0.2 does, an installed one by a valkey-server program
 * that prints Valkey's --version line. Redis 7.0 is the real Debian server.
 */
class RedisTargetKindTest {
    static Path base;
    static Path backup;
    static Path bin;

    @BeforeAll
    static void files() throws Exception {
        base = TestUser.newDir("redis-kind");
        backup = base.resolve("backup");
        Files.createDirectories(backup);
        Files.write(backup.resolve("r12.rdb"), new RdbWriter(12).select(0).string("a", "1").end());
        Files.write(backup.resolve("r11.rdb"), new RdbWriter(11).select(0).string("a", "1").end());
        byte[] valkey = new RdbWriter(11).select(0).string("a", "1").end();
        System.arraycopy("VALKEY080".getBytes(StandardCharsets.US_ASCII), 0, valkey, 0, 9);
        Files.write(backup.resolve("v80.rdb"), valkey);
        bin = Files.createDirectories(base.resolve("bin"));
    }

    @AfterAll
    static void cleanUp() {
        TestUser.delete(base);
    }

    @Test
    void theTableOfWhatEachServerLoads() {
        assertThat(RdbSupport.maxRdb("Redis", "2.4.17")).isEqualTo(2);
        assertThat(RdbSupport.maxRdb("Redis", "2.8.24")).isEqualTo(6);
        assertThat(RdbSupport.maxRdb("Redis", "6.2.6")).isEqualTo(9);
        assertThat(RdbSupport.maxRdb("Redis", "7.0.15")).isEqualTo(10);
        assertThat(RdbSupport.maxRdb("Redis", "7.2.4")).isEqualTo(11);
        assertThat(RdbSupport.maxRdb("Redis", "8.0.2")).isEqualTo(12);
        assertThat(RdbSupport.loads("Valkey", "8.0.2", 12)).isFalse();
        assertThat(RdbSupport.loads("Valkey", "8.1.1", 11)).isTrue();
        assertThat(RdbSupport.loads("Valkey", "8.1.1", 80)).isFalse();
        assertThat(RdbSupport.loads("Valkey", "9.0.0", 80)).isTrue();
        assertThat(RdbSupport.loads("Valkey", "9.0.0", 12)).isFalse();
        assertThat(RdbSupport.loads("Redis", "8.0.2", 80)).isFalse();
    }

    /** A running Valkey 8 reports redis_version 7.2.4; RDB 12 is still refused, RDB 11 accepted. */
    @Test
    void aRunningValkey8RefusesRdb12() throws Exception {
        try (FakeValkey v = new FakeValkey("8.0.2")) {
            Decision d = decide("r12.rdb", new TargetOptions(null, v.port(), null, null, null, user(), false));
            assertThat(d.refused()).isTrue();
            assertThat(d.reason()).contains("RDB 12 (Redis ≥7.4) cannot be loaded by Valkey 8.0.2: it loads RDB 1 to 11",
                    "Valkey does not take Redis 7.4's RDB 12");
            Decision ok = decide("r11.rdb", new TargetOptions(null, v.port(), null, null, null, user(), false));
            assertThat(ok.refused()).as(ok.reason()).isFalse();
            assertThat(ok.reason()).contains("RDB 11 loads in Valkey 8.0.2");
        }
    }

    /** An installed (not running) Valkey is known by its program's --version line. */
    @Test
    void anInstalledValkey9LoadsItsOwnRdb80ButNotRedis12() throws Exception {
        Path program = bin.resolve("valkey-server");
        Files.writeString(program, "#!/bin/sh\necho 'Valkey server v=9.0.0 sha=00000000:0 malloc=jemalloc-5.3.0 "
                + "bits=64 build=1'\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = FreePorts.next();
        TargetOptions o = new TargetOptions(null, port, null, bin, base.resolve("data"), user(), true);
        assertThat(decide("v80.rdb", o).reason()).contains("RDB 80 loads in Valkey 9.0.0");
        Decision d = decide("r12.rdb", o);
        assertThat(d.refused()).isTrue();
        assertThat(d.reason()).contains("cannot be loaded by Valkey 9.0.0: it loads RDB 1 to 11 and Valkey's own 80");
    }

    @Test
    void theRealRedis70RefusesRdb11And80() throws Exception {
        TargetOptions o = new TargetOptions(null, FreePorts.next(), null, Path.of("/usr/bin"), base.resolve("data"), user(),
                true);
        assertThat(decide("r11.rdb", o).reason()).contains("RDB 11 (Redis 7.2) cannot be loaded by Redis 7.0",
                "Install Redis 7.2 or later");
        assertThat(decide("v80.rdb", o).reason()).contains("RDB 80 (Valkey 9.0 or later) cannot be loaded by Redis 7.0");
    }

    private static Decision decide(String file, TargetOptions o) throws Exception {
        RecoveryRequest req = new RecoveryRequest(backup, List.of(file), Strategy.AUTO, o, RecoveryRequest.Conflict.ASK,
                1, true, false);
        Plan plan = Engines.planner().plan(req, Engines.scanner().scan(backup), new Target(List.of(), null,
                TestUser.isRoot()));
        return plan.decisions().get(0);
    }

    static String user() {
        return TestUser.isRoot() ? TestUser.NAME : System.getProperty("user.name");
    }

    /** Answers redis-cli's PING and INFO the way a Valkey 8 does (redis_version stays 7.2.4). */
    static final class FakeValkey implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;
        private final String version;

        FakeValkey(String version) throws Exception {
            this.version = version;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "fake-valkey");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.UTF_8));
                    OutputStream out = s.getOutputStream();
                    for (String line; (line = in.readLine()) != null; ) {
                        if (!line.startsWith("*")) {
                            continue;
                        }
                        int n = Integer.parseInt(line.substring(1));
                        String cmd = null;
                        for (int k = 0; k < n; k++) {
                            in.readLine();
                            String arg = in.readLine();
                            cmd = cmd == null ? arg.toUpperCase() : cmd;
                        }
                        out.write(reply(cmd).getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } catch (Exception e) {
                    // the client hung up, or the test ended
                }
            }
        }

        private String reply(String cmd) {
            if ("PING".equals(cmd)) {
                return "+PONG\r\n";
            }
            if ("INFO".equals(cmd)) {
                String info = "# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:" + version
                        + "\r\nprocess_id:1\r\n";
                return "$" + info.getBytes(StandardCharsets.UTF_8).length + "\r\n" + info + "\r\n";
            }
            return "-ERR unknown command\r\n";
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(2000);
        }
    }
}
