package io.dbrescue.redis;

import io.dbrescue.plan.Destination;
import io.dbrescue.plan.Destinations;
import io.dbrescue.plan.Step;
import io.dbrescue.run.StepContext;
import io.dbrescue.plan.StepParams;
import io.dbrescue.plan.StepParamsCodec;
import io.dbrescue.run.TypedStep;
import io.dbrescue.run.StepFailure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key check after a restore: the keys per database in the server (INFO keyspace) against what the
 * backup holds — the scan's counts less the empty keys Redis skips ({@code expect}), the counts of the
 * throwaway server that loaded an AOF ({@code expectFile}), or redis-check-rdb's total ({@code expectTotal}).
 * Keys with an expiry time may have expired on the way ({@code mayExpire}). When nothing is known it says
 * so and how many keys arrived — it never calls an unknown count 0.
 */
final class RedisVerify implements TypedStep<RedisVerify.RedisKeys> {
    /**
     * {@code redis-verify}: the keys the server should hold, under the keys version 1 wrote: expect and mayExpire
     * ("0=13\n3=7"), partial ("true" when only some databases were counted), expectFile, expectTotal or unknownWhy.
     */
    record RedisKeys(RedisSteps.Server server, String expect, Path expectFile, String mayExpire, String partial,
                     String expectTotal, String unknownWhy) implements StepParams, StepParams.Verifies {
        /** The check of a server against an expectation as {@link RdbPreflight#expectation} builds it. */
        static RedisKeys of(RedisSteps.Server server, Map<String, String> e) {
            return new RedisKeys(server, e.get("expect"), e.get("expectFile") == null ? null
                    : StepParamsCodec.path(e.get("expectFile")), e.get("mayExpire"), e.get("partial"),
                    e.get("expectTotal"), e.get("unknownWhy"));
        }

        @Override
        public String kind() {
            return "redis-verify";
        }

        /** The server, opened with its redis-cli; the file the plan put in place, when it put one. */
        @Override
        public Destination destination(Step step, String dataDirectory) {
            String host = server.host() == null ? "127.0.0.1" : server.host();
            String port = Integer.toString(server.port() == 0 ? RedisEngine.PORT : server.port());
            String client = server.cli() == null ? "redis-cli" : server.cli().getFileName().toString();
            Path file = dataDirectory == null ? null : Path.of(dataDirectory);
            return new Destination(step.group(), "Redis on " + Destinations.server(host, port)
                    + (file == null ? "" : " (file " + file + ")"), file == null ? null : Destinations.parent(file),
                    List.of(client, "-h", host, "-p", port), client);
        }
    }

    @Override
    public void run(RedisKeys p, Step step, StepContext ctx) throws Exception {
        RedisCli cli = p.server().client(ctx.secrets());
        Map<String, Long> actual = RedisSteps.keyspace(cli);
        ctx.report("keysPerDatabase", actual);
        long total = actual.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> expect = lines(p.expect());
        if (p.expectFile() != null) {
            expect = lines(Files.readString(p.expectFile()));
        }
        if (!expect.isEmpty()) {
            compare(expect, actual, lines(p.mayExpire()), p.partial() != null, ctx);
            return;
        }
        if (p.expectTotal() != null) {
            long want = Long.parseLong(p.expectTotal());
            if (total != want) {
                throw new StepFailure("verify", "After loading the RDB the server holds " + total + " keys; "
                        + "redis-check-rdb read " + want + " in the file.", "Keys whose expiry time passed are "
                        + "dropped on load; otherwise the RDB did not load completely (see the Redis log). The run was "
                        + "rolled back.");
            }
            ctx.log("Verified " + total + " keys in " + actual.size() + " database(s) (the total redis-check-rdb read).");
            return;
        }
        ctx.log(total + " keys arrived in " + actual.size() + " database(s); the backup's own count is not known ("
                + (p.unknownWhy() == null ? "not counted" : p.unknownWhy()) + "), so it could not be compared.");
    }

    private static void compare(Map<String, Long> expect, Map<String, Long> actual, Map<String, Long> mayExpire,
                                boolean partial, StepContext ctx) throws StepFailure {
        List<String> wrong = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Long> e : expect.entrySet()) {
            long have = actual.getOrDefault(e.getKey(), 0L);
            long want = e.getValue();
            long slack = mayExpire.getOrDefault(e.getKey(), 0L);
            if (have == want) {
                continue;
            }
            if (have < want && want - have <= slack) {
                expired.add(e.getKey() + ": " + (want - have) + " of its " + slack + " keys with an expiry time");
            } else {
                wrong.add(e.getKey() + " has " + have + " keys, the backup " + want);
            }
        }
        if (!partial) {
            actual.forEach((db, n) -> {
                if (!expect.containsKey(db) && n > 0) {
                    wrong.add(db + " has " + n + " keys, the backup none");
                }
            });
        }
        if (!wrong.isEmpty()) {
            throw new StepFailure("verify", "After loading, the key counts differ: " + String.join("; ", wrong) + ".",
                    "Keys whose expiry time passed are dropped on load; otherwise the data did not load completely "
                            + "(see the Redis log). The run was rolled back.");
        }
        long sum = expect.keySet().stream().mapToLong(db -> actual.getOrDefault(db, 0L)).sum();
        ctx.log("Verified " + expect.size() + " database(s), " + sum + " keys" + (partial ? " (the databases the scan "
                + "could count)" : "") + (expired.isEmpty() ? "." : "; expired on the way: " + String.join(", ", expired)
                + "."));
    }

    /** "0=13\n3=7" → {db0=13, db3=7}. */
    static Map<String, Long> lines(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            String[] kv = line.strip().split("=");
            if (kv.length == 2) {
                out.put("db" + kv[0], Long.parseLong(kv[1]));
            }
        }
        return out;
    }
}
