package io.dbrescue.postgres.restore;

import io.dbrescue.run.StepFailure;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why PostgreSQL would not start, in words, with the fix: from the line that ended the start (its FATAL
 * or PANIC line) and the lines the server wrote before it — the setting it refused is often named on the
 * line before "configuration file ... contains errors".
 */
final class PgStartFailure {
    private static final Pattern BAD_LOCALE = Pattern.compile("invalid value for parameter \"(lc_\\w+)\": \"([^\"]*)\"");
    /** The DETAIL of "database locale is incompatible with operating system". */
    private static final Pattern DB_LOCALE = Pattern.compile("initialized with (LC_\\w+) \"([^\"]*)\"");
    private static final Pattern MISSING_LIBRARY = Pattern.compile("could not access file \"([^\"]+)\"");

    private PgStartFailure() {
    }

    private record Cause(String kind, String fix) {
    }

    /**
     * @param port the port it was to listen on; null when not known (the one in its postgresql.conf)
     * @param reason the line that ended the start (FATAL/PANIC), or the last lines when there was none
     * @param logTail the server's last lines of this start
     */
    static StepFailure of(Path data, String port, String reason, String logTail) {
        String all = logTail == null || logTail.isBlank() ? reason : logTail;
        Cause c = classify(data, port, (reason + "\n" + all));
        String shown = all.equals(reason) ? indent(reason) : "  " + reason.strip() + "\nIts log ends with:\n"
                + indent(all);
        return new StepFailure(c.kind(), "The PostgreSQL server would not start on " + data + ":\n" + shown, c.fix());
    }

    private static Cause classify(Path data, String port, String text) {
        String low = text.toLowerCase(Locale.ROOT);
        Matcher locale = BAD_LOCALE.matcher(text);
        if (locale.find()) {
            return localeMissing(locale.group(1) + " = '" + locale.group(2) + "'", locale.group(2),
                    "; or set " + locale.group(1) + " in postgresql.conf to a locale it has, such as C.UTF-8.");
        }
        if (low.contains("database locale is incompatible with operating system")
                || low.contains("invalid locale name") || low.contains("could not create locale")) {
            Matcher db = DB_LOCALE.matcher(text);
            String why = " (a database's locale cannot be changed; without it, dump it on the old system and restore "
                    + "the dump into a database with another locale).";
            return db.find() ? localeMissing(db.group(1) + " '" + db.group(2) + "' of a database", db.group(2), why)
                    : localeMissing("the locale of a database", null, why);
        }
        if (low.contains("address already in use") || low.contains("could not create listen socket")) {
            return new Cause("port-in-use", (port == null ? "Its port" : "Port " + port) + " is taken by another program: stop it (ss -ltnp shows "
                    + "which) or choose another port with --target-port, then run again.");
        }
        if (low.contains("database files are incompatible with server")) {
            return new Cause("version-mismatch", "The data directory was made by another PostgreSQL major version: use "
                    + "that version's server (--target-bin) or the container strategy.");
        }
        if (low.contains("lock file \"postmaster.pid\" already exists")) {
            return new Cause("conflict", "Another server runs on " + data + ": stop it (pg_ctl stop -D " + data
                    + ") and run again.");
        }
        Matcher lib = MISSING_LIBRARY.matcher(text);
        if (lib.find() || low.contains("could not load library")) {
            return new Cause("missing-library", "The configuration loads a library this server does not have"
                    + (lib.find(0) ? " (" + lib.group(1) + ")" : "") + ": install the extension's package for this "
                    + "PostgreSQL version (e.g. postgresql-NN-postgis-3), or remove it from shared_preload_libraries in "
                    + "postgresql.conf, then run again.");
        }
        if (low.contains("contains errors") || low.contains("syntax error in file")
                || low.contains("unrecognized configuration parameter")) {
            return new Cause("bad-config", "Fix the line the log names in postgresql.conf (in " + data + " or where its "
                    + "config_file points): a setting of the old system may not exist in this version or name a "
                    + "folder that is not here. Then run again.");
        }
        if (low.contains("permission denied") || low.contains("has wrong ownership") || low.contains("invalid permissions")) {
            return new Cause("permission", "The server's user cannot read or write its files: run dbrescue as root with "
                    + "--run-as set to the user that should own the data directory.");
        }
        if (low.contains("no space left")) {
            return new Cause("disk-full", "Free space on the disk of " + data + " and run again.");
        }
        return new Cause("server-start", "Read the server's last log lines above; fix what they name and run again "
                + "(the target was rolled back to its safety copy).");
    }

