package io.dbrescue.redis;

import io.dbrescue.run.Poll;
import io.dbrescue.text.Lines;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.Secrets;
import io.dbrescue.run.TypedStep;
import io.dbrescue.run.Exec;
import io.dbrescue.run.Failures;
import io.dbrescue.run.ServerProcess;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Redis step kinds, each a record of its parameters beside its executor: stop (without saving), start, load
 * an AOF; the key check is {@link RedisVerify}.
 */
final class RedisSteps {
    private RedisSteps() {
    }

    static Map<String, StepExecutor> all() {
        return Map.of("redis-stop", new Stop(), "redis-start", new Start(), "redis-verify", new RedisVerify(),
                "redis-aof-load", new AofLoad());
    }

    /**
     * The server a Redis step talks to: redis-cli, its address, the systemd unit that runs it (null: dbrescue starts
     * and stops it itself) and the user it runs as; its components stand in each step's map as they always did.
     */
    record Server(Path cli, String host, int port, String service, String runAs) implements StepParams.Inline {
        static Server of(RedisCli cli, String service, String runAs) {
            return new Server(cli.cli(), cli.host(), cli.port(), service, runAs);
        }

        RedisCli client(Secrets secrets) {
            return new RedisCli(cli, host, port, secrets);
        }

        /** The command the preview shows for a stop: systemctl, or redis-cli SHUTDOWN NOSAVE (no password on it). */
        List<String> stopArgv() {
            return service != null ? List.of("systemctl", "stop", service) : client(null).argv("SHUTDOWN", "NOSAVE");
        }
    }

    /**
     * {@code redis-stop}: the server stopped without saving; undo starts it again with restart (a JSON list, or one
     * argument a line in journals of earlier versions) and turns appendonly back on when appendonlyAfter is yes.
     */
    record RedisStop(Server server, String restart, String appendonlyAfter) implements StepParams {
        @Override
        public String kind() {
            return "redis-stop";
        }

        @Override
        public List<String> argv() {
            return server.stopArgv();
        }
    }

    /** {@code redis-start}: the server started by argv (or its systemd unit), appendonly turned on after when yes. */
    record RedisStart(Server server, String appendonlyAfter, List<String> argv) implements StepParams {
        /** The start of this server: by its systemd unit, else by the command line given. */
        static RedisStart of(Server server, String appendonlyAfter, List<String> serverArgv) {
            return new RedisStart(server, appendonlyAfter,
                    server.service() != null ? List.of("systemctl", "start", server.service()) : serverArgv);
        }

        @Override
        public String kind() {
            return "redis-start";
        }
    }

    /**
     * {@code redis-aof-load}: a throwaway server started by argv loads the copy of an AOF; its keys per database go
     * to counts; what names the loaded file in an error.
     */
    record RedisAofLoad(Server server, Path counts, String what, List<String> argv) implements StepParams {
        @Override
        public String kind() {
            return "redis-aof-load";
        }
    }

    private static void systemctl(String verb, String service, StepContext ctx) throws Exception {
        Exec.Result r = Exec.of(List.of("systemctl", verb, service)).run(ctx);
        if (!r.ok()) {
            throw Failures.of("systemctl " + verb + " " + service, r);
        }
    }

    /** SHUTDOWN NOSAVE (the file on disk stays as it is) and wait until the server is gone. */
    static void shutdown(Server server, StepContext ctx) throws Exception {
        String service = server.service();
        if (service != null) {
            systemctl("stop", service, ctx);
            return;
        }
        RedisCli cli = server.client(ctx.secrets());
        if (!cli.pong()) {
            return;
        }
        String pid = cli.info("server").get("process_id");
        cli.call("SHUTDOWN", "NOSAVE"); // the connection drops as it stops
        Optional<ProcessHandle> h = pid == null ? Optional.empty() : ProcessHandle.of(Long.parseLong(pid));
        if (!Poll.until(ctx, Duration.ofMinutes(1), Duration.ofMillis(100),
                () -> !cli.pong() && !h.map(ProcessHandle::isAlive).orElse(false))) {
            throw new StepFailure("server-stop", "Redis on port " + cli.port() + " did not stop within a minute.",
                    "Stop it by hand (redis-cli -p " + cli.port() + " SHUTDOWN NOSAVE) and resume the run.");
        }
    }

