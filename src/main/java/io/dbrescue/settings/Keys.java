package io.dbrescue.settings;

import io.dbrescue.plan.Containers;
import io.dbrescue.scan.Engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every key recovery.conf knows, in the order they are documented and shown. */
public final class Keys {
    public static final String RECOVERY = "recovery";
    public static final String IMAGES = "images";
    public static final String BINARIES = "binaries";
    public static final List<String> SECTIONS = List.of(RECOVERY, IMAGES, BINARIES);

    /** Engines that run as servers (SQLite has no server, so no image or binaries). */
    public static final List<Engine> SERVER_ENGINES = List.copyOf(Containers.DEFAULTS.images().keySet());

    /** [binaries] keys: engine id, underscore, version (postgresql_16, mariadb_10.11). */
    public static final Pattern BINARY_KEY = Pattern.compile("(" + String.join("|",
            SERVER_ENGINES.stream().map(Engine::id).toList()) + ")_(\\d+(?:\\.\\d+)*)");
    public static final String BINARY_ALLOWED = "an absolute path to the folder holding that version's programs";

    private static final String BOOL = "true or false (yes/no, on/off, 1/0 also work)";
    private static final Map<String, Key> BY_ID;

    static {
        List<Key> keys = new ArrayList<>();
        keys.add(r("backup_path", "", "an absolute path (~/ allowed), or empty for none",
                "The backup folder the wizard and the commands start from.", ValueType.OPTIONAL_PATH));
        keys.add(r("auto_detect_databases", "true", BOOL,
                "Scan the backup folder as soon as it is chosen.", ValueType.BOOLEAN));
        keys.add(r("preferred_migration_strategy", "direct", "one of direct, container_based, dump_restore",
                "The strategy chosen when more than one works for a finding.",
                ValueType.choice(List.of("direct", "container_based", "dump_restore"))));
        keys.add(r("enable_progress_tracking", "true", BOOL,
                "Measure progress by bytes and show the speed and the time left while a recovery runs.", ValueType.BOOLEAN));
        keys.add(r("backup_existing_data", "true", BOOL,
                "Make a safety copy of whatever a recovery would overwrite.", ValueType.BOOLEAN));
        keys.add(r("dry_run_mode", "false", BOOL,
                "Only show what a recovery would do; change nothing.", ValueType.BOOLEAN));
        keys.add(r("require_confirmation", "true", BOOL,
                "Ask before a recovery changes anything.", ValueType.BOOLEAN));
        keys.add(r("max_parallel_operations", "2", "a whole number from 1 to 8",
                "How many copy or restore jobs run at once.", ValueType.integer(1, 8)));
        keys.add(r("timeout_seconds", "3600", "a whole number of seconds from 10 to 604800 (a week)",
                "How long one external step (a copy, a restore, a server start) may take before it is stopped.",
                ValueType.integer(10, 604800)));
        keys.add(r("chunk_size_mb", "64", "a whole number from 1 to 1024",
                "Files are copied in pieces of this many MB (million bytes); progress is shown and Cancel "
                        + "acts between pieces.", ValueType.integer(1, 1024)));
        keys.add(r("log_level", "warn", "one of error, warn, info, debug, trace",
                "How much is printed on the console; the log file gets at least info.",
                ValueType.choice(List.of("error", "warn", "info", "debug", "trace"))));
        keys.add(r("enable_metrics", "false", BOOL,
                "Serve Prometheus metrics on 127.0.0.1:metrics_port while a recovery runs.", ValueType.BOOLEAN));
        keys.add(r("metrics_port", "9464", "a whole number from 1024 to 65535",
                "The port of the metrics endpoint (always on 127.0.0.1).", ValueType.integer(1024, 65535)));
        keys.add(r("run_as_user", "", "a user name such as postgres, or empty for the engine's usual user",
                "The system user that owns and runs restored servers when dbrescue runs as root.",
                ValueType.OPTIONAL_USER));
        Containers.DEFAULTS.images().forEach((engine, image) -> keys.add(new Key(IMAGES, engine.id(), image,
                "an image reference without spaces; {major} and {version} are replaced",
                "The container image that runs an old " + engine.id() + " version.", ValueType.IMAGE)));
        keys.add(new Key(IMAGES, "postgresql_upgrade", "", "empty, or an image reference; {old} and {new} are replaced",
                "An image that holds both PostgreSQL versions (/usr/lib/postgresql/{old}/bin and {new}/bin), so "
                        + "pg_upgrade can run in it when this machine lacks the old version's programs.",
                ValueType.UPGRADE_IMAGE));
        keys.add(new Key(IMAGES, "postgresql_extensions", "", "empty, or EXTENSION[+EXTENSION...]=IMAGE entries separated "
                + "by commas; {major} and {version} are replaced",
                "Images of the old PostgreSQL version that have extensions the official image lacks (PostGIS...): "
                        + "when the old databases use one, its old server runs in that image.",
                ValueType.EXTENSION_IMAGES));
        Map<String, Key> byId = new LinkedHashMap<>();
        keys.forEach(k -> byId.put(k.id(), k));
        BY_ID = Collections.unmodifiableMap(byId);
    }

