package io.dbrescue.scan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The words for a scan that found nothing: what was looked at, the mounted-disk question, what was skipped. */
class EmptyScanTest {
    private static ScanResult result(long files, long dirs, List<ScanWarning> warnings) {
        return new ScanResult("/media/backup", List.of(), warnings, new ScanStats(files, dirs, 12));
    }

    @Test
    void anEmptyFolderAsksWhetherTheDiskIsMounted() {
        ScanResult r = result(0, 1, List.of());
        assertThat(EmptyScan.headline(r)).isEqualTo("/media/backup is empty: there is nothing in it to look at.");
        assertThat(EmptyScan.explain(r)).contains("Is the backup disk mounted? The folder a disk is mounted on stays "
                + "empty until it is.").endsWith(EmptyScan.LOOKS_FOR);
    }

    @Test
    void aFolderWithoutDatabasesCountsWhatWasLookedAtInWords() {
        assertThat(EmptyScan.headline(result(1, 1, List.of())))
                .isEqualTo("No database found in /media/backup: dbrescue looked at 1 file in 1 folder.");
        assertThat(EmptyScan.headline(result(12_345, 678, List.of())))
                .isEqualTo("No database found in /media/backup: dbrescue looked at 12,345 files in 678 folders.");
        assertThat(EmptyScan.explain(result(2, 3, List.of()))).contains("Is the backup disk mounted, and is this the "
                + "folder that holds the copy of the old system");
    }

    @Test
    void whatWasSkippedIsNamedBecauseItMayBeWhereTheDatabasesAre() {
        List<ScanWarning> skipped = List.of(new ScanWarning("var/lib/postgresql", "cannot be read (permission denied)"),
                new ScanWarning("a", "x"), new ScanWarning("b", "y"), new ScanWarning("c", "z"), new ScanWarning("d", "w"));
        String text = EmptyScan.explain(result(0, 1, skipped));
        // an unreadable folder is not an empty one
        assertThat(text).startsWith("No database found in /media/backup: dbrescue looked at 0 files in 1 folder.")
                .contains("5 items were skipped:\n• var/lib/postgresql: cannot be read (permission denied)\n• a: x\n• b: y\n• and 2 more");
        assertThat(EmptyScan.explain(result(0, 2, skipped.subList(0, 1)))).contains("1 item was skipped:");
    }
}
