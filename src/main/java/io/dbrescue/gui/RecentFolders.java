package io.dbrescue.gui;

import io.dbrescue.settings.AppPaths;
import io.dbrescue.settings.SettingsFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The backup folders scanned lately (newest first, at most 8), kept in the state folder between runs. */
final class RecentFolders {
    private static final Logger LOG = LoggerFactory.getLogger(RecentFolders.class);
    private static final int MAX = 8;
    private final Path file;

    RecentFolders(Path file) {
        this.file = file;
    }

    static RecentFolders atDefaultLocation() {
        return new RecentFolders(AppPaths.current().stateDir().resolve("recent-folders.txt"));
    }

    List<String> load() {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty()).limit(MAX).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Puts the folder first; a failure to write is only logged (it is a convenience). */
    void remember(String folder) {
        List<String> all = new ArrayList<>(load());
        all.remove(folder);
        all.add(0, folder);
        try {
            Files.createDirectories(file.getParent());
            SettingsFile.writeAtomically(file, String.join("\n", all.subList(0, Math.min(MAX, all.size()))) + "\n");
        } catch (IOException e) {
            LOG.warn("could not remember the recent folder in {}: {}", file, e.getMessage());
        }
    }
}
