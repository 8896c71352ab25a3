package io.dbrescue.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of each front end for what the user can set. A message or a fix is written once, naming a setting by
 * its abstract name — the command line's option ({@code --target-data}, {@code --on-conflict replace}) or the
 * engine's password variable ({@code PGPASSWORD}) — and each front end says it in its own words: the command line
 * as written, the window as the field, choice or setting of its own that does the same ("the folder on the Target
 * step", "“Replace it” for a database that already exists"). The table below is the one place those words live.
 */
public final class Wording {
    /** The front ends that show dbrescue's messages. */
    public enum FrontEnd { COMMAND_LINE, WINDOW }

    private record Rule(Pattern pattern, Function<Matcher, String> window) {
    }

    private static final Map<String, String> CONFLICT = Map.of(
            "replace", "“Replace it (after a safety dump of it)”",
            "skip", "“Leave the existing database alone”",
            "rename", "“Restore under a new name”",
            "ask", "“Stop before the run and say which names clash”");
    private static final String WHEN_EXISTS = " under “When a database of that name already exists” on the Target step";
    private static final String PASSWORD = "the Password field of the server on the Target step";

    /** Most specific first: a pair of options before either alone, an option with its value before the bare one. */
    private static final List<Rule> RULES = List.of(
            // a desktop user starts a service in a terminal without sudo: systemctl asks for the password itself
            rule("Start (?:it|the server) \\((?:e\\.g\\. )?sudo systemctl start ([\\w@.-]+)\\)",
                    m -> "Start its service (in a terminal: systemctl start " + m.group(1)
                            + "; it asks for your password)"),
            rule("Start it \\((?:e\\.g\\. )?sudo systemctl start ([\\w@.-]+(?:, [\\w@.-]+)* or [\\w@.-]+)\\)",
                    m -> "Start the server's service (in a terminal: systemctl start " + m.group(1)
                            + ", whichever it is; it asks for your password)"),
            rule("\\bsudo (systemctl \\w+ [\\w@.-]+)", m -> m.group(1) + " in a terminal"),
            // a desktop user is told to give themselves a role, not to run the window as root
            rule("(with no password\\. )Run dbrescue as root \\(sudo\\) on the server's machine: [^.]*\\. (Or give)",
                    m -> m.group(1) + m.group(2)),
            rule("dbrescue recover BACKUP_DIR --select PATH", m -> "the wizard, from the Scan step"),
            rule(": add --restore-test", m -> ""),
            rule("run dbrescue scan on it and", m -> "scan the backup again (Scan step) and"),
            rule("--restore-test\\b", m -> "a test restore"),
            rule("--no-safety-copy, or backup_existing_data = false in the settings",
                    m -> "safety copies are turned off in Settings"),
            rule("Leave out --no-safety-copy \\(and set backup_existing_data = true\\)",
                    m -> "Turn safety copies back on in Settings"),
            rule("--no-safety-copy\\b", m -> "safety copies turned off in Settings"),
            rule("Choose what to do with --on-conflict skip", m -> "Choose" + WHEN_EXISTS + ": skip"),
            rule("\\s?(?:with|through) --on-conflict:", m -> WHEN_EXISTS + ":"),
            rule("--on-conflict skip/ask", m -> CONFLICT.get("skip") + " or " + CONFLICT.get("ask") + WHEN_EXISTS),
            rule("--on-conflict (replace|skip|rename|ask)\\b", m -> CONFLICT.get(m.group(1)) + WHEN_EXISTS),
            rule("--on-conflict\\b", m -> "the choice “When a database of that name already exists” on the Target step"),
            rule("--strategy container --upgrade-method ([a-z-]+)",
                    m -> "the “container” strategy with the upgrade method “" + m.group(1) + "” on the Strategy step"),
            rule("--upgrade-method (dump|pg-upgrade|in-place|auto)\\b",
                    m -> "the upgrade method “" + m.group(1) + "” on the Strategy step"),
            rule("--upgrade-method\\b", m -> "the upgrade method on the Strategy step"),
            rule("--strategy (direct|container|dump-restore|auto)\\b",
                    m -> "the “" + m.group(1) + "” strategy on the Strategy step"),
            rule("--strategy\\b", m -> "another strategy on the Strategy step"),
            rule("--target-host ?(/|and|or) ?--target-port\\b", m -> "the server's Host and Port on the Target step"),
            rule("--target-user and (PGPASSWORD|MYSQL_PWD|REDISCLI_AUTH|MONGODB_PASSWORD)\\b",
                    m -> "the server's User and Password on the Target step"),
            rule("--target-user and --target-port\\b", m -> "the server's User and Port on the Target step"),
            rule("--target-(host|port|user)( (HOST|PORT|USER))?\\b",
                    m -> "the server's " + capital(m.group(1)) + " on the Target step"),
            rule("Add --target-data FOLDER \\(the file keeps its name ([^)]+)\\) or --target-data FILE",
                    m -> "Choose a folder for it under “Restore into” on the Target step (the file keeps its name "
                            + m.group(1) + ")"),
            rule("Add --target-data FOLDER", m -> "Choose a folder for it on the Target step"),
            rule("(?:with|for) --target-data( (FOLDER|DIR/|DIR|FILE))?(?![\\w/])", m -> "on the Target step"),
            rule("--target-data( (FOLDER|DIR/|DIR|FILE))?(?![\\w/])", m -> "the folder on the Target step"),
            rule("(give|name) (its|their) folder with --target-bin( DIR)?(?![\\w/])",
                    m -> m.group(1) + " " + m.group(2) + " folder in Settings (server programs)"),
            rule("(?:with|for) --target-bin( (DIR|/usr/lib/postgresql/\\S*))?(?![\\w/])",
                    m -> "in Settings (server programs)"),
            rule("--target-bin( (DIR|/usr/lib/postgresql/\\S*))?(?![\\w/])",
                    m -> "the server programs folder in Settings"),
            rule("leave out --run-as\\b", m -> "clear the user servers run as in Settings"),
            rule("with --run-as( USER)?\\b", m -> "in Settings (the user servers run as)"),
            rule("--run-as( USER)?\\b", m -> "the user servers run as (Settings)"),
            rule("--require-all\\b", m -> "“stop at the first failure”"),
            rule("--set images\\.(\\w+)=", m -> "the " + m.group(1) + " image in Settings: "),
            rule("(?:the )?environment variable (PGPASSWORD|MYSQL_PWD|REDISCLI_AUTH|MONGODB_PASSWORD)\\b", m -> PASSWORD),
            rule("(PGPASSWORD|MYSQL_PWD|REDISCLI_AUTH|MONGODB_PASSWORD)( or ~/\\.pgpass)?\\b", m -> PASSWORD),
            // an engine message written for both front ends with "(s)": the window says the count's own form
            rule("\\b(\\d[\\d,]*) (\\w+)\\(s\\)", m -> m.group(1) + " " + m.group(2)
                    + ("1".equals(m.group(1)) ? "" : "s")),
            rule("\\b(\\w+)\\(s\\)", m -> m.group(1) + "s"));

    private Wording() {
    }

    private static Rule rule(String regex, Function<Matcher, String> window) {
        return new Rule(Pattern.compile(regex), window);
    }

    /** The text in the words of this front end (the command line's words are the text as written). */
    public static String render(String text, FrontEnd frontEnd) {
        if (text == null || frontEnd == FrontEnd.COMMAND_LINE) {
            return text;
        }
        String out = text;
        for (Rule r : RULES) {
            Matcher m = r.pattern.matcher(out);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, Matcher.quoteReplacement(r.window.apply(m)));
            }
            m.appendTail(b);
            out = b.toString();
        }
        return out;
    }

    /** {@link #render} for the window. */
    public static String forWindow(String text) {
        return render(text, FrontEnd.WINDOW);
    }

    /** The options of the command line a window text must not show (what {@link #forWindow} takes out). */
    public static List<String> commandLineOptions() {
        return List.of("--on-conflict", "--upgrade-method", "--strategy", "--target-host", "--target-port",
                "--target-user", "--target-data", "--target-bin", "--run-as", "--no-safety-copy", "--require-all",
                "--restore-test", "--select", "--set", "--dry-run", "--yes", "--json", "--resume", "--debug");
    }

    /** "disk-space" as "Disk space", "pg-upgrade-check" as "pg_upgrade --check"…: a check's name in words. */
    public static String checkTitle(String name) {
        if (name == null) {
            return "";
        }
        String known = CHECK_TITLES.get(name);
        if (known != null) {
            return known;
        }
        List<String> words = new ArrayList<>();
        for (String w : name.split("-")) {
            words.add(WORDS.getOrDefault(w, w));
        }
        String s = String.join(" ", words);
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static final Map<String, String> WORDS = Map.ofEntries(Map.entry("sqlite", "SQLite"),
            Map.entry("rdb", "RDB"), Map.entry("aof", "AOF"), Map.entry("icu", "ICU"), Map.entry("avx", "AVX"),
            Map.entry("sql", "SQL"), Map.entry("pg", "PostgreSQL"), Map.entry("innodb", "InnoDB"));

    private static final Map<String, String> CHECK_TITLES = Map.ofEntries(
            Map.entry("target-data", "Where the data goes"), Map.entry("run-as", "Who runs the server"),
            Map.entry("pg-upgrade", "pg_upgrade"), Map.entry("pg-upgrade-check", "pg_upgrade's own check"),
            Map.entry("pg-attver", "Debian's column option pg_attver"), Map.entry("fcv", "Feature compatibility version"),
            Map.entry("lower-case-table-names", "Table name case (lower_case_table_names)"),
            Map.entry("unverified", "Not verified here"), Map.entry("supported", "Supported"),
            Map.entry("backup-read-only", "The backup stays unchanged"), Map.entry("key-counts", "Keys per database"),
            Map.entry("copied-while-running", "Copied while running"), Map.entry("in-place", "Upgrade in place"));

    /** The kind of a finding in words: "data directory", "dump", "RDB snapshot", "AOF file", "database file". */
    public static String kind(String id) {
        return switch (id == null ? "" : id) {
            case "data-directory" -> "data directory";
            case "rdb" -> "RDB snapshot";
            case "aof" -> "AOF file";
            case "sqlite-file" -> "database file";
            default -> id;
        };
    }

    /** "1 database", "3 databases": a count with its noun, singular or plural (regular nouns, or the plural given). */
    public static String count(long n, String singular) {
        return count(n, singular, singular + "s");
    }

    public static String count(long n, String singular, String plural) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? singular : plural);
    }

    private static final Map<String, String> DETAIL_LABELS = Map.ofEntries(
            Map.entry("pageSize", "Page size (bytes)"), Map.entry("innodbPageSize", "InnoDB page size (bytes)"),
            Map.entry("keysPerDatabase", "Keys per database"), Map.entry("rowCounts", "Rows per table"),
            Map.entry("checksumVerified", "Checksum verified"), Map.entry("safetyCopy", "Safety copy"),
            Map.entry("rdbVersion", "RDB version"), Map.entry("redisVersion", "Redis version"),
            Map.entry("systemIdentifier", "System identifier"), Map.entry("dataChecksums", "Data checksums"));

    /** A detail's key in words: "keysPerDatabase" as "Keys per database", any camelCase key split into words. */
    public static String detailLabel(String key) {
        String known = DETAIL_LABELS.get(key);
        if (known != null || key == null || key.isEmpty()) {
            return known != null ? known : "";
        }
        String words = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> w : WORDS.entrySet()) {
            words = words.replaceAll("\\b" + w.getKey() + "\\b", w.getValue());
        }
        return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }

    /** A detail's value in words: {db0=5, db1=2} as "db0 5, db1 2", true as "yes", a list joined with commas. */
    public static String detailValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(k + " " + detailValue(x)));
            return String.join(", ", parts);
        }
        if (v instanceof Iterable<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(x -> parts.add(detailValue(x)));
            return String.join(", ", parts);
        }
        if (v instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        return String.valueOf(v);
    }

    private static String capital(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
