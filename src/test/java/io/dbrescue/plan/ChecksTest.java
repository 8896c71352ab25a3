package io.dbrescue.plan;

import io.dbrescue.machine.TargetOptions;
import io.dbrescue.run.OsUsers;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks every engine's planner shares, each with the answer it must give. */
class ChecksTest {
    @TempDir
    Path tmp;

    private static PlanContext ctx() {
        RecoveryRequest req = new RecoveryRequest(Path.of("/nonexistent-backup"), List.of("x"), Strategy.AUTO,
                TargetOptions.NONE, RecoveryRequest.Conflict.ASK, 1, true, false);
        return new PlanContext(req, "x", 1, "RUN");
    }

    private static Check only(PlanContext ctx) {
        assertThat(ctx.checks()).hasSize(1);
        return ctx.checks().get(0);
    }

    @Test
    void diskSpaceFailsWhenTheCopyCannotFitAndPassesWhenItCan() {
        PlanContext big = ctx();
        Checks.diskSpace(big, tmp.resolve("not/yet"), Long.MAX_VALUE / 4);
        assertThat(only(big).level()).isEqualTo(Check.Level.FAIL);
        assertThat(only(big).message()).contains("free; the copy needs");
        PlanContext small = ctx();
        Checks.diskSpace(small, tmp, 1024);
        assertThat(only(small).level()).isEqualTo(Check.Level.PASS);
    }

    @Test
    void aPortHeldByAProgramFailsAFreeOnePasses() throws IOException {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PlanContext busy = ctx();
            assertThat(Checks.portFree(busy, held.getLocalPort())).isFalse();
            assertThat(only(busy).name()).isEqualTo("port");
            int port = held.getLocalPort();
            held.close();
            PlanContext free = ctx();
            assertThat(Checks.portFree(free, port)).isTrue();
            assertThat(free.checks()).isEmpty();
        }
    }

    @Test
    void aServerNeverRunsAsRootNorAsAUserThatIsNotThere() {
        TestUser.ensure();
        PlanContext asRoot = ctx();
        assertThat(Checks.serverUser(asRoot, "root", true, "MariaDB/MySQL", "create it")).isFalse();
        assertThat(only(asRoot).message()).isEqualTo("MariaDB/MySQL must not run as root.");
        PlanContext missing = ctx();
        assertThat(Checks.serverUser(missing, "no-such-user-dbrescue", true, "MariaDB/MySQL", "create it")).isFalse();
        assertThat(only(missing).fix()).isEqualTo("create it");
        PlanContext fine = ctx();
        assertThat(Checks.serverUser(fine, TestUser.NAME, true, "MariaDB/MySQL", "create it")).isTrue();
        assertThat(fine.checks()).isEmpty();
    }

    @Test
    void onlyRootGivesFilesToAnotherUser() {
        PlanContext notRoot = ctx();
        assertThat(Checks.mayGive(notRoot, "someone-else", false, "the file")).isFalse();
        assertThat(only(notRoot).name()).isEqualTo("permission");
        assertThat(Checks.mayGive(ctx(), OsUsers.me(), false, "the file")).isTrue();
        assertThat(Checks.mayGive(ctx(), "someone-else", true, "the file")).isTrue();
    }

    @Test
    void theCopysOwnerIsAnExistingUserOtherThanRoot() {
        TestUser.ensure();
        PlanContext rootOwner = ctx();
        assertThat(Checks.copyOwner(rootOwner, "root", true, "MariaDB 10.6", "mysql")).isNull();
        assertThat(only(rootOwner).message()).contains("must not run as root");
        PlanContext owner = ctx();
        OsUsers.Ids ids = Checks.copyOwner(owner, TestUser.NAME, true, "MariaDB 10.6", "mysql");
        assertThat(ids).isNotNull();
        assertThat(ids.uid()).isPositive();
        assertThat(only(owner).level()).isEqualTo(Check.Level.PASS);
    }
}
