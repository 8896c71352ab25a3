package io.dbrescue.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** JavaFX's reasons for not opening the window, in the words of the person who has to fix them. */
class WindowStartProblemTest {
    @Test
    void aMissingGtkNamesThePackageToInstall() {
        // what JavaFX 21 throws when libgtk-3.so.0 cannot be loaded (seen with LD_LIBRARY_PATH at a broken copy)
        String line = WindowStartProblem.message("Unable to load glass GTK library.", ":0");
        assertThat(line).isEqualTo("the window needs the GTK 3 library (libgtk-3.so.0), which could not be loaded. "
                + "Install it (Debian, Ubuntu: sudo apt-get install libgtk-3-0; Fedora: sudo dnf install gtk3), or use "
                + "the command line: dbrescue scan BACKUP_DIR (see dbrescue --help).");
        assertThat(line).doesNotContain("DISPLAY").doesNotContain("\n");
    }

    @Test
    void aDisplayThatCannotBeOpenedIsASessionProblem() {
        assertThat(WindowStartProblem.message("Unable to open DISPLAY", ":7")).startsWith("the display :7 cannot be "
                + "opened, so the window cannot open. Check DISPLAY").doesNotContain("libgtk");
    }

    @Test
    void anythingElseIsQuotedWithTheWayOut() {
        assertThat(WindowStartProblem.message("no suitable pipeline found", ":0")).isEqualTo("the window cannot open "
                + "(no suitable pipeline found). Or use the command line: dbrescue scan BACKUP_DIR (see dbrescue --help).");
    }
}
