package io.dbrescue.redis;

import io.dbrescue.run.Exec;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Decision.Alternative;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.Status;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redis: an RDB snapshot is placed where the target server loads it (its dir / dbfilename), with the
 * server stopped meanwhile so that it cannot overwrite the file on exit; an AOF is first loaded by the
 * target's own redis-server in a throwaway server and saved as an RDB ({@link RedisAofPlan}). Whether the
 * target can load a file is judged by the RDB versions it loads ({@link RdbSupport}), damage by the scan
 * and by redis-check-rdb in the pre-flight ({@link RdbPreflight}).
 */
public final class RedisPlanner implements EnginePlanner {
    private static final Pattern VERSION = Pattern.compile("v=(\\d+\\.\\d+(?:\\.\\d+)?)");

    @Override
    public boolean handles(Finding f) {
        return f.getEngine() == Engine.REDIS && (f.getKind() == Kind.RDB || f.getKind() == Kind.AOF);
    }

    /** The newest RDB format a Redis version loads (the Redis line; see {@link RdbSupport} for Valkey). */
    static int maxRdb(String version) {
        return RdbSupport.maxRdb("Redis", version);
    }

    /** What the target looks like: the running server (if any) and the server program. */
    record State(RedisCli cli, boolean running, String version, Path server, Map<String, String> info,
                 String product) {
        State(RedisCli cli, boolean running, String version, Path server, Map<String, String> info) {
            this(cli, running, version, server, info, "Redis");
        }

        /** "Redis 7.0.15", "Valkey 8.0.2". */
        String name() {
            return product + " " + version;
        }
    }

    static State state(TargetOptions opts, io.dbrescue.run.Secrets secrets) {
        Path cliPath = RedisCli.server(opts.binDir(), "redis-cli");
        String host = opts.hostOr("127.0.0.1");
        int port = opts.port() != null ? opts.port() : 6379;
        RedisCli cli = cliPath == null ? null : new RedisCli(cliPath, host, port, secrets);
        if (cli != null && cli.pong()) {
            Map<String, String> info = cli.info("server");
            String exe = info.get("executable");
            Path server = opts.binDir() != null ? RedisCli.server(opts.binDir(), "redis-server")
                    : exe != null && !exe.isEmpty() && Files.isExecutable(Path.of(exe)) ? Path.of(exe)
                    : RedisCli.server(null, "redis-server");
            // Valkey 8+ reports redis_version 7.2.4 for clients; its own version is valkey_version
            String valkey = info.get("valkey_version");
            boolean isValkey = valkey != null || "valkey".equalsIgnoreCase(info.get("server_name"));
            return new State(cli, true, isValkey && valkey != null ? valkey : info.get("redis_version"), server, info,
                    isValkey ? "Valkey" : "Redis");
        }
        Path server = RedisCli.server(opts.binDir(), "redis-server");
        String version = null;
        String product = "Redis";
        if (server != null) {
            try {
                Exec.Result r = Exec.of(List.of(server.toString(), "--version")).mergeStderr().probe()
                        .timeout(java.time.Duration.ofSeconds(30)).run(null);
                Matcher m = VERSION.matcher(r.stdoutTail());
                version = m.find() ? m.group(1) : null;
                product = RdbSupport.product(r.stdoutTail().split(" ")[0]); // "Redis server v=…" / "Valkey server v=…"
            } catch (IOException | InterruptedException e) {
                version = null;
            }
        }
        return new State(cli, false, version, server, Map.of(), product);
    }

