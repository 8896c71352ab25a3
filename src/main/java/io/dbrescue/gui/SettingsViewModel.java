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
            return !String.valueOf(value.get()).equals(saved);
        }
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

    /** Whether every value is allowed (saving is blocked otherwise). */
    public boolean valid() {
        return rows.stream().allMatch(r -> r.problem.get().isEmpty());
    }

    /** Writes the changed keys; returns false (and says why) when a value is not allowed or the write fails. */
    public boolean save() {
        if (!valid()) {
            Row bad = rows.stream().filter(r -> !r.problem.get().isEmpty()).findFirst().orElseThrow();
            message.set("Not saved: " + bad.key.id() + ": " + bad.problem.get());
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
        message.set("Saved " + changed.size() + " setting(s) to " + file + ".");
        return true;
    }
}
