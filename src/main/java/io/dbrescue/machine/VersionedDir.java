package io.dbrescue.machine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Folders whose children named {@code prefix + N} (N a version number) each hold {@code suffix}:
 * {@code /usr/lib/postgresql} + "" + "bin" is Debian's {@code /usr/lib/postgresql/15/bin}, {@code /opt} +
 * "pgsql-" + "bin" is Arch's old-version package, {@code /usr} + "pgsql-" + "bin" the PGDG RPMs'.
 */
public record VersionedDir(Path parent, String prefix, String suffix) {
    /** A version number as folders are named for it: "15", "9.6". */
    public static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

    /** The version-named folders that exist, with their version: "15" to /usr/lib/postgresql/15/bin. */
    public Map<String, Path> existing() {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Path child : Probe.list(parent)) {
            String name = child.getFileName().toString();
            if (name.startsWith(prefix) && NUMBER.matcher(name.substring(prefix.length())).matches()) {
                Path p = suffix.isEmpty() ? child : child.resolve(suffix);
                if (Files.isDirectory(p)) {
                    out.put(name.substring(prefix.length()), p);
                }
            }
        }
        return out;
    }

    public VersionedDir under(Path root) {
        return new VersionedDir(TargetDiscovery.reroot(root, parent), prefix, suffix);
    }
}
