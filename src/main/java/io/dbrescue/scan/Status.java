package io.dbrescue.scan;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The state of a finding: {@code ok}; {@code damaged} (cut short or corrupt: a restore would fail or
 * lose data); {@code incomplete} (intact as far as it goes, but parts live outside the backup, such as
 * a tablespace or a missing data file of a directory dump).
 */
public enum Status {
    OK, DAMAGED, INCOMPLETE;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The worse of two states, so that detectors can only ever downgrade. */
    public Status worst(Status other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
