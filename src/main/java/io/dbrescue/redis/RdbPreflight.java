package io.dbrescue.redis;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.scan.Finding;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pre-flight of an RDB: redis-check-rdb on the whole file where it is installed (read-only, see
 * {@link RdbCheck}), and what the verification expects afterwards — the scan's key counts per database
 * less the empty keys Redis skips, or redis-check-rdb's total when the scan could not count them (a big
 * file of RDB &lt; 7), or a reason; never a made-up 0.
 */
final class RdbPreflight {
    private RdbPreflight() {
    }

    /** Adds the checks; returns the verify step's parameters, or null when the file must not be restored. */
    static Map<String, String> check(Finding f, Path file, PlanContext ctx, Path binDir) {
        Map<String, String> expect = expectation(f);
        Path checker = RdbCheck.program(binDir);
        if (checker == null) {
            ctx.warn("rdb-check", "redis-check-rdb is not installed, so only the scan's checks of the RDB were made "
                    + "(structure, encodings, checksum where the walk reached the end).",
                    "apt install redis-tools for the full check of every key before the restore.");
            return expect;
        }
        RdbCheck.Outcome o;
        try {
            o = RdbCheck.run(checker, file, f.getSizeBytes());
        } catch (IOException e) {
            ctx.warn("rdb-check", "redis-check-rdb could not check the RDB: " + e.getMessage(), "Nothing to do; the "
                    + "scan's checks were made.");
            return expect;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return expect;
        }
        return judge(f, o, expect, ctx);
    }

    static Map<String, String> judge(Finding f, RdbCheck.Outcome o, Map<String, String> expect, PlanContext ctx) {
        if (o.ok()) {
            ctx.pass("rdb-check", "redis-check-rdb read every key of the RDB" + (o.keysRead() == null ? ""
                    : " (" + o.keysRead() + " keys)") + " and found it whole.");
            if ((!expect.containsKey("expect") || expect.containsKey("partial")) && o.keysRead() != null) {
                expect.put("expectTotal", Long.toString(o.keysRead()));
                expect.remove("unknownWhy");
            }
            return expect;
        }
        if (o.tooNew()) {
            ctx.warn("rdb-check", "This redis-check-rdb is older than the RDB and cannot check it.",
                    "Nothing to do; the target's own check on load decides.");
            return expect;
        }
        if ("empty-keys".equals(f.getDetails().get("damage")) && o.key() != null) {
            ctx.warn("rdb-check", "redis-check-rdb stops at the first empty key (" + o.problem() + "); Redis skips such "
                    + "keys on load. The scan checked the rest of the file.", "Nothing to do.");
            return expect;
        }
        ctx.fail("rdb-check", "redis-check-rdb found the RDB damaged: " + o.problem() + ". Redis refuses to load "
                + "the whole file because of it.", "Look for another copy of the file (or salvage the other keys with "
                + "an RDB tool); nothing was changed.");
        return null;
    }

    /** The verify step's expectation from the scan's details. */
    @SuppressWarnings("unchecked")
    static Map<String, String> expectation(Finding f) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Object> perDb = (Map<String, Object>) f.getDetails().get("keysPerDatabase");
        if (perDb == null) {
            out.put("unknownWhy", String.valueOf(f.getDetails().getOrDefault("keysUnknownReason",
                    "the scan did not reach the end of the RDB")));
            return out;
        }
        Map<String, Object> empty = (Map<String, Object>) f.getDetails().getOrDefault("emptyKeysPerDatabase", Map.of());
        StringBuilder expect = new StringBuilder();
        perDb.forEach((db, n) -> expect.append(db.replace("db", "")).append('=')
                .append(((Number) n).longValue() - (empty.get(db) instanceof Number e ? e.longValue() : 0)).append('\n'));
        out.put("expect", expect.toString().strip());
        if (f.getDetails().get("keys") == null) {
            out.put("partial", "true"); // RESIZEDB of the databases the walk reached
        }
        Map<String, Object> expiring = (Map<String, Object>) f.getDetails().get("keysWithExpiryPerDatabase");
        if (expiring != null) {
            StringBuilder m = new StringBuilder();
            expiring.forEach((db, n) -> m.append(db.replace("db", "")).append('=').append(n).append('\n'));
            out.put("mayExpire", m.toString().strip());
        }
        return out;
    }
}
