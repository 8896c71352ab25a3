package io.dbrescue.machine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which package provides a missing program on Debian / Ubuntu, Fedora (and RHEL-like) and Arch, and
 * which of these we run on, so that a message can say the right command first:
 * {@code pg_dump} 17 is {@code apt install postgresql-client-17}, {@code dnf install postgresql17},
 * {@code pacman -S postgresql}.
 */
public final class Packages {
    private Packages() {
    }

    /** The distribution families dbrescue knows the package names of. */
    public enum Family {
        DEBIAN("Debian / Ubuntu", "apt install"),
        FEDORA("Fedora / RHEL", "dnf install"),
        ARCH("Arch", "pacman -S"),
        OTHER("this system", null);

        private final String displayName;
        private final String install;

        Family(String displayName, String install) {
            this.displayName = displayName;
            this.install = install;
        }

        public String displayName() {
            return displayName;
        }

        /** "apt install", "dnf install", "pacman -S"; null for OTHER. */
        public String installCommand() {
            return install;
        }
    }

    /**
     * The distribution we run on, from os-release.
     *
     * @param id     ID, e.g. "debian", "ubuntu", "fedora", "arch"; null when unknown
     * @param name   PRETTY_NAME (or NAME), e.g. "Debian GNU/Linux 12 (bookworm)"; null when unknown
     * @param family the package family from ID and ID_LIKE
     */
    public record Distribution(String id, String name, Family family) {
        /** This machine: /etc/os-release, else /usr/lib/os-release; OTHER when neither can be read. */
        public static Distribution detect() {
            Distribution d = read(Path.of("/etc/os-release"));
            return d.id() != null ? d : read(Path.of("/usr/lib/os-release"));
        }

        public static Distribution read(Path osRelease) {
            return parse(String.join("\n", Probe.lines(osRelease)));
        }

