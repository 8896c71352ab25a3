package io.dbrescue.redis;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.FreePorts;
import io.dbrescue.testing.TestUser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one way the tests run a real redis-server (Debian's 7.0, or embedded-redis' 6.2): as the test user on
 * 127.0.0.1 and a free port, driven with redis-cli.
 */
public final class RedisFixture implements AutoCloseable {
    public static final String DEBIAN_SERVER = "/usr/bin/redis-server";
    static final String CLI = "/usr/bin/redis-cli";
    /** The linux-amd64 binary inside com.github.codemonstur:embedded-redis 1.4.4 (reports 6.2.x). */
    static final String EMBEDDED_62 = "/redis-server-6.2.6-v5-linux-amd64";

    final Path dir;
    final int port;
    private final Process process;
    private final Path log;

    private RedisFixture(Path dir, int port, Process process, Path log) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Extracts the embedded 6.2 server binary to a folder the test user can run it from. */
    static String embedded62() {
        Path dir = TestUser.newDir("redis62-bin");
        Path bin = dir.resolve("redis-server");
        try (InputStream in = RedisFixture.class.getResourceAsStream(EMBEDDED_62)) {
            if (in == null) {
                throw new IllegalStateException("embedded-redis jar with " + EMBEDDED_62 + " is not on the test classpath");
            }
            Files.copy(in, bin, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bin.toString();
    }

    static RedisFixture start(String server, boolean appendOnly) throws IOException, InterruptedException {
        return start(server, appendOnly, TestUser.newDir("redis-data"));
    }

    /** A server started on a copy of this RDB file (as its dump.rdb). */
    static RedisFixture startOn(String server, byte[] rdb) throws IOException, InterruptedException {
        Path dir = TestUser.newDir("redis-data");
        Files.write(dir.resolve("dump.rdb"), rdb);
        TestUser.chown(dir);
        return start(server, false, dir);
    }

    /** The total of DBSIZE over the 16 databases. */
    long totalKeys() {
        long n = 0;
        for (int db = 0; db < 16; db++) {
            n += dbsize(db);
        }
        return n;
    }

    /** A server on this folder (its dump.rdb or appendonlydir/ are read and written there). */
    public static RedisFixture start(String server, boolean appendOnly, Path dir) throws IOException, InterruptedException {
        int port = FreePorts.next();
        List<String> argv = List.of(server, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", appendOnly ? "yes" : "no",
                "--daemonize", "no", "--logfile", "");
        Path log = Files.createTempFile("redis", ".log");
        Process p = new ProcessBuilder(Cmd.asTestUser(argv)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        RedisFixture r = new RedisFixture(dir, port, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                if (r.cli("PING").contains("PONG")) {
                    return r;
                }
            } catch (AssertionError notYet) {
                // not listening yet
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                r.close();
                throw new AssertionError("redis-server did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    /** Runs one command in database 0. */
    public String cli(String... args) {
        return cliDb(0, args);
    }

    String cliDb(int db, String... args) {
        List<String> argv = new ArrayList<>(List.of(CLI, "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-n", Integer.toString(db)));
        argv.addAll(List.of(args));
        return Cmd.run(argv, null, Map.of()).trim();
    }

    /** A field of INFO, e.g. info("redis_version"). */
    String info(String field) {
        for (String line : cli("INFO").split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + field + " in INFO");
    }

    long dbsize(int db) {
        return Long.parseLong(cliDb(db, "DBSIZE"));
    }

    /** Fills database 0 and 3 with keys of several types (strings, long compressible strings, hash, list, set, zset, stream). */
    void fill() {
        for (int i = 0; i < 20; i++) {
            cli("SET", "key:" + i, "value " + i);
        }
        cli("SET", "counter", "12345");
        cli("SET", "long", "x".repeat(500)); // LZF-compressed in the RDB
        cli("SET", "temp", "soon gone", "EX", "3600");
        cli("HSET", "user:1", "name", "Ada", "lang", "en");
        cli("RPUSH", "queue", "a", "b", "c");
        cli("SADD", "tags", "red", "green", "blue");
        cli("ZADD", "scores", "1.5", "ada", "2", "bob");
        cli("XADD", "events", "*", "type", "login");
        cli("XGROUP", "CREATE", "events", "workers", "0");
        cli("XREADGROUP", "GROUP", "workers", "w1", "COUNT", "1", "STREAMS", "events", ">");
        for (int i = 0; i < 7; i++) {
            cliDb(3, "SET", "other:" + i, Integer.toString(i));
        }
    }

    /** Starts an AOF rewrite and waits for it to finish. */
    void rewriteAof() throws InterruptedException {
        cli("BGREWRITEAOF");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!info("aof_rewrite_in_progress").equals("0") || !info("aof_rewrite_scheduled").equals("0")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("AOF rewrite did not finish");
            }
            Thread.sleep(50);
        }
    }

    /** SHUTDOWN NOSAVE (what was not saved is lost), waited for. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                cli("SHUTDOWN", "NOSAVE");
            } catch (AssertionError ignored) {
                // the connection drops as it stops
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a leftover log under /tmp is harmless
        }
    }
}
