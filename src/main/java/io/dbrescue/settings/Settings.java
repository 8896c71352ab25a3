package io.dbrescue.settings;

import io.dbrescue.scan.Engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective settings of one run: built-in defaults, then recovery.conf, then command-line
 * overrides. Immutable; every value knows its {@link Source}. Invalid values are reported as
 * {@link #problems()} and fall back to the default, so the settings can always be shown;
 * {@link #requireValid()} is what refuses a recovery.
 */
public final class Settings {
    /** One effective value. {@code raw} is the text as written; {@code value} the typed value. */
    public record Value(Key key, String raw, Object value, Source source) {
    }

    private final Path file;
    private final boolean fileExists;
    private final Map<String, Value> values;
    private final List<Problem> problems;

    private Settings(Path file, boolean fileExists, Map<String, Value> values, List<Problem> problems) {
        this.file = file;
        this.fileExists = fileExists;
        this.values = Collections.unmodifiableMap(values);
        this.problems = List.copyOf(problems);
    }

    /** The built-in defaults, as if {@code file} did not exist. */
    public static Settings defaults(Path file) {
        Map<String, Value> values = new LinkedHashMap<>();
        for (Key k : Keys.all()) {
            values.put(k.id(), new Value(k, k.defaultValue(), k.parse(k.defaultValue()), Source.DEFAULT));
        }
        return new Settings(file, false, values, List.of());
    }

    /** The settings of the current user ($XDG_CONFIG_HOME/dbrescue/recovery.conf). */
    public static Settings load() throws SettingsReadException {
        return load(AppPaths.current().configFile());
    }

    /**
     * Reads {@code file}: a missing file gives the defaults (no problem); a file that cannot be read
     * throws; bad lines become problems.
     */
    public static Settings load(Path file) throws SettingsReadException {
        if (!Files.exists(file) && !Files.isSymbolicLink(file)) {
            return defaults(file);
        }
        SettingsFile.Parsed parsed = SettingsFile.read(file);
        Settings d = defaults(file);
        Map<String, Value> values = new LinkedHashMap<>(d.values);
        List<Problem> problems = new ArrayList<>(parsed.problems());
        for (SettingsFile.Entry e : parsed.entries()) {
            Source at = Source.file(file, e.line());
            Optional<Key> key = Keys.find(e.section(), e.name());
            if (key.isEmpty()) {
                problems.add(new Problem(at, displayId(e.section(), e.name()), Keys.unknown(e.section(), e.name())));
                continue;
            }
            try {
                values.put(key.get().id(), new Value(key.get(), e.value(), key.get().parse(e.value()), at));
            } catch (IllegalArgumentException ex) {
                problems.add(new Problem(at, key.get().id(), ex.getMessage()));
            }
        }
        problems.sort(java.util.Comparator.comparingInt(p -> p.where().line()));
        return new Settings(file, true, values, problems);
    }

    private static String displayId(String section, String name) {
        return Keys.RECOVERY.equals(section) ? name : section + "." + name;
    }

    /**
     * These settings with command-line values on top (for this run only; nothing is written). Keys are
     * ids as in {@code config show}: {@code dry_run_mode}, {@code images.redis}, {@code binaries.postgresql_16}.
     * Bad keys or values become problems whose source is the command line.
     */
    public Settings withOverrides(Map<String, String> overrides) {
        Map<String, Value> v = new LinkedHashMap<>(values);
        List<Problem> p = new ArrayList<>(problems);
        overrides.forEach((id, raw) -> {
            Optional<Key> key = Keys.byId(id);
            if (key.isEmpty()) {
                p.add(new Problem(Source.COMMAND_LINE, id, "unknown key; `dbrescue config show` lists the keys."
                        + Suggest.hint(id, Keys.ids())));
                return;
            }
            try {
                v.put(key.get().id(), new Value(key.get(), raw, key.get().parse(raw), Source.COMMAND_LINE));
            } catch (IllegalArgumentException e) {
                p.add(new Problem(Source.COMMAND_LINE, key.get().id(), e.getMessage()));
            }
        });
        return new Settings(file, fileExists, v, p);
    }

    /** Returns this when there are no problems; otherwise throws with every problem and how to fix it. */
    public Settings requireValid() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(this);
        }
        return this;
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    public List<Problem> problems() {
        return problems;
    }

    public Path file() {
        return file;
    }

    public boolean fileExists() {
        return fileExists;
    }

    /** Every effective value by id, in documented order ([binaries] entries last). */
    public Map<String, Value> values() {
        return values;
    }

    public Optional<Value> value(String id) {
        return Optional.ofNullable(values.get(Keys.byId(id).map(Key::id).orElse(id)));
    }

    private Object get(String id) {
        return values.get(id).value();
    }

    @SuppressWarnings("unchecked")
    public Optional<Path> backupPath() {
        return (Optional<Path>) get("backup_path");
    }

    public boolean autoDetectDatabases() {
        return (Boolean) get("auto_detect_databases");
    }

    public MigrationStrategy preferredMigrationStrategy() {
        return MigrationStrategy.fromId((String) get("preferred_migration_strategy"));
    }

    public boolean enableProgressTracking() {
        return (Boolean) get("enable_progress_tracking");
    }

    public boolean backupExistingData() {
        return (Boolean) get("backup_existing_data");
    }

    public boolean dryRunMode() {
        return (Boolean) get("dry_run_mode");
    }

    public boolean requireConfirmation() {
        return (Boolean) get("require_confirmation");
    }

    public int maxParallelOperations() {
        return (Integer) get("max_parallel_operations");
    }

    public Duration timeout() {
        return Duration.ofSeconds((Integer) get("timeout_seconds"));
    }

    public int chunkSizeMb() {
        return (Integer) get("chunk_size_mb");
    }

    /** In MB of 1,000,000 bytes: the one unit system every size dbrescue shows is in (text.Sizes). */
    public long chunkSizeBytes() {
        return chunkSizeMb() * 1_000_000L;
    }

    /** error, warn, info, debug or trace. */
    public String logLevel() {
        return (String) get("log_level");
    }

    public boolean enableMetrics() {
        return (Boolean) get("enable_metrics");
    }

    public int metricsPort() {
        return (Integer) get("metrics_port");
    }

    /** The configured run-as user; empty means "the engine's usual user" (postgres, mysql, redis, mongodb). */
    @SuppressWarnings("unchecked")
    public Optional<String> runAsUser() {
        return (Optional<String>) get("run_as_user");
    }

    /** The image template of an engine with {major} and {version} filled in, e.g. docker.io/library/postgres:16. */
    public String containerImage(Engine engine, String version) {
        Value v = values.get(Keys.IMAGES + "." + engine.id());
        if (v == null) {
            throw new IllegalArgumentException(engine.displayName() + " does not run in a container");
        }
        return ((String) v.value()).replace("{major}", Keys.series(engine, version)).replace("{version}", version);
    }

    /** What the container strategy needs from the settings: the image templates per engine and the pg_upgrade image. */
    public io.dbrescue.plan.Containers containers() {
        Map<Engine, String> images = new LinkedHashMap<>();
        for (Engine e : Keys.SERVER_ENGINES) {
            Value v = values.get(Keys.IMAGES + "." + e.id());
            if (v != null) {
                images.put(e, (String) v.value());
            }
        }
        Value up = values.get(Keys.IMAGES + ".postgresql_upgrade");
        Value ext = values.get(Keys.IMAGES + ".postgresql_extensions");
        return new io.dbrescue.plan.Containers(images, up == null ? "" : (String) up.value(),
                io.dbrescue.plan.Containers.UpgradeMethod.AUTO, ext == null ? "" : (String) ext.value());
    }

    /**
     * The configured folder of an engine version's programs: the key for the exact version
     * (postgresql_16.4), else its series (postgresql_16, mariadb_10.11), else its first number.
     */
    public Optional<Path> binaries(Engine engine, String version) {
        List<String> tries = List.of(version, Keys.series(engine, version), version.split("\\.")[0]);
        for (String t : tries) {
            Value v = values.get(Keys.BINARIES + "." + engine.id() + "_" + t);
            if (v != null) {
                return Optional.of((Path) v.value());
            }
        }
        return Optional.empty();
    }

    /** All [binaries] entries by id (binaries.postgresql_16 → folder). */
    public Map<String, Path> allBinaries() {
        Map<String, Path> m = new LinkedHashMap<>();
        values.forEach((id, v) -> {
            if (v.key().section().equals(Keys.BINARIES)) {
                m.put(id, (Path) v.value());
            }
        });
        return m;
    }
}
