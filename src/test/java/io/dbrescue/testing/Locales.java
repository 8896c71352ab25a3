package io.dbrescue.testing;

import java.util.List;

/**
 * The locales users' clusters are made with: a fresh machine has only C, C.UTF-8 and POSIX, so tests that make
 * clusters with en_US.UTF-8 or de_DE.UTF-8 compile them first (as `locales` + localedef would; .ci/run does it
 * too). Needs root and Debian's `locales` package.
 */
public final class Locales {
    public static final String EN_US = "en_US.UTF-8";
    public static final String DE_DE = "de_DE.UTF-8";
    private static boolean ensured;

    private Locales() {
    }

    public static synchronized void ensure() {
        if (ensured) {
            return;
        }
        String have = Cmd.run(List.of("locale", "-a")).toLowerCase(java.util.Locale.ROOT);
        for (String name : List.of("en_US", "de_DE")) {
            if (!have.contains(name.toLowerCase(java.util.Locale.ROOT) + ".utf8")) {
                Cmd.run(List.of("localedef", "-i", name, "-f", "UTF-8", name + ".UTF-8"));
            }
        }
        ensured = true;
    }
}
