package io.dbrescue.plan;

import io.dbrescue.machine.TargetOptions;
import io.dbrescue.testing.Cmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one rule on real folders, links and a bind mount: what counts as inside the backup, which of a
 * step's paths are checked, the FAIL check the planner gets, and the one-line refusal for loose files.
 */
class BackupGuardTest {
    @TempDir
    Path tmp;

    @Test
    void insideFollowsLinksOnBothSidesAndJudgesMissingPathsByTheirParent() throws Exception {
        Path backup = Files.createDirectories(tmp.resolve("backup/home"));
        backup = backup.getParent();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path toHome = Files.createSymbolicLink(tmp.resolve("to-home"), backup.resolve("home"));
        Path backupLink = Files.createSymbolicLink(tmp.resolve("backup-link"), backup);
        Path dangling = Files.createSymbolicLink(out.resolve("dangling.db"), backup.resolve("home/not-yet.db"));

        assertThat(BackupGuard.inside(backup.resolve("home/new/deeper/x.db"), backup)).isTrue();
        assertThat(BackupGuard.inside(backup, backup)).isTrue();
        assertThat(BackupGuard.inside(toHome.resolve("x.db"), backup)).as("a link into the backup").isTrue();
        assertThat(BackupGuard.inside(backup.resolve("home/x.db"), backupLink)).as("the backup given as a link").isTrue();
        assertThat(BackupGuard.inside(dangling, backup)).as("a dangling link into the backup").isTrue();
        assertThat(BackupGuard.inside(out.resolve("../backup/home/x"), backup)).isTrue();
        assertThat(BackupGuard.inside(out.resolve("x.db"), backup)).isFalse();
        assertThat(BackupGuard.inside(tmp.resolve("backup-other/x.db"), backup)).as("a sibling with the same prefix").isFalse();
        assertThat(BackupGuard.inside(tmp, backup)).as("a folder holding the backup is not inside it").isFalse();
    }

    @Test
    void aBindMountOfTheBackupIsRecognised() throws Exception {
        Path backup = Files.createDirectories(tmp.resolve("backup"));
        Path mount = Files.createDirectories(tmp.resolve("mnt"));
        Cmd.run(List.of("mount", "--bind", backup.toString(), mount.toString()));
        try {
            assertThat(BackupGuard.inside(mount.resolve("new/x.db"), backup)).isTrue();
        } finally {
            Cmd.run(List.of("umount", mount.toString()));
        }
    }

    private PlanContext ctx(Path backup) {
        RecoveryRequest req = new RecoveryRequest(backup, List.of("a.db"), Strategy.AUTO, TargetOptions.NONE,
                RecoveryRequest.Conflict.ASK, 1, true, false);
        PlanContext ctx = new PlanContext(req, "a.db", 1, "RUN");
        ctx.pass("disk-space", "fine");
        return ctx;
    }

    @Test
    void theFailCheckComesFirstAndNamesEveryKindOfPath() throws Exception {
        Path backup = Files.createDirectories(tmp.resolve("backup"));
        PlanContext ctx = ctx(backup);
        ctx.step("copy-tree", "copy").param("source", backup.resolve("a.db")).param("target", tmp.resolve("ok.db")).add();
        ctx.step("exec", "a server's log").argv(List.of("server", "--log", backup.resolve("s.log").toString()))
                .writesTo(backup.resolve("s.log")).add();
        ctx.step("move-aside", "a folder that holds the backup").param("path", tmp).param("safety", tmp + ".old").add();
        ctx.step("pg-start", "a socket next to the backup is fine").param("socketDir", tmp).add();
        BackupGuard.check(ctx);
        Check first = ctx.checks().get(0);
        assertThat(first.name()).isEqualTo("backup-read-only");
        assertThat(first.level()).isEqualTo(Check.Level.FAIL);
        assertThat(first.message()).contains(backup.resolve("s.log").toString())
                .contains(tmp + " (holds the backup)").doesNotContain("ok.db").doesNotContain("a.db");
        assertThat(first.fix()).contains("outside " + backup);
        assertThat(ctx.checks()).hasSize(2);
    }

    @Test
    void aPlanThatStaysOutsideGetsNoCheck() throws Exception {
        Path backup = Files.createDirectories(tmp.resolve("backup"));
        PlanContext ctx = ctx(backup);
        ctx.step("copy-tree", "copy").param("source", backup.resolve("a.db")).param("target", tmp.resolve("ok.db")).add();
        ctx.step("pg-start", "socket").param("socketDir", tmp).param("dataDir", tmp.resolve("data")).add();
        ctx.step("redis-start", "a server writing files into a folder above the backup").writesTo(tmp).add();
        BackupGuard.check(ctx);
        assertThat(ctx.checks()).extracting(Check::name).containsExactly("disk-space");
    }

    @Test
    void looseFilesAreRefusedInOneLine() throws Exception {
        Path backup = Files.createDirectories(tmp.resolve("backup"));
        assertThatThrownBy(() -> BackupGuard.requireOutside(backup, backup.resolve("report.md"), "The report"))
                .isInstanceOf(BackupGuard.InsideBackup.class)
                .hasMessage("The report " + backup.resolve("report.md") + " is inside the backup " + backup
                        + ", which dbrescue never writes to; give a path outside it.");
        BackupGuard.requireOutside(backup, tmp.resolve("report.md"), "The report");
        BackupGuard.requireOutside(null, backup.resolve("x"), "no backup known");
    }
}
