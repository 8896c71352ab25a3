package io.dbrescue.plan;

import io.dbrescue.scan.Engine;

import java.util.Locale;
import java.util.Map;

/**
 * How the container strategy gets the old server version: the image per engine (templates from the
 * settings' [images] section, {major} and {version} replaced), the image that carries both PostgreSQL
 * versions for pg_upgrade ({old} and {new} replaced; empty for none), and which way PostgreSQL data is
 * moved (dump and restore, pg_upgrade, or dbrescue's choice).
 */
public record Containers(Map<Engine, String> images, String upgradeImage, UpgradeMethod method, String extensionImages) {
    public Containers(Map<Engine, String> images, String upgradeImage, UpgradeMethod method) {
        this(images, upgradeImage, method, "");
    }

    /**
     * The image of each engine that runs as a server, in the order the settings list them. The settings'
     * [images] keys and their defaults are made from this table (settings.Keys), so it is the only one.
     */
    public static final Containers DEFAULTS = new Containers(defaultImages(), "", UpgradeMethod.AUTO);

    private static Map<Engine, String> defaultImages() {
        Map<Engine, String> m = new java.util.LinkedHashMap<>();
        m.put(Engine.POSTGRESQL, "docker.io/library/postgres:{major}");
        m.put(Engine.MARIADB, "docker.io/library/mariadb:{major}");
        m.put(Engine.MYSQL, "docker.io/library/mysql:{major}");
        m.put(Engine.REDIS, "docker.io/library/redis:{major}");
        m.put(Engine.MONGODB, "docker.io/library/mongo:{major}");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * How a data directory of an older major version is moved into the newer server: dumped from the old server
     * in a container into the running target, or upgraded in place on a copy that then takes the target data
     * directory's place (PostgreSQL: pg_upgrade; MariaDB / MySQL: the newer server opens it, mariadb-upgrade).
     */
    public enum UpgradeMethod {
        /** In place when the programs are here and the target may be replaced (it holds no databases), else dump. */
        AUTO,
        /** The old server (in a container) dumped with the newer client tools into the running target server. */
        DUMP,
        /** pg_upgrade on a copy, into a new cluster that takes the target data directory's place. */
        PG_UPGRADE,
        /** The newer server upgrades a copy in place (MariaDB / MySQL; for PostgreSQL the same as pg-upgrade). */
        IN_PLACE;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether the data is upgraded in place (pg-upgrade and in-place name the same road). */
        public boolean inPlace() {
            return this == PG_UPGRADE || this == IN_PLACE;
        }

        public static UpgradeMethod parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (UpgradeMethod m : values()) {
                if (m.id().equals(t) || t.equals("pgupgrade") && m == PG_UPGRADE || t.equals("inplace") && m == IN_PLACE) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown upgrade method '" + text + "' (use auto, dump, pg-upgrade or "
                    + "in-place)");
        }
    }

    /** The image of an engine's version ("docker.io/library/postgres:16"). */
    public String image(Engine engine, String major, String version) {
        String template = images.getOrDefault(engine, DEFAULTS.images().get(engine));
        return template.replace("{major}", major).replace("{version}", version == null ? major : version);
    }

    /**
     * The images of the settings' images.postgresql_extensions, in order: each entry's extension names and its
     * template ({major}, {version} not yet replaced).
     */
    public java.util.List<Map.Entry<java.util.Set<String>, String>> extensionImageEntries() {
        java.util.List<Map.Entry<java.util.Set<String>, String>> out = new java.util.ArrayList<>();
        if (extensionImages == null || extensionImages.isBlank()) {
            return out;
        }
        for (String entry : extensionImages.split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                java.util.Set<String> names = new java.util.LinkedHashSet<>(java.util.List.of(entry.substring(0, eq).strip()
                        .toLowerCase(Locale.ROOT).split("\\+")));
                out.add(Map.entry(names, entry.substring(eq + 1).strip()));
            }
        }
        return out;
    }

    /** The image that holds both PostgreSQL versions for pg_upgrade, or null when none is configured. */
    public String upgradeImage(String oldMajor, String newMajor) {
        return upgradeImage == null || upgradeImage.isBlank() ? null
                : upgradeImage.replace("{old}", oldMajor).replace("{new}", newMajor);
    }

    public Containers withMethod(UpgradeMethod m) {
        return new Containers(images, upgradeImage, m, extensionImages);
    }
}
