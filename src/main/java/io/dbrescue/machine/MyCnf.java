package io.dbrescue.machine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the server options (port, datadir, socket ...) from MariaDB / MySQL option files: sections
 * [mysqld], [server], [mariadb], [mariadbd], [client-server] (later files and lines win), following
 * {@code !include FILE} and {@code !includedir DIR} (its *.cnf files, in name order) up to 10 levels.
 * Keys are lower case with '-' written '_' (character-set-server is character_set_server).
 * A small reader of its own: ini libraries stop at the ! directives and at keys without values.
 */
public final class MyCnf {
    private static final Set<String> SERVER_SECTIONS =
            Set.of("mysqld", "server", "mariadb", "mariadbd", "client-server");

    private MyCnf() {
    }

    /** The server options from this file and what it includes; empty when it is missing or unreadable. */
    public static Map<String, String> server(Path file, TargetDiscovery.Layout layout) {
        return options(file, layout.root(), SERVER_SECTIONS);
    }

    /**
     * The options of these sections (lower case; e.g. "mysqld", "mariadb-10.11", "client") from a file and
     * what it includes, with absolute paths in !include lines read under {@code root} (a backup's copy of an
     * old system: its etc/mysql/my.cnf includes /etc/mysql/conf.d/, which is root/etc/mysql/conf.d/ there).
     */
    public static Map<String, String> options(Path file, Path root, Set<String> sections) {
        Map<String, String> out = new HashMap<>();
        read(file, root, sections, out, new HashSet<>(), 0);
        return out;
    }

    /** The sections a server of this version reads: the usual ones plus [mariadb-10.11] / [mysqld-8.0]. */
    public static Set<String> serverSections(boolean mariadb, String major) {
        Set<String> s = new HashSet<>(SERVER_SECTIONS);
        if (major != null) {
            s.add((mariadb ? "mariadb-" : "mysqld-") + major);
            s.add("mysqld-" + major);
        }
        return s;
    }

    private static Path inRoot(Path root, String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? TargetDiscovery.reroot(root, p) : p;
    }

    private static void read(Path file, Path root, Set<String> sections, Map<String, String> out, Set<Path> seen,
                             int depth) {
        if (depth > 10 || !seen.add(Probe.real(file))) {
            return;
        }
        String section = "";
        for (String raw : Probe.lines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("!includedir")) {
                Path dir = inRoot(root, line.substring("!includedir".length()).strip());
                List<Path> files = Probe.list(dir).stream()
                        .filter(p -> p.getFileName().toString().endsWith(".cnf") && Files.isRegularFile(p)).toList();
                for (Path f : files) {
                    read(f, root, sections, out, seen, depth + 1);
                }
                continue;
            }
            if (line.startsWith("!include")) {
                read(inRoot(root, line.substring("!include".length()).strip()), root, sections, out, seen, depth + 1);
                continue;
            }
            if (line.startsWith("[") && line.contains("]")) {
                section = line.substring(1, line.indexOf(']')).strip().toLowerCase(Locale.ROOT);
                continue;
            }
            if (!sections.contains(section)) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip().toLowerCase(Locale.ROOT).replace('-', '_');
            String value = eq < 0 ? "" : line.substring(eq + 1).strip();
            int hash = value.indexOf(" #");
            if (hash >= 0) {
                value = value.substring(0, hash).strip();
            }
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            // [client-server] applies to both sides; a [mysqld] value wins over it
            if (section.equals("client-server") && out.containsKey(key)) {
                continue;
            }
            out.put(key, value);
        }
    }
}