    private Keys() {
    }

    private static Key r(String name, String def, String allowed, String description, ValueType type) {
        return new Key(RECOVERY, name, def, allowed, description, type);
    }

    /** The fixed keys (not the [binaries] entries, which are open-ended). */
    public static List<Key> all() {
        return List.copyOf(BY_ID.values());
    }

    public static List<String> ids() {
        return List.copyOf(BY_ID.keySet());
    }

    /** The key of a section and name (binaries entries included), if there is one. */
    public static Optional<Key> find(String section, String name) {
        if (BINARIES.equals(section)) {
            return BINARY_KEY.matcher(name).matches()
                    ? Optional.of(new Key(BINARIES, name, "", BINARY_ALLOWED,
                            "Where the programs of this engine version are.", ValueType.PATH))
                    : Optional.empty();
        }
        Key k = BY_ID.get(RECOVERY.equals(section) ? name : section + "." + name);
        return Optional.ofNullable(k);
    }

    /** A key by its id: {@code max_parallel_operations}, {@code images.redis}, {@code binaries.postgresql_16}. */
    public static Optional<Key> byId(String id) {
        int dot = id.indexOf('.');
        String section = dot > 0 && SECTIONS.contains(id.substring(0, dot)) ? id.substring(0, dot) : RECOVERY;
        String name = section.equals(RECOVERY) && id.startsWith(RECOVERY + ".") ? id.substring(RECOVERY.length() + 1)
                : section.equals(RECOVERY) ? id : id.substring(dot + 1);
        return find(section, name);
    }

    /** Every name a user might have meant, for "did you mean" (binaries as their pattern's examples). */
    static List<String> namesIn(String section) {
        if (BINARIES.equals(section)) {
            return List.of("postgresql_16", "mariadb_10.11", "mysql_8.0", "redis_7.2", "mongodb_7.0");
        }
        return BY_ID.values().stream().filter(k -> k.section().equals(section)).map(Key::name).toList();
    }

    /** The message for an unknown id or name in a section. */
    static String unknown(String section, String name) {
        if (BINARIES.equals(section)) {
            return "unknown key." + Suggest.hint(name, namesIn(section)) + " [binaries] keys are ENGINE_VERSION "
                    + "(postgresql, mysql, mariadb, mongodb or redis, an underscore and a version, e.g. postgresql_16).";
        }
        Matcher m = BINARY_KEY.matcher(name);
        String hint = m.matches() && RECOVERY.equals(section)
                ? " Binary folders go in the [binaries] section." : Suggest.hint(name, namesIn(section));
        return "unknown key." + hint + " docs/configuration.md lists the keys of [" + section + "].";
    }

    /** The release series an image tag or binaries key is named after: 16 for PostgreSQL 16.4, 9.6 for 9.6.24, 10.11 for MariaDB 10.11.5. */
    public static String series(Engine engine, String version) {
        String[] parts = version.split("\\.");
        String major = parts[0].replaceAll("\\D.*", "");
        if (major.isEmpty()) {
            return version;
        }
        if (parts.length < 2 || engine == Engine.POSTGRESQL && major.length() <= 4 && Integer.parseInt(major) >= 10) {
            return major;
        }
        return parts[0] + "." + parts[1];
    }
}
