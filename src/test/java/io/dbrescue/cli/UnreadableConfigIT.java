package io.dbrescue.cli;

import io.dbrescue.testing.Jar;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** A settings file the user cannot read: a clear error and exit 2 (run as the unprivileged test user, since root reads anything). */
class UnreadableConfigIT {
    private Path dir;

    @AfterEach
    void cleanUp() {
        if (dir != null) {
            TestUser.delete(dir);
        }
    }

    @Test
    void anUnreadableFileSaysWhyAndHowToFixIt() throws Exception {
        dir = TestUser.newDir("conf");
        Path file = dir.resolve("recovery.conf");
        Files.writeString(file, "[recovery]\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        Jar.Run run = Jar.runAsTestUser("config", "validate", file.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).contains("dbrescue: cannot read " + file + ": permission denied. Make it readable "
                + "(chmod 600 " + file + " as its owner) or use another file with --config FILE.");
    }
}
