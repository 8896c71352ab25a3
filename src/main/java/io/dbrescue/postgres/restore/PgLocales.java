package io.dbrescue.postgres.restore;

import io.dbrescue.container.ImageFacts;
import io.dbrescue.container.LocaleImage;
import io.dbrescue.container.LocaleName;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.scan.Finding;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The locales an old PostgreSQL cluster needs wherever a server opens its databases — from the catalog facts the
 * scan read out of the backup (template0's and each database's LC_COLLATE and LC_CTYPE, the locale provider) —
 * and the pre-flight checks that they are there: in the old server's image (made there when missing, see
 * {@link LocaleImage}), on this machine when the upgraded cluster runs here, and in the target server when the
 * dump path creates databases with them there. A server opens a database only when both of its locales exist
 * in its C library, whatever its provider (ICU databases too).
 */
final class PgLocales {
    private PgLocales() {
    }

    /** Every locale name of the cluster (template0's and each database's collate and ctype) to its encoding. */
    static Map<String, String> wanted(Finding f) {
        Map<String, String> out = new TreeMap<>();
        add(out, f.getDetails());
        for (Map<?, ?> db : databaseLocales(f).values()) {
            add(out, db);
        }
        return out;
    }

    /** The locales of these databases only (those the dump path creates in the target). */
    static Map<String, String> ofDatabases(Finding f, Collection<String> dbs) {
        Map<String, String> out = new TreeMap<>();
        Map<String, Map<?, ?>> all = databaseLocales(f);
        for (String db : dbs) {
            Map<?, ?> m = all.get(db);
            if (m != null) {
                add(out, m);
            }
        }
        return out;
    }

    /** The databases (template0 as "template0") whose locale provider is ICU. */
    static List<String> icuDatabases(Finding f) {
        List<String> out = new ArrayList<>();
        if ("icu".equals(f.getDetails().get("localeProvider"))) {
            out.add("template0");
        }
        databaseLocales(f).forEach((db, m) -> {
            if ("icu".equals(m.get("localeProvider"))) {
                out.add(db);
            }
        });
        return out;
    }

    private static void add(Map<String, String> out, Map<?, ?> m) {
        Object encoding = m.get("encoding");
        for (String key : List.of("lcCollate", "lcCtype")) {
            Object v = m.get(key);
            if (v != null && !LocaleName.builtIn(String.valueOf(v))) {
                out.putIfAbsent(String.valueOf(v), encoding == null ? null : String.valueOf(encoding));
            }
        }
    }

    private static Map<String, Map<?, ?>> databaseLocales(Finding f) {
        Map<String, Map<?, ?>> out = new LinkedHashMap<>();
        if (f.getDetails().get("databaseLocales") instanceof Map<?, ?> dbs) {
            dbs.forEach((k, v) -> {
                if (v instanceof Map<?, ?> m) {
                    out.put(String.valueOf(k), m);
                }
            });
        }
        return out;
    }

    /**
     * The image the old server (or pg_upgrade's programs) run in, with the locales the cluster uses: the
     * configured image, or the derived one a {@code container-locales} step makes (planned by
     * {@link #planImageStep}). Adds the pre-flight checks of the locales and of ICU.
     */
    static LocaleImage.Decision forImage(PlanContext ctx, Finding f, String image, String what) {
        LocaleImage.Decision d = LocaleImage.check(ctx, image, wanted(f), what);
        List<String> icu = icuDatabases(f);
        if (!icu.isEmpty() && d.facts() != null && !d.facts().icu()) {
            ctx.fail("icu", "The database(s) " + String.join(", ", icu) + " use ICU collations (locale provider icu), and "
                    + "the image " + image + " has no ICU library: its PostgreSQL cannot open them.",
                    "Name an image whose PostgreSQL is built with ICU in the settings (images.postgresql; the official "
                            + "postgres images are), then run again; nothing was changed.");
        } else if (!icu.isEmpty() && d.facts() != null) {
            ctx.pass("icu", "The database(s) " + String.join(", ", icu) + " use ICU collations; the image " + image
                    + " has an ICU library.");
        }
        return d;
    }

