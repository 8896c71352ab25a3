package io.dbrescue.target;

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
 * A small reader of its own: ini libraries stop at the ! directives and at keys without values.
 */
final class MyCnf {
    private static final Set<String> SERVER_SECTIONS =
            Set.of("mysqld", "server", "mariadb", "mariadbd", "client-server");

    private MyCnf() {
    }

    /** The server options from this file and what it includes; empty when it is missing or unreadable. */
    static Map<String, String> server(Path file, TargetDiscovery.Layout layout) {
        Map<String, String> out = new HashMap<>();
        read(file, layout, out, new HashSet<>(), 0);
        return out;
    }

    private static void read(Path file, TargetDiscovery.Layout layout, Map<String, String> out, Set<Path> seen,
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
                Path dir = layout.inRoot(line.substring("!includedir".length()).strip());
                List<Path> files = Probe.list(dir).stream()
                        .filter(p -> p.getFileName().toString().endsWith(".cnf") && Files.isRegularFile(p)).toList();
                for (Path f : files) {
                    read(f, layout, out, seen, depth + 1);
                }
                continue;
            }
            if (line.startsWith("!include")) {
                read(layout.inRoot(line.substring("!include".length()).strip()), layout, out, seen, depth + 1);
                continue;
            }
            if (line.startsWith("[") && line.contains("]")) {
                section = line.substring(1, line.indexOf(']')).strip().toLowerCase(Locale.ROOT);
                continue;
            }
            if (!SERVER_SECTIONS.contains(section)) {
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
