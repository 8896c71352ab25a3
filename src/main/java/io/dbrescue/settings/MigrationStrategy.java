package io.dbrescue.settings;

/** The values of {@code preferred_migration_strategy}. */
public enum MigrationStrategy {
    DIRECT("direct"), CONTAINER_BASED("container_based"), DUMP_RESTORE("dump_restore");

    private final String id;

    MigrationStrategy(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static MigrationStrategy fromId(String id) {
        for (MigrationStrategy s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException(id);
    }
}