    /**
     * The old server in a container (image {@code image}) stopped while starting, or answered dbrescue's login
     * with a FATAL that waiting will not mend: that line is the reason, and the fix is the one for a container —
     * the image, not this system, lacks a locale or a library.
     *
     * @param refused true for a refused login (the server runs), false for a server that stopped
     * @param reason  the FATAL/PANIC line (with its DETAIL when known); null when the log had none
     */
    static StepFailure inContainer(String image, boolean refused, String reason, String logTail) {
        String log = logTail == null ? "" : logTail.strip();
        String why = reason != null ? reason.strip() : log.isEmpty() ? "it wrote nothing" : lastLine(log);
        Cause c = classify(null, null, why + "\n" + log);
        String what = refused ? "The old server in the container answered dbrescue's login with:\n  " + indentRest(why)
                : "The old server in the container stopped while starting:\n  " + indentRest(why);
        if (!log.isEmpty() && !log.equals(why)) {
            what += "\nIts log ends with:\n" + indent(String.join("\n", io.dbrescue.text.Lines.last(log, 12)));
        }
        return new StepFailure(c.kind(), what, containerFix(c, image, why + "\n" + log));
    }

    private static String containerFix(Cause c, String image, String text) {
        String img = image == null ? "the image" : "the image " + image;
        String untouched = " The backup is untouched; the copy the container ran on is removed.";
        switch (c.kind()) {
            case "locale-missing" -> {
                Matcher db = DB_LOCALE.matcher(text);
                String name = db.find() ? db.group(2) : null;
                io.dbrescue.container.LocaleName l = io.dbrescue.container.LocaleName.parse(name, "UTF8");
                String how = "RUN localedef " + (l == null ? "-i LANG_COUNTRY -f UTF-8 LANG_COUNTRY.UTF-8"
                        : String.join(" ", l.localedefArgs(null)));
                return "A database of the old cluster uses the locale " + (name == null ? "named above" : name) + ", which "
                        + img + " lacks. dbrescue adds to the image the locales the backup's catalog names (the step "
                        + "that prepares the image's locales); this one the catalog did not show. Build an image that has "
                        + "it (FROM " + (image == null ? "IMAGE" : image) + " then " + how + ") and name it in the "
                        + "settings (images.postgresql), then run again." + untouched;
            }
            case "version-mismatch" -> {
                return "The image" + (image == null ? "" : " " + image) + " runs another PostgreSQL major version than the "
                        + "data: check images.postgresql (its "
                        + "{major} must become the data's version)." + untouched;
            }
            case "missing-library" -> {
                return "The old databases need a library " + img + " does not have (an extension's): name an image "
                        + "that has it in the settings (images.postgresql, e.g. one with PostGIS), then run again." + untouched;
            }
            case "permission" -> {
                return "The server's user in the container cannot read or write the copy: run dbrescue as root with "
                        + "--run-as set to the user that should own it (usually postgres)." + untouched;
            }
            case "disk-full" -> {
                return "Free space on the disk of dbrescue's run folder (~/.local/state/dbrescue) and run again." + untouched;
            }
            default -> {
                return "Read the server's lines above: a damaged or incomplete copy, or an image of another version or "
                        + "build, are the usual causes." + untouched;
            }
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }

    private static String indentRest(String text) {
        return text.strip().replace("\n", "\n  ");
    }

    /** The fix when a connection fails with "database locale is incompatible with operating system"; null otherwise. */
    static String localeFix(String message) {
        Cause c = classify(null, null, message);
        return c.kind().equals("locale-missing") ? c.fix() : null;
    }

    /** de_DE.UTF-8 → localedef -i de_DE -f UTF-8 de_DE.UTF-8 (Debian names the charset UTF-8 or utf8). */
    private static Cause localeMissing(String what, String name, String orElse) {
        String add = "sudo dpkg-reconfigure locales (Debian/Ubuntu) and tick it, or sudo localedef -i LANG -f UTF-8 "
                + "LANG.UTF-8";
        if (name != null && name.matches("[A-Za-z]{2,3}_[A-Z]{2}\\.[A-Za-z0-9-]+")) {
            String lang = name.substring(0, name.indexOf('.'));
            String charset = name.substring(name.indexOf('.') + 1);
            charset = charset.equalsIgnoreCase("utf8") ? "UTF-8" : charset;
            add = "sudo localedef -i " + lang + " -f " + charset + " " + name + " (or sudo dpkg-reconfigure locales "
                    + "and tick it)";
        }
        return new Cause("locale-missing", "The server needs " + what + ", a locale this system does not have (locale -a "
                + "lists those it has). Add it — " + add + " — and run again" + orElse);
    }

    private static String indent(String text) {
        return "  " + text.strip().replace("\n", "\n  ");
    }
}