    /** The {@code container-locales} step of {@link #forImage}'s decision (none when the image has them all). */
    static void planImageStep(PlanContext ctx, Finding f, LocaleImage.Decision d, String what) {
        LocaleImage.planStep(ctx, d, wanted(f), what);
    }

    /** This machine must have the locales: the upgraded cluster (and, without an image, pg_upgrade) runs here. */
    static void checkHost(PlanContext ctx, Finding f, String why) {
        Map<String, String> wanted = wanted(f);
        if (wanted.isEmpty()) {
            return;
        }
        ImageFacts host = ImageFacts.host();
        if (host == null) {
            ctx.warn("locales-here", why + "; dbrescue could not list this machine's locales (locale -a) to check that it "
                    + "has " + String.join(", ", wanted.keySet()) + ".", "Check with locale -a that they are listed.");
            return;
        }
        List<String> missing = wanted.keySet().stream().filter(n -> !host.has(n)).toList();
        if (missing.isEmpty()) {
            ctx.pass("locales-here", why + "; this machine has the locale(s) the databases use: "
                    + String.join(", ", wanted.keySet()) + ".");
            return;
        }
        ctx.fail("locales-here", why + ", and this machine lacks the locale(s) " + String.join(", ", missing)
                + " that databases use: PostgreSQL cannot open a database whose locale is missing.", addHere(missing, wanted)
                + " Then run again; nothing was changed.");
    }

    /** sudo localedef -i de_DE -f UTF-8 de_DE.UTF-8 for each, or the distribution's way. */
    static String addHere(List<String> missing, Map<String, String> wanted) {
        List<String> cmds = new ArrayList<>();
        for (String n : missing) {
            LocaleName l = LocaleName.parse(n, wanted.get(n));
            cmds.add(l == null ? "(" + n + ": no localedef name)" : "sudo localedef " + String.join(" ", l.localedefArgs(null)));
        }
        return "Add them: " + String.join("; ", cmds) + " (Debian/Ubuntu: or sudo dpkg-reconfigure locales and tick them; "
                + "the sources come with the locales package).";
    }

    /**
     * The target server must know the locales of the databases the dump path creates there (CREATE DATABASE ...
     * LOCALE): asked of the server itself — CREATE COLLATION in pg_temp, rolled back, fails for a locale its C
     * library lacks.
     */
    static void checkTarget(PlanContext ctx, PgRestoreTarget t, Map<String, String> locales) {
        if (locales.isEmpty()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        try (Connection c = t.connect("postgres")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String name : locales.keySet()) {
                    if (LocaleName.parse(name, locales.get(name)) == null && !name.matches("[A-Za-z0-9_.@ -]+")) {
                        missing.add(name);
                        continue;
                    }
                    try {
                        s.execute("SAVEPOINT dbrescue_locale");
                        s.execute("CREATE COLLATION pg_temp.dbrescue_locale_check (provider = libc, locale = '"
                                + name.replace("'", "''") + "')");
                        s.execute("ROLLBACK TO SAVEPOINT dbrescue_locale");
                    } catch (SQLException e) {
                        s.execute("ROLLBACK TO SAVEPOINT dbrescue_locale");
                        missing.add(name);
                    }
                }
            }
            c.rollback();
        } catch (SQLException e) {
            ctx.warn("target-locales", "Could not ask " + t.where() + " whether it has the locale(s) "
                    + String.join(", ", locales.keySet()) + " (" + PgRestoreTarget.firstLine(String.valueOf(e.getMessage()))
                    + ").", "If one is missing there, creating that database fails and is rolled back.");
            return;
        }
        if (missing.isEmpty()) {
            ctx.pass("target-locales", "The target server has the locale(s) of the databases it receives: "
                    + String.join(", ", locales.keySet()) + ".");
        } else {
            ctx.fail("target-locales", "The target server at " + t.where() + " lacks the locale(s) "
                    + String.join(", ", missing) + " that databases being moved use: it cannot create them.",
                    addHere(missing, locales) + " On the machine (or in the container) the target server runs on; then "
                            + "restart that server and run again. Nothing was changed.");
        }
    }
}
