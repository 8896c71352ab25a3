package io.dbrescue.text;

import java.util.Locale;

/**
 * Byte counts in the units people read: powers of 1000 with kB, MB, GB…, as file managers and {@code df -H}
 * say, so a size dbrescue prints is the size the user sees next to the file. One decimal below 10
 * ("8.2 kB", "1.5 GB"), none from 10 on ("52 MB", "320 GB").
 */
public final class Sizes {
    private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB", "EB"};

    private Sizes() {
    }

    /** "512 bytes", "8.2 kB", "52 MB", "1.5 GB". */
    public static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " bytes";
        }
        double v = bytes / 1000.0;
        int unit = 0;
        // 999 950 bytes rounds to "1000 kB" at no decimals: the next unit says it better
        while (v >= 999.5 && unit < UNITS.length - 1) {
            v /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, v < 9.95 ? "%.1f %s" : "%.0f %s", v, UNITS[unit]);
    }
}
