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

    private static final Set<String> GENERAL = Set.of("podman", "rsync", "zstd", "xz", "gzip", "bzip2", "pigz", "tar");

    /**
     * The package of a general program dbrescue uses (podman, rsync, compressors); empty for others. The engines'
     * own programs are in their descriptors ({@code EngineDescriptor.packages}).
     */
    public static Optional<Suggestion> lookup(String tool, String major) {
        if (tool == null || !GENERAL.contains(name(tool))) {
            return Optional.empty();
        }
        String t = name(tool);
        Map<Family, String> p = new EnumMap<>(Family.class);
        p.put(Family.DEBIAN, t.equals("xz") ? "xz-utils" : t);
        p.put(Family.FEDORA, t);
        p.put(Family.ARCH, t);
        return Optional.of(new Suggestion(t, major, Map.copyOf(p), null));
    }

    /** The program's file name: "initdb" for /usr/lib/postgresql/16/bin/initdb. */
    public static String name(String tool) {
        return Path.of(tool).getFileName().toString();
    }

    /** The advice for this machine's distribution from a suggestion (empty: "use your package manager"). */
    public static String advice(Optional<Suggestion> suggestion, String tool, String major) {
        Family here = Distribution.detect().family();
        return suggestion.map(s -> s.advice(here))
                .orElse(tool + (major != null ? " " + major : "") + " is missing; install it with your"
                        + " system's package manager.");
    }
}
