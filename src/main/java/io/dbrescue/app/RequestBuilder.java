package io.dbrescue.app;

import io.dbrescue.plan.Containers;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.Engine;
import io.dbrescue.settings.Settings;
import io.dbrescue.machine.TargetOptions;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one place a {@link RecoveryRequest} is made: each front end fills in what its user chose (options on the
 * command line, fields in the window), and the settings fill in the rest — the backup folder, the run-as user,
 * parallel jobs, safety copies, the preferred strategy, the timeout, the copy's chunk size and the container
 * images. What the user chose always wins over the settings.
 */
public final class RequestBuilder {
    private final Settings settings;
    private Path backup;
    private List<String> selections = List.of();
    private Strategy strategy = Strategy.AUTO;
    private Containers.UpgradeMethod upgradeMethod = Containers.UpgradeMethod.AUTO;
    private String host;
    private Integer port;
    private String user;
    private Path binDir;
    private Path dataDir;
    private boolean dataIsFolder;
    private String runAs;
    private RecoveryRequest.Conflict conflict = RecoveryRequest.Conflict.ASK;
    private Integer jobs;
    private boolean noSafetyCopy;
    private boolean requireAll;
    private final Map<Engine, TargetOptions> servers = new EnumMap<>(Engine.class);

    public RequestBuilder(Settings settings) {
        this.settings = settings;
    }

    /** The backup folder; null: the backup_path setting. */
    public RequestBuilder backup(Path folder) {
        this.backup = folder;
        return this;
    }

    /** The findings to restore, by the paths the scan reports. */
    public RequestBuilder select(List<String> paths) {
        this.selections = paths == null ? List.of() : List.copyOf(paths);
        return this;
    }

    /** The strategy for every finding (AUTO: dbrescue chooses, preferring preferred_migration_strategy). */
    public RequestBuilder strategy(Strategy s) {
        this.strategy = s == null ? Strategy.AUTO : s;
        return this;
    }

    /** How data of an older major version is moved (AUTO: dbrescue chooses). */
    public RequestBuilder upgradeMethod(Containers.UpgradeMethod method) {
        this.upgradeMethod = method == null ? Containers.UpgradeMethod.AUTO : method;
        return this;
    }

    /** The target server's host, port and database user (null: what discovery finds). */
    public RequestBuilder server(String host, Integer port, String user) {
        this.host = host;
        this.port = port;
        this.user = user;
        return this;
    }

    /**
     * What the user said about this engine's server only (the window's form for that server): host, port, user and
     * where its data goes; null fields are what discovery finds. It reaches the findings of this engine and no other.
     */
    public RequestBuilder server(Engine engine, TargetOptions own) {
        if (own == null) {
            servers.remove(engine);
        } else {
            servers.put(engine, own);
        }
        return this;
    }

    /** The folder of the target version's server programs (null: what discovery finds). */
    public RequestBuilder binDir(Path dir) {
        this.binDir = dir;
        return this;
    }

    /**
     * Where a data directory goes (null: what discovery finds); {@code folder}: for a single-file database, a folder
     * to put the file in even when it does not exist yet.
     */
    public RequestBuilder dataDir(Path dir, boolean folder) {
        this.dataDir = dir;
        this.dataIsFolder = folder;
        return this;
    }

    /** The OS user that owns and runs server processes; null: the run_as_user setting. */
    public RequestBuilder runAs(String osUser) {
        this.runAs = osUser;
        return this;
    }

    public RequestBuilder onConflict(RecoveryRequest.Conflict c) {
        this.conflict = c == null ? RecoveryRequest.Conflict.ASK : c;
        return this;
    }

    /** Parallel jobs; null: the max_parallel_operations setting. */
    public RequestBuilder jobs(Integer n) {
        this.jobs = n;
        return this;
    }

    /** No safety copy even when backup_existing_data asks for one. */
    public RequestBuilder noSafetyCopy(boolean no) {
        this.noSafetyCopy = no;
        return this;
    }

    /** Stop at the first failed finding instead of going on with the others. */
    public RequestBuilder requireAll(boolean all) {
        this.requireAll = all;
        return this;
    }

    /** The backup folder this request would read: the one given, else the backup_path setting; null when neither. */
    public Path backupFolder() {
        return backup != null ? backup : settings.backupPath().orElse(null);
    }

    /** The target options: what the user gave, with the run-as user of the settings when none was given. */
    public TargetOptions targetOptions() {
        String osUser = runAs != null ? runAs : settings.runAsUser().orElse(null);
        return new TargetOptions(host, port, user, binDir, dataDir, osUser, dataIsFolder);
    }

    /**
     * The request. Throws IllegalArgumentException when there is no backup folder (neither given nor in the settings);
     * a front end checks its own inputs first, to say what is missing in its own words.
     */
    public RecoveryRequest build() {
        Path folder = backupFolder();
        if (folder == null) {
            throw new IllegalArgumentException("no backup folder was given and backup_path is not set in the settings");
        }
        return new RecoveryRequest(folder.toAbsolutePath().normalize(), selections, strategy, targetOptions(), conflict,
                jobs != null ? jobs : settings.maxParallelOperations(), !noSafetyCopy && settings.backupExistingData(),
                requireAll, Strategy.parse(settings.preferredMigrationStrategy().id()), settings.timeout().toSeconds(),
                settings.chunkSizeBytes(), settings.containers().withMethod(upgradeMethod), servers);
    }
}
