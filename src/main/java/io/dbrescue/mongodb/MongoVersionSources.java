package io.dbrescue.mongodb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a backup tells which MongoDB wrote a dbPath — the data files themselves do not (the FCV lives in
 * admin.system.version, inside compressed WiredTiger tables, and storage.bson holds only the storage
 * engine and its options):
 * <ul>
 * <li>{@code diagnostic.data/metrics.*}: FTDC files, a sequence of BSON documents whose first (type 0,
 * uncompressed) carries the serverStatus-style "buildInfo" with the server's {@code version};</li>
 * <li>the server log ({@code var/log/mongodb/mongod.log} and rotated copies in the backup): each start
 * logs "Build Info" with the version (JSON lines, 4.4+) or "db version vX.Y.Z" (text, up to 4.2).</li>
 * </ul>
 * The newest file wins: after an upgrade it names the version that wrote the data last.
 */
final class MongoVersionSources {
    private static final Logger LOG = LoggerFactory.getLogger(MongoVersionSources.class);
    private static final Pattern JSON_BUILD = Pattern.compile("\"buildInfo\":\\{\"version\":\"(\\d+\\.\\d+\\.\\d+)");
    private static final Pattern TEXT_BUILD = Pattern.compile("db version v(\\d+\\.\\d+\\.\\d+)");
    /** Logs bigger than this are not read to the end (a year of a busy server's log). */
    private static final long MAX_LOG = 512L << 20;

    /** A version and where it was read. */
    record Found(String version, String source) {
    }

    private MongoVersionSources() {
    }

    /** The version in the newest FTDC file of a dbPath's diagnostic.data, or null. */
    static Found diagnosticData(Path dbPath) {
        Path dir = dbPath.resolve("diagnostic.data");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "metrics.*")) {
            s.forEach(files::add);
        } catch (IOException e) {
            return null;
        }
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString().equals("metrics.interim"))
                .thenComparing(p -> p.getFileName().toString()));
        for (int i = files.size() - 1; i >= 0; i--) {
            String v = ftdcVersion(files.get(i));
            if (v != null) {
                return new Found(v, "diagnostic.data/" + files.get(i).getFileName());
            }
        }
        return null;
    }

    /** buildInfo.version from the first (metadata) document of an FTDC file. */
    static String ftdcVersion(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] four = new byte[4];
            long len = Bson.readLength(in, four);
            if (len < 5 || len > (4 << 20)) {
                return null;
            }
            return findVersion(Bson.parse(Bson.readRest(in, four, len)), 0);
        } catch (IOException e) {
            LOG.debug("no version in {}: {}", file, e.getMessage());
            return null;
        }
    }

    private static String findVersion(Map<String, Object> doc, int depth) {
        if (doc.get("buildInfo") instanceof Map<?, ?> b && b.get("version") instanceof String v) {
            return v;
        }
        if (depth < 4) {
            for (Object o : doc.values()) {
                if (o instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    String v = findVersion((Map<String, Object>) m, depth + 1);
                    if (v != null) {
                        return v;
                    }
                }
            }
        }
        return null;
    }

    /** The last start-up version line in the backup's mongod logs, newest file first; null when none. */
    static Found logs(Path backupRoot, Path dbPath) {
        List<Path> logs = new ArrayList<>();
        for (Path dir : List.of(backupRoot.resolve("var/log/mongodb"), dbPath.resolveSibling("log"),
                dbPath.getParent() == null ? dbPath : dbPath.getParent().resolveSibling("log").resolve("mongodb"))) {
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "mongo*.log*")) {
                    s.forEach(p -> {
                        if (Files.isRegularFile(p) && !p.toString().endsWith(".gz") && !logs.contains(p)) {
                            logs.add(p);
                        }
                    });
                } catch (IOException e) {
                    LOG.debug("cannot list {}: {}", dir, e.getMessage());
                }
            }
        }
        logs.sort(Comparator.comparing(MongoVersionSources::modified).reversed());
        for (Path log : logs) {
            String v = lastVersion(log);
            if (v != null) {
                return new Found(v, backupRoot.relativize(log).toString());
            }
        }
        return null;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    static String lastVersion(Path log) {
        String last = null;
        long read = 0;
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = r.readLine()) != null && read < MAX_LOG; ) {
                read += line.length() + 1;
                if (line.contains("buildInfo") || line.contains("db version")) {
                    Matcher m = JSON_BUILD.matcher(line);
                    Matcher t = TEXT_BUILD.matcher(line);
                    if (m.find()) {
                        last = m.group(1);
                    } else if (t.find()) {
                        last = t.group(1);
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot read {}: {}", log, e.getMessage());
        }
        return last;
    }
}
