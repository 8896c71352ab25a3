package io.dbrescue.gui;

import io.dbrescue.settings.AppPaths;
import io.dbrescue.settings.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The settings the window works with, read once (defaults when the file cannot be read: the CLI explains why). */
final class AppSettings {
    private static final Logger LOG = LoggerFactory.getLogger(AppSettings.class);
    private static volatile Settings current;

    private AppSettings() {
    }

    /** Uses these settings from now on (tests; a window whose settings were changed elsewhere). */
    static void use(Settings settings) {
        current = settings;
    }

    static Settings current() {
        Settings s = current;
        if (s == null) {
            try {
                s = Settings.load();
            } catch (Exception e) {
                LOG.warn("settings not read, using the defaults: {}", e.getMessage());
                s = Settings.defaults(AppPaths.current().configFile());
            }
            current = s;
        }
        return s;
    }
}
