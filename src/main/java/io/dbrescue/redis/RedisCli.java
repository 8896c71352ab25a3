package io.dbrescue.redis;

import io.dbrescue.run.Exec;
import io.dbrescue.run.Secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Talks to a Redis server with redis-cli (never a shell). A password goes in as REDISCLI_AUTH, from the run's
 * {@link Secrets} (the window's password field or dbrescue's environment) — never on the command line.
 */
record RedisCli(Path cli, String host, int port, Secrets secrets) {
    static final List<Path> BINS = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/usr/sbin"));

    /**
     * redis-server / redis-cli from the given folder, else the usual places — in each folder the Redis name
     * first, then Valkey's (valkey-server, valkey-cli), so that a Valkey given with --target-bin is the one used.
     */
    static Path server(Path preferred, String redisName) {
        String valkey = redisName.replace("redis-", "valkey-");
        for (Path d : dirs(preferred)) {
            for (String name : List.of(redisName, valkey)) {
                Path p = d.resolve(name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static List<Path> dirs(Path preferred) {
        List<Path> dirs = new ArrayList<>();
        if (preferred != null) {
            dirs.add(preferred);
            dirs.add(preferred.resolve("bin"));
        }
        dirs.addAll(BINS);
        return dirs;
    }

    /** redis-server / redis-cli from the given folder, else the usual places. */
    static Path program(Path preferred, String name) {
        List<Path> dirs = new ArrayList<>();
        if (preferred != null) {
            dirs.add(preferred);
            dirs.add(preferred.resolve("bin"));
        }
        dirs.addAll(BINS);
        for (Path d : dirs) {
            Path p = d.resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    List<String> argv(String... args) {
        List<String> a = new ArrayList<>(List.of(cli.toString(), "-h", host, "-p", Integer.toString(port)));
        a.addAll(List.of(args));
        return a;
    }

    /** Output of one command ("" with a non-zero exit or when nothing answers). */
    Result call(String... args) {
        List<String> argv = argv(args);
        try {
            Exec.Result r = Exec.of(argv).env("REDISCLI_AUTH", secrets.get("REDISCLI_AUTH"))
                    .mergeStderr().keepStdout(4 << 20).probe().timeout(java.time.Duration.ofSeconds(30)).run(null);
            return new Result(argv, r.exitCode(), r.stdout().strip());
        } catch (IOException e) {
            return new Result(argv, -1, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(argv, -1, "");
        }
    }

    record Result(List<String> argv, int exit, String out) {
        boolean ok() {
            return exit == 0 && !out.startsWith("ERR") && !out.startsWith("NOAUTH") && !out.startsWith("WRONGPASS")
                    && !out.startsWith("Could not connect") && !out.startsWith("LOADING");
        }

        Exec.Result asExec() {
            return new Exec.Result(argv, exit == 0 ? 1 : exit, "", out, 0);
        }
    }

    boolean pong() {
        Result r = call("PING");
        return r.exit() == 0 && r.out().equals("PONG");
    }

    /** CONFIG GET name → value (null when it cannot be read). */
    String config(String name) {
        Result r = call("CONFIG", "GET", name);
        if (!r.ok()) {
            return null;
        }
        String[] lines = r.out().split("\r?\n", -1);
        return lines.length >= 2 ? lines[1] : "";
    }

    /** INFO section → fields. */
    Map<String, String> info(String section) {
        Map<String, String> m = new LinkedHashMap<>();
        Result r = call("INFO", section);
        if (r.ok()) {
            for (String line : r.out().split("\r?\n")) {
                int c = line.indexOf(':');
                if (c > 0 && !line.startsWith("#")) {
                    m.put(line.substring(0, c), line.substring(c + 1).trim());
                }
            }
        }
        return m;
    }
}
