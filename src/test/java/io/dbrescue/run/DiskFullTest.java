package io.dbrescue.run;

import io.dbrescue.cli.CliRun;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target on a small filesystem (a real 4 MB tmpfs, mounted by the test — the tests run as root):
 * the pre-flight sees it is too small and stops before anything changes; and when the disk fills up
 * during a copy anyway (space taken after the plan), the step fails with "the disk filled up", the
 * partial copy is removed and what was there before is back.
 */
class DiskFullTest {
    @TempDir
    Path tmp;
    Path small;

    @BeforeEach
    void mountSmallDisk() {
        small = tmp.resolve("small");
        Cmd.run(List.of("mkdir", "-p", small.toString()));
        Cmd.run(List.of("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString()));
        System.setProperty("dbrescue.state.dir", tmp.resolve("state").toString());
    }

    @AfterEach
    void unmount() {
        System.clearProperty("dbrescue.state.dir");
        Cmd.run(List.of("umount", small.toString()));
    }

    @Test
    void thePreflightRefusesATargetThatIsTooSmall() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("backup/app"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + app.resolve("big.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE blobs (b BLOB)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO blobs VALUES (?)")) {
                for (int i = 0; i < 10; i++) {
                    p.setBytes(1, new byte[1 << 20]);
                    p.executeUpdate();
                }
            }
        }
        Map<String, String> before = Trees.snapshot(small);
        CliRun r = CliRun.run(tmp, "recover", tmp.resolve("backup").toString(), "--select", "app/big.db",
                "--target-data", small.toString(), "--yes");
        assertThat(r.exit).as(r.toString()).isEqualTo(4);
        assertThat(r.out).contains("[fail] disk-space");
        assertThat(Trees.snapshot(small)).isEqualTo(before);
    }

    @Test
    void aDiskThatFillsUpDuringTheCopyIsRolledBack() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("backup/data"));
        for (int i = 0; i < 6; i++) {
            Files.write(source.resolve("part" + i), new byte[1 << 20]); // 6 MB into a 4 MB disk
        }
        Path data = small.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("what-was-there"), "the old data");
        Path safety = small.resolve("data.before");
        RecoveryRequest req = new RecoveryRequest(tmp.resolve("backup"), List.of("data"), Strategy.DIRECT,
                TargetOptions.NONE, RecoveryRequest.Conflict.ASK, 1, true, false);
        PlanContext ctx = new PlanContext(req, "data", 1);
        ctx.step("move-aside", "Move the existing data aside").param("path", data).param("safety", safety).add();
        ctx.step("copy-tree", "Copy the data").param("source", source).param("target", data).bytes(6 << 20).add();
        Plan plan = new Plan("disk-full-" + System.nanoTime(), "now", req, List.of(), List.of(), ctx.steps());

        RunResult result = io.dbrescue.Engines.runner().run(plan, e -> { });

        RunResult.GroupResult g = result.groups().get(0);
        assertThat(g.outcome()).isEqualTo(Journal.Outcome.FAILED);
        assertThat(g.errorKind()).isEqualTo("disk-full");
        assertThat(g.message()).contains("filled up");
        assertThat(g.fix()).contains("Free space");
        assertThat(Files.readString(data.resolve("what-was-there"))).isEqualTo("the old data");
        try (var files = Files.list(small)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("data");
        }
        try (var files = Files.list(data)) {
            assertThat(files.count()).isEqualTo(1);
        }
    }

}