    @Override
    public Decision decide(Finding f, Strategy requested, Target target, RecoveryRequest request) {
        List<Alternative> alts = new ArrayList<>();
        alts.add(new Alternative(Strategy.CONTAINER, false, "not needed for Redis: an older RDB loads in a newer Redis"));
        alts.add(new Alternative(Strategy.DUMP_RESTORE, false, "an RDB is restored by placing it where the server "
                + "loads it (direct)"));
        boolean aof = f.getKind() == Kind.AOF;
        String what = aof ? "AOF" : "RDB";
        if (aof && f.getFormat() != null && !List.of("resp", "rdb-preamble", "multi-part").contains(f.getFormat())) {
            return refuse(f, "This AOF is compressed (" + f.getFormat() + "): uncompress it into a folder outside the "
                    + "backup, scan that folder and select it there.", alts);
        }
        String damage = String.valueOf(f.getDetails().get("damage"));
        if (f.getStatus() != Status.OK && !LOADABLE_DAMAGE.contains(damage)) {
            return refuse(f, "This " + what + " is " + (f.getStatus() == Status.DAMAGED ? "damaged" : "incomplete")
                    + " (" + String.join(" ", f.getWarnings()) + ")", alts);
        }
        if (requested != Strategy.AUTO && requested != Strategy.DIRECT) {
            return refuse(f, aof ? "A Redis AOF is restored with direct (loaded by the target's own Redis and placed "
                    + "where the server loads it)." : "A Redis RDB is restored with direct (placed where the server "
                    + "loads it).", alts);
        }
        State st = state(request.target(), target.secrets());
        if (st.version() == null) {
            return refuse(f, "No Redis server is installed here (no redis-server found, and nothing answers on the "
                    + "target port). Install it (apt install redis-server) or give its folder with --target-bin.", alts);
        }
        String refusal = compatibility(f, st);
        if (refusal != null) {
            return refuse(f, refusal, alts);
        }
        int rdbVersion = rdbVersion(f);
        return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), Strategy.DIRECT, aof
                ? "The AOF (" + f.getFormat() + ") is loaded by " + st.name() + " itself in a throwaway server on a copy, "
                + "its keys counted and saved as an RDB, which is placed in the target's dir and the server restarted "
                + "on it (AOF loaded and rewritten; with appendonly on, the target writes its own AOF from it)."
                : "RDB " + rdbVersion + " loads in " + st.name() + ": the file is placed in the target's dir and the "
                + "server restarted on it.", alts);
    }

    /** Damage that Redis loads past: empty keys (skipped), an AOF whose last command is cut short (dropped). */
    static final List<String> LOADABLE_DAMAGE = List.of("empty-keys", "cut-short-tail");

    static int rdbVersion(Finding f) {
        Object rdb = f.getDetails().get("rdbVersion");
        return rdb instanceof Number n ? n.intValue() : -1;
    }

    /**
     * Why the target cannot load this file, judged by the RDB versions it loads ({@link RdbSupport}) and,
     * for an appendonlydir, whether it knows multi-part AOFs (Redis 7.0+, every Valkey); null when it can.
     */
    static String compatibility(Finding f, State st) {
        int rdbVersion = rdbVersion(f);
        if (rdbVersion >= 0 && !RdbSupport.loads(st.product(), st.version(), rdbVersion)) {
            String rel = Rdb.releasesFor(rdbVersion);
            String newest = rdbVersion == RdbSupport.VALKEY_OWN ? "Valkey 9.0 or later"
                    : rel == null ? "a newer Redis" : "Redis " + rel.replace("≥", "").replaceAll("–.*", "") + " or later";
            String made = rdbVersion == RdbSupport.VALKEY_OWN ? "Valkey 9.0 or later" : "Redis " + (rel == null ? "?" : rel);
            return "RDB " + rdbVersion + " (" + made + ") cannot be loaded by " + st.name() + ": it loads "
                    + RdbSupport.describe(st.product(), st.version()) + (st.product().equals("Valkey") ? "" : " (its own "
                    + "format and older)") + ". Install " + newest + " to load it"
                    + (st.product().equals("Valkey") && rdbVersion >= 12 && rdbVersion < RdbSupport.VALKEY_OWN
                    ? " — Valkey does not take Redis 7.4's RDB 12 (Valkey 9 tries it only with rdb-version-check "
                    + "relaxed, and fails on hash field expiry)" : "") + ".";
        }
        if ("multi-part".equals(f.getFormat()) && st.product().equals("Redis") && RdbSupport.number(st.version()) < 700) {
            return "A multi-part AOF (appendonlydir with a manifest) is Redis 7.0's format; " + st.name()
                    + " cannot read it. Install Redis 7.0 or later.";
        }
        return null;
    }

    private static Decision refuse(Finding f, String reason, List<Alternative> alts) {
        return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), null, reason, alts);
    }

    @Override
    public void plan(Finding f, Decision d, Target target, PlanContext ctx) {
        if (LOADABLE_DAMAGE.contains(String.valueOf(f.getDetails().get("damage")))) {
            ctx.warn("damage", String.join(" ", f.getWarnings()), "Nothing to do: Redis loads the rest, and the key "
                    + "check expects exactly what it loads. Look for another copy if those keys mattered.");
        }
        new RedisPlacement(ctx, state(ctx.request().target(), ctx.secrets()), target.root()).plan(f);
    }

    /** The server started as before: its config file, or the settings read from it; always in the foreground. */
    static List<String> startArgv(State st, RedisCli cli, Path dir, String file, String appendonly) {
        List<String> a = new ArrayList<>();
        a.add(st.server().toString());
        String conf = st.info().get("config_file");
        if (conf != null && !conf.isEmpty()) {
            a.add(conf);
        }
        a.addAll(List.of("--port", Integer.toString(cli.port())));
        String bind = st.running() ? cli.config("bind") : null;
        a.add("--bind");
        a.addAll(List.of((bind == null || bind.isBlank() ? "127.0.0.1" : bind).trim().split("\\s+")));
        a.addAll(List.of("--dir", dir.toString(), "--dbfilename", file, "--appendonly", appendonly,
                "--daemonize", "no"));
        if (st.running()) {
            String save = cli.config("save");
            if (save != null) {
                a.addAll(List.of("--save", save));
            }
        }
        if (conf == null || conf.isEmpty()) {
            a.addAll(List.of("--logfile", ""));
        }
        return a;
    }

    static boolean sameFolder(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    static String owner(Path dir, String fallback) {
        try {
            String o = Files.getOwner(dir).getName();
            return o.equals("root") ? fallback : o;
        } catch (IOException e) {
            return fallback;
        }
    }

    static String activeService() {
        for (String unit : List.of("redis-server", "redis")) {
            try {
                Exec.Result r = Exec.of(List.of("systemctl", "is-active", unit)).mergeStderr().probe()
                        .timeout(java.time.Duration.ofSeconds(10)).run(null);
                if (r.ok() && r.stdoutTail().trim().equals("active")) {
                    return unit;
                }
            } catch (IOException | InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    static String major(String version) {
        return InstalledServer.majorOf(Engine.REDIS, version);
    }
}
