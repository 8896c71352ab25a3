package io.dbrescue.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsFileTest {
    @TempDir
    Path dir;

    private static Key key(String id) {
        return Keys.byId(id).orElseThrow();
    }

    @Test
    void setChangesOneValueAndKeepsCommentsAndUnknownKeys() throws Exception {
        Path f = dir.resolve("recovery.conf");
        Files.writeString(f, """
                # Settings for my workstation
                [recovery]
                # at most four at once, the disk is slow
                max_parallel_operations = 4
                my_own_note = keep me
                dry_run_mode = true

                [images]
                postgresql = postgres:{major}

                [site]
                owner = ann
                """);
        SettingsFile.set(f, key("max_parallel_operations"), "3");
        SettingsFile.set(f, key("binaries.postgresql_16"), "/usr/lib/postgresql/16/bin");
        String after = Files.readString(f);
        assertThat(after).contains("# Settings for my workstation", "# at most four at once, the disk is slow",
                "my_own_note = keep me", "[site]", "owner = ann", "dry_run_mode = true",
                "postgresql = postgres:{major}", "[binaries]", "postgresql_16 = /usr/lib/postgresql/16/bin");
        assertThat(after).containsSubsequence("# at most four at once, the disk is slow", "max_parallel_operations = 3",
                "my_own_note = keep me");
        assertThat(after).doesNotContain("max_parallel_operations = 4");
        Settings s = Settings.load(f);
        assertThat(s.maxParallelOperations()).isEqualTo(3);
        assertThat(s.problems()).extracting(Problem::key).containsExactlyInAnyOrder("my_own_note", "[site]");
    }

    @Test
    void writesAreAtomicPrivateAndLeaveNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("sub/recovery.conf");
        SettingsFile.set(f, key("chunk_size_mb"), "32");
        SettingsFile.setAll(f, Map.of(key("dry_run_mode"), "true", key("images.redis"), "redis:{major}"));
        try (var files = Files.list(f.getParent())) {
            assertThat(files).containsExactly(f);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.getParent()))).isEqualTo("rwx------");
        Settings s = Settings.load(f);
        assertThat(s.problems()).isEmpty();
        assertThat(s.chunkSizeMb()).isEqualTo(32);
        assertThat(s.dryRunMode()).isTrue();
        // a new file explains each key it holds
        assertThat(Files.readString(f)).contains("# Files are copied in pieces of this many MB (million bytes); "
                + "progress is shown and Cancel acts between pieces. Allowed: a whole number from 1 to 1024. Default: 64.");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path f = dir.resolve("recovery.conf");
        Files.writeString(f, "[recovery]\nchunk_size_mb = 8\n");
        Path blocker = dir.resolve("blocked");
        Files.createDirectory(blocker);
        Files.writeString(blocker.resolve("x"), "");
        // moving a file over a non-empty folder fails after the temporary file was written
        assertThatThrownBy(() -> SettingsFile.writeAtomically(blocker, "[recovery]\n")).isInstanceOf(java.io.IOException.class);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(f, blocker);
        }
        assertThat(Files.readString(f)).isEqualTo("[recovery]\nchunk_size_mb = 8\n");
    }

    @Test
    void setRemovesDuplicatesOfTheKeyItSets() throws Exception {
        Path f = dir.resolve("recovery.conf");
        Files.writeString(f, "[recovery]\nchunk_size_mb = 8\nchunk_size_mb = 9\n");
        SettingsFile.set(f, key("chunk_size_mb"), "10");
        Settings s = Settings.load(f);
        assertThat(s.problems()).isEmpty();
        assertThat(s.chunkSizeMb()).isEqualTo(10);
    }

    @Test
    void aFileWithASyntaxErrorIsNotRewritten() throws Exception {
        Path f = dir.resolve("recovery.conf");
        Files.writeString(f, "[recovery\nchunk_size_mb = 8\n");
        assertThatThrownBy(() -> SettingsFile.set(f, key("chunk_size_mb"), "9"))
                .hasMessage("cannot change " + f + ": " + f + ":1 is not valid INI; fix that line first "
                        + "(dbrescue config validate shows it).");
        assertThat(Files.readString(f)).isEqualTo("[recovery\nchunk_size_mb = 8\n");
    }
}
