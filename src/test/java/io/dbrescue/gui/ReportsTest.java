package io.dbrescue.gui;

import io.dbrescue.plan.BackupGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An exported report never goes into the backup (also through a link), and is its user's only (0600). */
class ReportsTest {
    @TempDir
    Path tmp;

    @Test
    void aReportInsideTheBackupIsRefusedAndOneOutsideIsPrivate() throws Exception {
        Path backup = Files.createDirectories(tmp.resolve("backup/home"));
        backup = backup.getParent();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), backup.resolve("home"));
        Path backupRoot = backup;
        assertThatThrownBy(() -> Reports.writeText("# report\n", link.resolve("report.md"), backupRoot))
                .isInstanceOf(BackupGuard.InsideBackup.class).hasMessageContaining("is inside the backup " + backup);
        try (var s = Files.walk(backup)) {
            assertThat(s.filter(Files::isRegularFile)).isEmpty();
        }
        Path out = tmp.resolve("report.md");
        Reports.writeText("# report\n", out, backup);
        assertThat(Files.readString(out)).isEqualTo("# report\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }
}
