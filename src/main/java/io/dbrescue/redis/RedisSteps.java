package io.dbrescue.redis;

import io.dbrescue.run.Poll;
import io.dbrescue.text.Lines;
import io.dbrescue.plan.Step;
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

/** The Redis step kinds: stop (without saving), start, verify key counts, remove. */
final class RedisSteps {
    private RedisSteps() {
    }

    static Map<String, StepExecutor> all() {
        return Map.of("redis-stop", new Stop(), "redis-start", new Start(), "redis-verify", new RedisVerify(),
                "redis-aof-load", new AofLoad());
    }

    static RedisCli cli(Step step, StepContext ctx) {
        return new RedisCli(Path.of(step.param("cli")), step.param("host"), Integer.parseInt(step.param("port")),
                ctx.secrets());
    }

    private static void systemctl(String verb, String service, StepContext ctx) throws Exception {
        Exec.Result r = Exec.of(List.of("systemctl", verb, service)).run(ctx);
        if (!r.ok()) {
            throw Failures.of("systemctl " + verb + " " + service, r);
        }
    }

    /** SHUTDOWN NOSAVE (the file on disk stays as it is) and wait until the server is gone. */
    static void shutdown(Step step, StepContext ctx) throws Exception {
        String service = step.params().get("service");
        if (service != null) {
            systemctl("stop", service, ctx);
            return;
        }
        RedisCli cli = cli(step, ctx);
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
    static void start(Step step, List<String> serverArgv, String appendonlyAfter, StepContext ctx) throws Exception {
        RedisCli cli = cli(step, ctx);
        String service = step.params().get("service");
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
                ServerProcess.of(serverArgv).as(step.params().get("runAs")).log(log)
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
                throw new StepFailure(f.kind(), "Redis would not start on " + step.param("what", "the restored file") + ". "
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

    static final class Stop implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            shutdown(step, ctx);
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            if (!cli(step, ctx).pong()) {
                start(step, restartArgv(step.param("restart")), null, ctx);
            }
        }
    }

    static final class Start implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            start(step, step.argv(), step.params().get("appendonlyAfter"), ctx);
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            shutdown(step, ctx);
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
    static final class AofLoad implements StepExecutor {
        @Override
        public void run(Step step, StepContext ctx) throws Exception {
            RedisCli cli = cli(step, ctx);
            start(step, step.argv(), null, ctx);
            try {
                Map<String, Long> keys = keyspace(cli);
                StringBuilder text = new StringBuilder();
                keys.forEach((db, n) -> text.append(db.replace("db", "")).append('=').append(n).append('\n'));
                Files.writeString(Path.of(step.param("counts")), text.toString());
                ctx.report("aofKeysPerDatabase", keys);
                ctx.log("The AOF loaded: " + keys.values().stream().mapToLong(Long::longValue).sum() + " keys in "
                        + keys.size() + " database(s).");
                RedisCli.Result saved = cli.call("SAVE");
                if (!saved.ok()) {
                    throw Failures.of("Saving the loaded AOF as an RDB", saved.asExec());
                }
            } finally {
                shutdown(step, ctx);
            }
        }

        @Override
        public void undo(Step step, StepContext ctx) throws Exception {
            shutdown(step, ctx);
        }
    }
}
