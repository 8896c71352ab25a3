package io.dbrescue.gui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Recent folders survive a restart: newest first, no duplicates, at most 8. */
class RecentFoldersTest {
    @TempDir
    Path dir;

    @Test
    void newestFirstWithoutDuplicatesAtMostEight() {
        RecentFolders r = new RecentFolders(dir.resolve("state/recent-folders.txt"));
        assertThat(r.load()).isEmpty();
        for (int i = 1; i <= 10; i++) {
            r.remember("/media/backup" + i);
        }
        r.remember("/media/backup5");
        RecentFolders again = new RecentFolders(dir.resolve("state/recent-folders.txt"));
        assertThat(again.load()).hasSize(8).startsWith("/media/backup5", "/media/backup10", "/media/backup9")
                .doesNotHaveDuplicates();
    }
}
