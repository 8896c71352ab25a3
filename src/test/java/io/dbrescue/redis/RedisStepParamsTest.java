package io.dbrescue.redis;

import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.run.TypedStep;
import io.dbrescue.testing.StepRecords;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis's typed steps against two plans --json of the jar from before the records: an RDB into a running server
 * (plan-before-typed-rdb.json: stop, safety copy, copy, start, key check against the scan's counts) and a
 * multi-part AOF into a stopped one (plan-before-typed-aof.json: working folder, AOF load, copy, start, key check
 * against the load's counts file, stop). Every step planned again from its record has the same keys, values and
 * command line.
 */
class RedisStepParamsTest {
    private static final Map<String, Class<? extends StepParams>> TYPES = Map.of(
            "redis-stop", RedisSteps.RedisStop.class, "redis-start", RedisSteps.RedisStart.class,
            "redis-aof-load", RedisSteps.RedisAofLoad.class, "redis-verify", RedisVerify.RedisKeys.class,
            "move-aside", BasicSteps.MoveAside.class, "copy-tree", BasicSteps.Copy.class,
            "make-dir", BasicSteps.MakeDir.class, "remove", BasicSteps.Remove.class);

    @Test
    void stepsPlannedFromRecordsMatchThePlansOfTheStringKeyedVersion() throws IOException {
        List<Step> rdb = StepRecords.steps(getClass(), "plan-before-typed-rdb.json");
        assertThat(rdb).extracting(Step::kind).containsExactly("redis-stop", "move-aside", "copy-tree", "redis-start",
                "redis-verify");
        StepRecords.assertRebuilds(rdb, TYPES);
        List<Step> aof = StepRecords.steps(getClass(), "plan-before-typed-aof.json");
        assertThat(aof).extracting(Step::kind).containsExactly("make-dir", "copy-tree", "redis-aof-load", "copy-tree",
                "redis-start", "redis-verify", "remove", "redis-stop");
        StepRecords.assertRebuilds(aof, TYPES);
    }

    @Test
    void recordsReadTheValuesTheOldPlansWrote() throws IOException {
        List<Step> rdb = StepRecords.steps(getClass(), "plan-before-typed-rdb.json");
        RedisSteps.RedisStop stop = rdb.get(0).params(RedisSteps.RedisStop.class);
        assertThat(stop.server()).isEqualTo(new RedisSteps.Server(Path.of("/usr/bin/redis-cli"), "127.0.0.1", 16392,
                null, "dbrescue-test"));
        assertThat(RedisSteps.restartArgv(stop.restart())).containsSubsequence("--dir", "/tmp/to-redis/tgt");
        assertThat(stop.appendonlyAfter()).isEqualTo("no");
        RedisVerify.RedisKeys keys = rdb.get(4).params(RedisVerify.RedisKeys.class);
        assertThat(RedisVerify.lines(keys.expect())).containsExactly(Map.entry("db0", 3L), Map.entry("db2", 1L));
        assertThat(keys.partial()).isNull();
        assertThat(StepRecords.plan(RedisVerify.RedisKeys.of(stop.server(), Map.of("expect", "0=3\n2=1")), "v")
                .params()).isEqualTo(rdb.get(4).params());

        List<Step> aof = StepRecords.steps(getClass(), "plan-before-typed-aof.json");
        RedisSteps.RedisAofLoad load = aof.get(2).params(RedisSteps.RedisAofLoad.class);
        RedisVerify.RedisKeys fromFile = aof.get(5).params(RedisVerify.RedisKeys.class);
        assertThat(fromFile.expectFile()).isEqualTo(load.counts());
        assertThat(load.argv()).isEqualTo(aof.get(2).argv()).contains("--appenddirname");
    }

    @Test
    void aServiceIsStoppedAndStartedBySystemctl() {
        RedisSteps.Server unit = new RedisSteps.Server(Path.of("/usr/bin/redis-cli"), "127.0.0.1", 6379,
                "redis-server.service", "redis");
        assertThat(new RedisSteps.RedisStop(unit, "[]", null).argv())
                .containsExactly("systemctl", "stop", "redis-server.service");
        assertThat(RedisSteps.RedisStart.of(unit, "no", List.of("/usr/bin/redis-server")).argv())
                .containsExactly("systemctl", "start", "redis-server.service");
        Step planned = StepRecords.plan(new RedisSteps.RedisStop(unit, "[]", "yes"), "stop");
        assertThat(planned.params()).containsEntry("service", "redis-server.service").containsEntry("port", "6379")
                .containsEntry("appendonlyAfter", "yes").doesNotContainKey("server");
        assertThat(RedisSteps.all().values()).allMatch(e -> e instanceof TypedStep<?>);
    }
}
