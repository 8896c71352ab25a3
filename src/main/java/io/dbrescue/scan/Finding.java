package io.dbrescue.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One database found in a backup: the unit the user selects, plans and restores. Serialised as the
 * "findings" entries of the {@code scan --json} contract in the design notes; {@code details} holds
 * engine-specific facts (pg_control fields, dump header, RDB version...) and is an additional key.
 *
 * <p>Detectors fill it; the scanner sets {@link #path} and, for directories, {@link #sizeBytes}.
 */
@JsonPropertyOrder({"engine", "kind", "path", "version", "sizeBytes", "cleanShutdown", "status",
        "databases", "format", "warnings", "details"})
public final class Finding {
    private final Engine engine;
    private final Kind kind;
    private String path;
    private String version;
    private long sizeBytes;
    private Boolean cleanShutdown;
    private Status status = Status.OK;
    private final List<String> databases = new ArrayList<>();
    private String format;
    private final List<String> warnings = new ArrayList<>();
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    private final Map<String, Object> details = new LinkedHashMap<>();
    /** Where the scan found it, as the folder listing gave it: keeps a name's bytes that are not valid text. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    private java.nio.file.Path location;

    public Finding(Engine engine, Kind kind) {
        this.engine = engine;
        this.kind = kind;
    }

    public Engine getEngine() { return engine; }
    public Kind getKind() { return kind; }
    public String getPath() { return path; }
    public String getVersion() { return version; }
    public long getSizeBytes() { return sizeBytes; }
    public Boolean getCleanShutdown() { return cleanShutdown; }
    public Status getStatus() { return status; }
    public List<String> getDatabases() { return databases; }
    public String getFormat() { return format; }
    public List<String> getWarnings() { return warnings; }
    public Map<String, Object> getDetails() { return details; }

    public Finding path(String relativePath) { this.path = relativePath; return this; }
    public Finding version(String version) { this.version = version; return this; }
    public Finding sizeBytes(long bytes) { this.sizeBytes = bytes; return this; }
    public Finding cleanShutdown(Boolean clean) { this.cleanShutdown = clean; return this; }
    public Finding format(String format) { this.format = format; return this; }
    public Finding databases(List<String> names) { databases.clear(); databases.addAll(names); return this; }
    public Finding detail(String key, Object value) { if (value != null) details.put(key, value); return this; }

    /** Set by the scanner: the finding's absolute path with the name's raw bytes (see {@link #in}). */
    public Finding location(java.nio.file.Path where) { this.location = where; return this; }

    /**
     * The finding's file or folder under the backup {@code root}: where the scan found it (a name that is
     * not valid UTF-8 survives only there; {@link #getPath()} shows it with replacement characters), or
     * {@code root} plus the relative path for a finding made elsewhere.
     */
    public java.nio.file.Path in(java.nio.file.Path root) {
        return location != null ? location : root.resolve(path);
    }

    /** Adds a warning for the user without changing the status. */
    public Finding warn(String message) { warnings.add(message); return this; }

    /** Marks the finding damaged (or incomplete) and says why; the status only ever gets worse. */
    public Finding problem(Status newStatus, String why) {
        status = status.worst(newStatus);
        warnings.add(why);
        return this;
    }

    @Override
    public String toString() {
        return engine.id() + " " + kind.id() + " " + path + " v" + version + " " + status.id();
    }
}
