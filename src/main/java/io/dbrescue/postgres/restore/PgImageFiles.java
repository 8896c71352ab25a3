package io.dbrescue.postgres.restore;

import io.dbrescue.container.ContainerRun;
import io.dbrescue.container.Podman;
import io.dbrescue.run.Exec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which extensions and libraries a PostgreSQL image has for one major version, for the pre-flight: the old server
 * in its container can only read a column of an extension's type (PostGIS's geometry) when the image has that
 * extension, and only starts with the preloaded libraries it has. Asked by listing the image's folders in a
 * throwaway container (no network, removed at once, labelled with the run): a fixed script with the major as its
 * argument, for the layouts images use — Debian's /usr/lib/postgresql/N/lib and /usr/share/postgresql/N/extension,
 * PostgreSQL's own builds' lib/postgresql and share/postgresql/extension, Alpine's /usr/local.
 */
final class PgImageFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PgImageFiles.class);
    private static final String SCRIPT = "for d in /usr/lib/postgresql/$1/lib /usr/lib/postgresql/$1/lib/postgresql "
            + "/usr/local/lib/postgresql /usr/local/pgsql/lib; do [ -d \"$d\" ] || continue; for f in \"$d\"/*.so; do "
            + "[ -e \"$f\" ] && echo \"lib ${f##*/}\"; done; done; "
            + "for d in /usr/share/postgresql/$1/extension /usr/lib/postgresql/$1/share/postgresql/extension "
            + "/usr/lib/postgresql/$1/share/extension /usr/local/share/postgresql/extension "
            + "/usr/local/pgsql/share/extension; do [ -d \"$d\" ] || continue; for f in \"$d\"/*.control; do "
            + "[ -e \"$f\" ] && echo \"ext ${f##*/}\"; done; done; exit 0";
    private static final Map<String, Files> CACHE = new HashMap<>();

    /** The libraries (names without .so) and extensions (names of .control files) an image has. */
    record Files(Set<String> libraries, Set<String> extensions) {
        boolean empty() {
            return libraries.isEmpty() && extensions.isEmpty();
        }
    }

    private PgImageFiles() {
    }

    /** What the image has for the major, or null when it cannot be told (not here, Podman missing or failing). */
    static synchronized Files of(String image, String major, String runId) {
        String key = image + "\n" + major;
        if (CACHE.containsKey(key)) {
            return CACHE.get(key);
        }
        Files found = null;
        if (Podman.program() != null && Podman.imageExists(image)) {
            found = list(image, major, runId);
        }
        if (found != null) {
            CACHE.put(key, found);
        }
        return found;
    }

    private static Files list(String image, String major, String runId) {
        List<String> argv = ContainerRun.of(image, runId).noNetwork()
                .command(List.of("/bin/sh", "-c", SCRIPT, "sh", major)).argv();
        java.nio.file.Path out = null;
        try {
            out = java.nio.file.Files.createTempFile("dbrescue-image-", ".txt");
            Exec.Result r = Exec.of(argv).stdoutTo(out).timeout(Duration.ofSeconds(120)).run(null);
            if (!r.ok()) {
                LOG.warn("listing {} failed: {}", image, r.stderrTail());
                return null;
            }
            return parse(java.nio.file.Files.readString(out));
        } catch (Exception e) {
            LOG.warn("listing {} failed", image, e);
            return null;
        } finally {
            if (out != null) {
                try {
                    java.nio.file.Files.deleteIfExists(out);
                } catch (java.io.IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    static Files parse(String out) {
        Set<String> libs = new LinkedHashSet<>();
        Set<String> exts = new LinkedHashSet<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("lib ") && line.endsWith(".so")) {
                libs.add(line.substring(4, line.length() - 3));
            } else if (line.startsWith("ext ") && line.endsWith(".control")) {
                exts.add(line.substring(4, line.length() - ".control".length()));
            }
        }
        return new Files(libs, exts);
    }

    /** The names of {@code wanted} the image lacks. */
    static List<String> missing(Files files, Set<String> wanted) {
        List<String> out = new ArrayList<>();
        for (String w : wanted) {
            if (!files.extensions().contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
