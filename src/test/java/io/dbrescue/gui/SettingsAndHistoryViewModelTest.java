package io.dbrescue.gui;

import io.dbrescue.history.History;
import io.dbrescue.history.Outcome;
import io.dbrescue.history.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The Settings and History pages' view-models, with plain JUnit: real files, no window. */
class SettingsAndHistoryViewModelTest {
    @TempDir
    Path dir;

    private SettingsViewModel.Row row(SettingsViewModel vm, String id) {
        return vm.rows().stream().filter(r -> r.key.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void settingsAreEditedCheckedAndSavedInPlace() throws Exception {
        Path file = dir.resolve("recovery.conf");
        Files.writeString(file, "# my notes stay\n[recovery]\nmax_parallel_operations = 4\nmy_own_key = kept\n");
        SettingsViewModel vm = new SettingsViewModel(file);
        assertThat(row(vm, "max_parallel_operations").value.get()).isEqualTo("4");
        assertThat(row(vm, "max_parallel_operations").source()).contains("recovery.conf:3");
        assertThat(row(vm, "dry_run_mode").source()).isEqualTo("default");

        row(vm, "max_parallel_operations").value.set("12");
        assertThat(row(vm, "max_parallel_operations").problem().get()).contains("1").contains("8");
        assertThat(vm.save()).isFalse();
        assertThat(vm.message().get()).startsWith("Not saved: Jobs at once (max_parallel_operations)");
        assertThat(Files.readString(file)).contains("max_parallel_operations = 4");

        row(vm, "max_parallel_operations").value.set("6");
        row(vm, "dry_run_mode").value.set("true");
        assertThat(vm.save()).isTrue();
        String text = Files.readString(file);
        assertThat(text).contains("# my notes stay").contains("my_own_key").contains("max_parallel_operations = 6")
                .contains("dry_run_mode = true");
        assertThat(vm.message().get()).startsWith("Saved 2 settings");
        assertThat(new SettingsViewModel(file).rows().stream().filter(r -> r.key.id().equals("dry_run_mode"))
                .findFirst().orElseThrow().value.get()).isEqualTo("true");
    }

    /**
     * The Settings page speaks the window's one unit system (kB, MB, GB: powers of 1000, as {@code Sizes} says every
     * size) and plain words: no MiB / KiB / GiB, no upper-case KB, no "ETA" in a setting's name or its help.
     */
    @Test
    void everySettingIsNamedInTheWindowsUnitsAndPlainWords() throws Exception {
        SettingsViewModel vm = new SettingsViewModel(dir.resolve("recovery.conf"));
        java.util.regex.Pattern jargon = java.util.regex.Pattern.compile("\\b(MiB|KiB|GiB|TiB|KB|ETA)\\b");
        assertThat(vm.rows()).isNotEmpty().allSatisfy(r -> assertThat(SettingsViewModel.title(r.key) + " — "
                + r.key.description()).as(r.key.id()).doesNotContainPattern(jargon));
        assertThat(SettingsViewModel.title(row(vm, "chunk_size_mb").key)).endsWith("(MB)");
        // the number the page says is the number used: 64 MB are 64,000,000 bytes, as Sizes.human says them
        assertThat(io.dbrescue.text.Sizes.human(io.dbrescue.settings.Settings.load(dir.resolve("recovery.conf"))
                .chunkSizeBytes())).isEqualTo("64 MB");
    }

    @Test
    void historyShowsRecentRunsAndPerEngineRates() throws Exception {
        History h = new History(dir.resolve("history.jsonl"));
        HistoryViewModel empty = new HistoryViewModel(h);
        assertThat(empty.message()).startsWith("No recoveries yet");
        h.record(new RunRecord("r1", Instant.now(), "postgresql", "direct", "var/lib/pg", 1000, 2000, Outcome.SUCCESS, null));
        h.record(new RunRecord("r2", Instant.now(), "postgresql", "dump-restore", "dumps/a.dump", 10, 4000,
                Outcome.FAILED, "auth"));
        HistoryViewModel vm = new HistoryViewModel(h);
        assertThat(vm.recent()).hasSize(2);
        assertThat(vm.stats()).singleElement().satisfies(s ->
                assertThat(HistoryViewModel.line(s)).isEqualTo("PostgreSQL: 1 of 2 restored (50 %), 2.0 s on average"));
    }
}
