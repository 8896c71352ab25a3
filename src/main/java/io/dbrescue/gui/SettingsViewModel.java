package io.dbrescue.gui;

import io.dbrescue.settings.Key;
import io.dbrescue.settings.Keys;
import io.dbrescue.settings.Settings;
import io.dbrescue.settings.SettingsFile;
import io.dbrescue.settings.SettingsReadException;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Settings page over recovery.conf (the same model as {@code dbrescue config}): one row per key
 * with its value, where it comes from, what is allowed and, while editing, what is wrong with it.
 * Saving writes only the changed keys, in place (comments and unknown keys survive), atomically.
 */
public final class SettingsViewModel {
    private final Path file;
    private final List<Row> rows = new ArrayList<>();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    /** One key: its value being edited, and the problem with it (empty when fine). */
    public static final class Row {
        public final Key key;
        public final StringProperty value = new SimpleStringProperty();
        private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
        private String saved;
        private String source;

        Row(Key key) {
            this.key = key;
            value.addListener((o, a, b) -> problem.set(check(b)));
        }

        private String check(String text) {
            try {
                key.parse(text == null ? "" : text);
                return "";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }

        public ReadOnlyStringProperty problem() {
            return problem.getReadOnlyProperty();
        }

        public String source() {
            return source;
        }

        boolean changed() {
            return !String.valueOf(value.get()).strip().equals(saved == null ? "null" : saved.strip());
        }
    }

    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry("backup_path", "Backup folder to start from"),
            Map.entry("auto_detect_databases", "Scan the backup folder as soon as it is chosen"),
            Map.entry("preferred_migration_strategy", "Preferred way to restore"),
            Map.entry("enable_progress_tracking", "Show progress, speed and time left"),
            Map.entry("backup_existing_data", "Keep a safety copy of what is replaced"),
            Map.entry("dry_run_mode", "Dry run only (change nothing)"),
            Map.entry("require_confirmation", "Ask before changing anything"),
            Map.entry("max_parallel_operations", "Jobs at once"),
            Map.entry("timeout_seconds", "Time limit of one step (seconds)"),
            Map.entry("chunk_size_mb", "Size of the pieces files are copied in (MB)"),
            Map.entry("log_level", "Messages on the console"),
            Map.entry("enable_metrics", "Serve Prometheus metrics while a recovery runs"),
            Map.entry("metrics_port", "Metrics port"),
            Map.entry("run_as_user", "System user that runs restored servers"),
            Map.entry("images.postgresql", "Container image for old PostgreSQL"),
            Map.entry("images.mariadb", "Container image for old MariaDB"),
            Map.entry("images.mysql", "Container image for old MySQL"),
            Map.entry("images.redis", "Container image for old Redis"),
            Map.entry("images.mongodb", "Container image for old MongoDB"),
            Map.entry("images.postgresql_upgrade", "Image with two PostgreSQL versions (pg_upgrade)"),
            Map.entry("images.postgresql_extensions", "Images with PostgreSQL extensions"));

    /** A setting's name in words (its key goes in the tooltip). */
    public static String title(Key key) {
        String t = TITLES.get(key.id());
        if (t != null) {
            return t;
        }
        String words = key.name().replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** A choice in words: "container_based" reads "through a container". */
    public static String choice(String value) {
        return switch (value) {
            case "direct" -> "Direct copy";
            case "container_based" -> "Through a container";
            case "dump_restore" -> "Dump and restore";
            case "error" -> "Errors only";
            case "warn" -> "Warnings and errors";
            case "info" -> "Information";
            case "debug" -> "Debugging details";
            case "trace" -> "Everything (trace)";
            default -> value;
        };
    }

    public SettingsViewModel(Path file) {
        this.file = file;
        for (Key k : Keys.all()) {
            rows.add(new Row(k));
        }
        reload();
    }

    public List<Row> rows() {
        return rows;
    }

    public Path file() {
        return file;
    }

    /** What the last load or save said ("Saved 2 settings to …", or the file's problems). */
    public ReadOnlyStringProperty message() {
        return message.getReadOnlyProperty();
    }

    /** Reads the file again; values that cannot be read show their default and the reason. */
    public void reload() {
        Settings s;
        try {
            s = Settings.load(file);
            message.set(s.isValid() ? (s.fileExists() ? "Read from " + file : "No settings file yet: these are the "
                    + "defaults; saving creates " + file) : "The file has problems: " + s.problems());
        } catch (SettingsReadException e) {
            s = Settings.defaults(file);
            message.set(e.getMessage());
        }
        for (Row r : rows) {
            Settings.Value v = s.values().get(r.key.id());
            r.saved = v == null ? r.key.defaultValue() : v.raw();
            r.source = v == null ? "default" : v.source().toString();
            r.value.set(r.saved);
        }
    }

    /** Whether a value differs from what the file holds (leaving then asks: Save, Discard or Stay). */
    public boolean unsaved() {
        return rows.stream().anyMatch(Row::changed);
    }

    /** How many values differ from the file. */
    public long unsavedCount() {
        return rows.stream().filter(Row::changed).count();
    }

    /** Whether every value is allowed (saving is blocked otherwise). */
    public boolean valid() {
        return rows.stream().allMatch(r -> r.problem.get().isEmpty());
    }

    /** Writes the changed keys; returns false (and says why) when a value is not allowed or the write fails. */
    public boolean save() {
        if (!valid()) {
            Row bad = rows.stream().filter(r -> !r.problem.get().isEmpty()).findFirst().orElseThrow();
            message.set("Not saved: " + title(bad.key) + " (" + bad.key.id() + "): " + bad.problem.get());
            return false;
        }
        Map<Key, String> changed = new LinkedHashMap<>();
        rows.stream().filter(Row::changed).forEach(r -> changed.put(r.key, r.value.get().strip()));
        if (changed.isEmpty()) {
            message.set("Nothing changed.");
            return true;
        }
        try {
            SettingsFile.setAll(file, changed);
        } catch (IOException e) {
            message.set("Not saved: " + e.getMessage());
            return false;
        }
        reload();
        message.set("Saved " + (changed.size() == 1 ? "1 setting" : changed.size() + " settings") + " to " + file + ".");
        return true;
    }
}