        /** Parses os-release text (KEY=value lines, values optionally quoted). */
        public static Distribution parse(String text) {
            Map<String, String> v = new LinkedHashMap<>();
            for (String line : text.split("\\R")) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    String value = line.substring(eq + 1).strip();
                    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                        value = value.substring(1, value.length() - 1);
                    }
                    v.put(line.substring(0, eq).strip(), value);
                }
            }
            String id = v.get("ID");
            String name = v.getOrDefault("PRETTY_NAME", v.get("NAME"));
            List<String> ids = new ArrayList<>();
            if (id != null) {
                ids.add(id.toLowerCase(Locale.ROOT));
            }
            if (v.get("ID_LIKE") != null) {
                ids.addAll(List.of(v.get("ID_LIKE").toLowerCase(Locale.ROOT).split("\\s+")));
            }
            Family family = Family.OTHER;
            for (String i : ids) {
                if (Set.of("debian", "ubuntu").contains(i)) {
                    family = Family.DEBIAN;
                } else if (Set.of("fedora", "rhel", "centos").contains(i)) {
                    family = Family.FEDORA;
                } else if (Set.of("arch", "archlinux").contains(i)) {
                    family = Family.ARCH;
                } else {
                    continue;
                }
                break;
            }
            return new Distribution(id, name, family);
        }
    }

    /**
     * Where a program comes from.
     *
     * @param tool     the program asked for
     * @param major    the major version asked for, or null
     * @param packages package name per family (a family is absent when it has no package)
     * @param note     what else to know ("PostgreSQL 17 needs the PGDG repository when ..."), or null
     */
    public record Suggestion(String tool, String major, Map<Family, String> packages, String note) {
        /** "apt install postgresql-client-17"; empty when that family has no package for it. */
        public Optional<String> command(Family family) {
            String p = packages.get(family);
            return p == null || family.installCommand() == null ? Optional.empty()
                    : Optional.of(family.installCommand() + " " + p);
        }

        /**
         * A sentence for people, this system's command first: "pg_dump 17 is missing. Install it with
         * apt install postgresql-client-17 (Fedora / RHEL: dnf install postgresql17; Arch: pacman -S postgresql)."
         */
        public String advice(Family current) {
            StringBuilder b = new StringBuilder(tool);
            if (major != null) {
                b.append(' ').append(major);
            }
            b.append(" is missing.");
            List<String> others = new ArrayList<>();
            Optional<String> mine = command(current);
            for (Family f : Family.values()) {
                if (f != current && f != Family.OTHER) {
                    command(f).ifPresent(c -> others.add(f.displayName() + ": " + c));
                }
            }
            if (mine.isPresent()) {
                b.append(" Install it with ").append(mine.get());
                if (!others.isEmpty()) {
                    b.append(" (").append(String.join("; ", others)).append(')');
                }
                b.append('.');
            } else if (!others.isEmpty()) {
                b.append(" Packages that provide it: ").append(String.join("; ", others)).append('.');
            }
            if (note != null) {
                b.append(' ').append(note);
            }
            return b.toString();
        }
    }

    private static final Set<String> PG_CLIENT = Set.of("pg_dump", "pg_restore", "psql", "pg_dumpall", "pg_isready",
            "createdb", "dropdb", "createuser", "pg_basebackup");
    private static final Set<String> PG_SERVER = Set.of("postgres", "initdb", "pg_ctl", "pg_upgrade",
            "pg_controldata", "pg_resetwal", "pg_checksums");
    private static final Set<String> MARIADB_CLIENT = Set.of("mariadb", "mariadb-dump", "mariadb-admin",
            "mysql", "mysqldump", "mysqladmin");
    private static final Set<String> MARIADB_SERVER = Set.of("mariadbd", "mariadb-install-db", "mariadb-upgrade",
            "mysql_install_db", "mysql_upgrade");

    /** The package(s) that provide a program (and major version, null for any); empty for unknown programs. */
    public static Optional<Suggestion> lookup(String tool, String major) {
        if (tool == null) {
            return Optional.empty();
        }
        String t = Path.of(tool).getFileName().toString();
        Map<Family, String> p = new EnumMap<>(Family.class);
        String note = null;
        if (PG_CLIENT.contains(t) || PG_SERVER.contains(t)) {
            boolean client = PG_CLIENT.contains(t);
            String m = pgMajor(major);
            p.put(Family.DEBIAN, client ? (m != null ? "postgresql-client-" + m : "postgresql-client")
                    : (m != null ? "postgresql-" + m : "postgresql"));
            p.put(Family.FEDORA, m != null ? "postgresql" + m.replace(".", "") + (client ? "" : "-server")
                    : client ? "postgresql" : "postgresql-server");
            p.put(Family.ARCH, "postgresql");
            if (m != null) {
                note = "If your release does not carry PostgreSQL " + m + ", add the PostgreSQL project's repository"
                        + " (apt.postgresql.org, or download.postgresql.org for dnf; programs then live in"
                        + " /usr/lib/postgresql/" + m + "/bin or /usr/pgsql-" + m + "/bin). Arch carries only the"
                        + " newest major (and the previous one's server in postgresql-old-upgrade, under /opt/pgsql-N);"
                        + " for another version a container is the way.";
            }
        } else if (MARIADB_CLIENT.contains(t)) {
            p.put(Family.DEBIAN, "mariadb-client");
            p.put(Family.FEDORA, "mariadb");
            p.put(Family.ARCH, "mariadb-clients");
        } else if (MARIADB_SERVER.contains(t)) {
            p.put(Family.DEBIAN, "mariadb-server");
            p.put(Family.FEDORA, "mariadb-server");
            p.put(Family.ARCH, "mariadb");
            if (major != null) {
                note = "Distributions carry one MariaDB version each; for MariaDB " + major
                        + " use MariaDB's repository (mariadb.org/download) or a container.";
            }
        } else if (t.equals("mysqld")) {
            p.put(Family.FEDORA, "mysql-server");
            note = "Debian and Arch do not carry MySQL's server (their mysqld is MariaDB); use MySQL's own"
                    + " repository (dev.mysql.com/downloads/repo) or a container.";
        } else if (t.equals("redis-server") || t.equals("redis-cli")) {
            p.put(Family.DEBIAN, t.equals("redis-server") ? "redis-server" : "redis-tools");
            p.put(Family.FEDORA, "redis");
            p.put(Family.ARCH, "valkey");
            note = "Newer Fedora and Arch ship Valkey, a compatible fork of Redis, in its place.";
        } else if (Set.of("mongod", "mongosh", "mongo").contains(t)) {
            note = "MongoDB is not carried by Debian, Fedora or Arch: install mongodb-org from MongoDB's own"
                    + " repository (repo.mongodb.org), or run it in a container.";
        } else if (Set.of("mongorestore", "mongodump").contains(t)) {
            note = "MongoDB's tools are not carried by Debian, Fedora or Arch: install mongodb-database-tools from"
                    + " MongoDB's own repository (repo.mongodb.org).";
        } else if (t.equals("sqlite3")) {
            p.put(Family.DEBIAN, "sqlite3");
            p.put(Family.FEDORA, "sqlite");
            p.put(Family.ARCH, "sqlite");
        } else if (Set.of("podman", "rsync", "zstd", "xz", "gzip", "bzip2", "pigz", "tar").contains(t)) {
            String name = t.equals("xz") ? "xz" : t;
            p.put(Family.DEBIAN, t.equals("xz") ? "xz-utils" : name);
            p.put(Family.FEDORA, name);
            p.put(Family.ARCH, name);
        } else {
            return Optional.empty();
        }
        return Optional.of(new Suggestion(t, major, Map.copyOf(p), note));
    }

    /** The advice for this machine's distribution. */
    public static String advice(String tool, String major) {
        Family here = Distribution.detect().family();
        return lookup(tool, major).map(s -> s.advice(here))
                .orElse(tool + (major != null ? " " + major : "") + " is missing; install it with your"
                        + " system's package manager.");
    }

    /** "17" for 17.11, "9.6" for 9.6.24; null stays null. */
    private static String pgMajor(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        return io.dbrescue.machine.InstalledServer.majorOf(io.dbrescue.scan.Engine.POSTGRESQL, v.strip());
    }
}