    /** Starts redis-server detached (its own session), as the run-as user, and waits until it has loaded its data. */
    static void start(Server server, Step step, List<String> serverArgv, String appendonlyAfter, String what,
                      StepContext ctx) throws Exception {
        RedisCli cli = server.client(ctx.secrets());
        String service = server.service();
        if (service != null) {
            systemctl("start", service, ctx);
        } else {
            if (cli.pong()) {
                throw new StepFailure("port-in-use", "Something already answers on port " + cli.port()
                        + ", so Redis cannot start there.", "Stop it (redis-cli -p " + cli.port() + " SHUTDOWN NOSAVE) "
                        + "or choose another port with --target-port.");
            }
            Path log = ctx.runDir().resolve("redis-" + step.id() + ".log");
            try {
                ServerProcess.of(serverArgv).as(server.runAs()).log(log)
                        .timeout(java.time.Duration.ofMinutes(10)).readyWhen(p -> cli.pong()).start(ctx);
            } catch (ServerProcess.NotReady e) {
                String text = Files.exists(log) ? Files.readString(log) : e.logTail();
                // enough lines to hold the cause: redis-check-rdb's report follows it
                StepFailure f = Failures.of("Starting redis-server", new Exec.Result(serverArgv, e.exitCode(), "",
                        Lines.lastText(text, 40), 0));
                String fix = text.contains("Can't handle RDB format") || text.contains("Bad file format")
                        ? "The RDB is newer than this Redis or damaged: install a newer Redis or use another copy."
                        : "damaged".equals(f.kind()) ? "The RDB is damaged (redis-check-rdb on it shows where): "
                        + "restore another copy of it." : f.fix();
                throw new StepFailure(f.kind(), "Redis would not start on "
                        + (what == null ? "the restored file" : what) + ". "
                        + f.getMessage()
                        + " (Its log: " + log + ")", fix);
            } catch (java.io.IOException e) {
                if (String.valueOf(e.getMessage()).startsWith("could not start")) {
                    throw Failures.missingProgram(serverArgv.get(0), null);
                }
                throw e;
            }
            ctx.report("server", "Redis running on " + cli.host() + ":" + cli.port() + ", started by dbrescue (log: "
                    + log + ")");
        }
        if ("yes".equals(appendonlyAfter)) {
            RedisCli.Result r = cli.call("CONFIG", "SET", "appendonly", "yes");
            if (!r.ok()) {
                throw Failures.of("Turning appendonly back on", r.asExec());
            }
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The restart command as a JSON list: a folder with a line break stays one argument. */
    static String json(List<String> argv) {
        try {
            return JSON.writeValueAsString(argv);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The restart command of the plan: a JSON list, or one argument a line as journals of earlier versions have it. */
    static List<String> restartArgv(String param) throws java.io.IOException {
        if (param.startsWith("[")) {
            return JSON.readValue(param, new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { });
        }
        return Arrays.asList(param.split("\n", -1));
    }

    static final class Stop implements TypedStep<RedisStop> {
        @Override
        public void run(RedisStop p, Step step, StepContext ctx) throws Exception {
            shutdown(p.server(), ctx);
        }

        @Override
        public void undo(RedisStop p, Step step, StepContext ctx) throws Exception {
            if (!p.server().client(ctx.secrets()).pong()) {
                start(p.server(), step, restartArgv(p.restart()), null, null, ctx);
            }
        }
    }

    static final class Start implements TypedStep<RedisStart> {
        @Override
        public void run(RedisStart p, Step step, StepContext ctx) throws Exception {
            start(p.server(), step, p.argv(), p.appendonlyAfter(), null, ctx);
        }

        @Override
        public void undo(RedisStart p, Step step, StepContext ctx) throws Exception {
            shutdown(p.server(), ctx);
        }
    }

    /** Keys per database as INFO keyspace tells them ("db0:keys=13,expires=0,avg_ttl=0"). */
    static Map<String, Long> keyspace(RedisCli cli) throws StepFailure {
        RedisCli.Result r = cli.call("INFO", "keyspace");
        if (!r.ok()) {
            throw Failures.of("Counting the keys (INFO keyspace)", r.asExec());
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : r.out().split("\r?\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(db\\d+):keys=(\\d+)").matcher(line.strip());
            if (m.find()) {
                out.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return out;
    }

    /**
     * The AOF loaded by a throwaway redis-server on a copy: started as the run-as user, ready when it has
     * loaded everything, its keys counted (into the run's folder, for the verification), saved as an RDB
     * next to the copy, and stopped without touching anything else.
     */
    static final class AofLoad implements TypedStep<RedisAofLoad> {
        @Override
        public void run(RedisAofLoad p, Step step, StepContext ctx) throws Exception {
            RedisCli cli = p.server().client(ctx.secrets());
            start(p.server(), step, p.argv(), null, p.what(), ctx);
            try {
                Map<String, Long> keys = keyspace(cli);
                StringBuilder text = new StringBuilder();
                keys.forEach((db, n) -> text.append(db.replace("db", "")).append('=').append(n).append('\n'));
                Files.writeString(p.counts(), text.toString());
                ctx.report("aofKeysPerDatabase", keys);
                ctx.log("The AOF loaded: " + keys.values().stream().mapToLong(Long::longValue).sum() + " keys in "
                        + keys.size() + " database(s).");
                RedisCli.Result saved = cli.call("SAVE");
                if (!saved.ok()) {
                    throw Failures.of("Saving the loaded AOF as an RDB", saved.asExec());
                }
            } finally {
                shutdown(p.server(), ctx);
            }
        }

        @Override
        public void undo(RedisAofLoad p, Step step, StepContext ctx) throws Exception {
            shutdown(p.server(), ctx);
        }
    }
}
