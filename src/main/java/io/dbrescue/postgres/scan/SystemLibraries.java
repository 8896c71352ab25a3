package io.dbrescue.postgres.scan;

import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ReadOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The libraries that decide how a PostgreSQL server sorts text — the C library (glibc; musl) and ICU — as a
 * system's files tell them: the old system's, read from a backup (nothing but reads, links followed only when they
 * stay inside the backup), or this machine's ("/"). Sources, best first: the package database
 * ({@code var/lib/dpkg/status}: libc6, libicuNN; {@code var/lib/pacman/local}: glibc-V, icu-V), the libraries
 * themselves ({@code libc.so.6}: its name libc-2.27.so up to 2.33, else the banner "release version 2.36" inside it;
 * {@code ld-musl-*}; {@code libicuuc.so.NN}), and last the release named in {@code os-release} through
 * {@link DistroLibraries}. A backup usually holds /etc and /var/lib, so the package database is what is there.
 *
 * @param system      PRETTY_NAME of os-release, or null
 * @param osId        ID:VERSION_ID ("ubuntu:18.04"), or null
 * @param libc        "glibc" or "musl", or null when unknown
 * @param libcVersion "2.27" (glibc), or null
 * @param libcFrom    where libc and libcVersion were read
 * @param icu         the ICU version ("72.1", "60"), or null
 * @param icuFrom     where it was read
 */
public record SystemLibraries(String system, String osId, String libc, String libcVersion, String libcFrom, String icu,
                              String icuFrom) {
    private static final Logger LOG = LoggerFactory.getLogger(SystemLibraries.class);
    /** The finding's detail with the old system's facts (a map, see {@link #toMap}). */
    public static final String DETAIL = "oldSystem";
    private static final SystemLibraries NONE = new SystemLibraries(null, null, null, null, null, null, null);

    /** Whether anything is known. */
    public boolean known() {
        return system != null || libc != null || icu != null;
    }

    /** "glibc 2.27", "musl", or null. */
    public String libcText() {
        return libc == null ? null : libcVersion == null ? libc : libc + " " + libcVersion;
    }

    /** This machine's libraries (read once per call: cheap, a few files). */
    public static SystemLibraries here() {
        return read(Path.of("/"), Path.of("/"));
    }

    /**
     * The libraries of the system whose files are under {@code systemRoot}; links are followed only while they stay
     * below {@code limit} (the backup's root).
     */
    public static SystemLibraries read(Path systemRoot, Path limit) {
        Map<String, String> os = osRelease(systemRoot, limit);
        String[] libc = null;
        String[] icu = null;
        try {
            String[][] dpkg = LibraryFiles.dpkg(systemRoot.resolve("var/lib/dpkg/status"));
            libc = dpkg[0];
            icu = dpkg[1];
            String[][] pacman = LibraryFiles.pacman(systemRoot.resolve("var/lib/pacman/local"));
            libc = libc != null ? libc : pacman[0];
            icu = icu != null ? icu : pacman[1];
            libc = libc != null ? libc : LibraryFiles.libcFile(systemRoot);
            icu = icu != null ? icu : LibraryFiles.icuFile(systemRoot);
        } catch (IOException | RuntimeException e) {
            LOG.debug("libraries of {} not readable", systemRoot, e);
        }
        String osId = os.get("ID") == null ? null : os.get("ID") + ":" + os.getOrDefault("VERSION_ID", "");
        DistroLibraries.Release r = DistroLibraries.of(os.get("ID"), os.get("VERSION_ID"));
        String osFrom = os.get("__from");
        if (libc == null && r != null) {
            libc = new String[] {r.libc(), r.libcVersion(), r.name() + " (" + osFrom + ") ships " + r.libcText()};
        }
        if (icu == null && r != null && r.icu() != null) {
            icu = new String[] {r.icu(), r.name() + " (" + osFrom + ") ships ICU " + r.icu()};
        }
        return new SystemLibraries(os.getOrDefault("PRETTY_NAME", os.get("NAME")), osId, libc == null ? null : libc[0],
                libc == null ? null : libc[1], libc == null ? null : libc[2], icu == null ? null : icu[0],
                icu == null ? null : icu[1]);
    }

    /**
     * The old system of a data directory in a backup: the nearest folder above it (up to the backup's root) that
     * looks like a system's root (etc/os-release, usr/lib/os-release or var/lib/dpkg/status). A data directory in a
     * container's volume (var/lib/docker/volumes, containers/storage/volumes) ran under the image's libraries, not the
     * host's: nothing is known then.
     */
    public static SystemLibraries ofDataDirectory(Path backupRoot, String relativeDataDir) {
        if (relativeDataDir.matches("(?:.*/)?(?:var/lib/docker|containers/storage)/volumes/.*")) {
            return NONE;
        }
        Path dir = backupRoot.resolve(relativeDataDir).normalize();
        for (Path p = dir.getParent(); p != null && p.startsWith(backupRoot); p = p.getParent()) {
            if (exists(p.resolve("etc/os-release")) || exists(p.resolve("usr/lib/os-release"))
                    || exists(p.resolve("var/lib/dpkg/status")) || exists(p.resolve("var/lib/pacman/local"))) {
                return read(p, backupRoot);
            }
        }
        return NONE;
    }

    /** Adds the old system's facts to a data directory's finding (nothing when none is known). */
    public static void addTo(Finding f, Path backupRoot, String relativeDataDir) {
        SystemLibraries s = ofDataDirectory(backupRoot, relativeDataDir);
        if (s.known()) {
            f.detail(DETAIL, s.toMap());
        }
    }

    /** The facts as a finding's detail (only those that are known). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "system", system);
        put(m, "osId", osId);
        put(m, "libc", libc);
        put(m, "libcVersion", libcVersion);
        put(m, "libcFrom", libcFrom);
        put(m, "icu", icu);
        put(m, "icuFrom", icuFrom);
        return m;
    }

    /** The facts back from a finding's detail; an empty record when there is none. */
    public static SystemLibraries of(Finding f) {
        if (!(f.getDetails().get(DETAIL) instanceof Map<?, ?> m)) {
            return NONE;
        }
        return new SystemLibraries(str(m, "system"), str(m, "osId"), str(m, "libc"), str(m, "libcVersion"),
                str(m, "libcFrom"), str(m, "icu"), str(m, "icuFrom"));
    }

    /**
     * The ICU major version a PostgreSQL server program uses: a bundled libicuuc.so.NN beside its bin folder
     * (zonky's builds carry ICU 60 in lib/), else the library it names (the DT_NEEDED string "libicuuc.so.72" in the
     * program); null without ICU or when unreadable.
     */
    public static String icuOfServer(Path binDir) {
        try {
            String bundled = LibraryFiles.icuIn(binDir.resolve("../lib").normalize());
            if (bundled != null) {
                return bundled;
            }
            byte[] program = Files.readAllBytes(binDir.resolve("postgres"));
            Matcher m = LibraryFiles.ICU_FILE.matcher(new String(program, StandardCharsets.ISO_8859_1));
            return m.find() ? m.group(1) : null;
        } catch (IOException | RuntimeException e) {
            LOG.debug("ICU of {} unknown", binDir, e);
            return null;
        }
    }

    private static Map<String, String> osRelease(Path root, Path limit) {
        for (String name : List.of("etc/os-release", "usr/lib/os-release")) {
            Path file = inside(root.resolve(name), root, limit);
            if (file == null) {
                continue;
            }
            try {
                byte[] b = ReadOnly.head(file, 64 * 1024);
                Map<String, String> m = b == null ? Map.of() : keyValues(new String(b, StandardCharsets.UTF_8));
                if (m.get("ID") != null) {
                    m.put("__from", name);
                    return m;
                }
            } catch (IOException e) {
                LOG.debug("{} not readable", file, e);
            }
        }
        return new LinkedHashMap<>();
    }

    private static Map<String, String> keyValues(String text) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                String value = line.substring(eq + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                v.put(line.substring(0, eq).strip(), value);
            }
        }
        return v;
    }

    /**
     * The file itself when it is a regular file; the target of a link when it stays below {@code limit} (a relative
     * link, or an absolute one read as below the system's root); else null.
     */
    private static Path inside(Path file, Path root, Path limit) {
        try {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return file;
            }
            if (!Files.isSymbolicLink(file)) {
                return null;
            }
            Path to = Files.readSymbolicLink(file);
            Path target = to.isAbsolute() ? root.resolve(to.toString().substring(1)).normalize()
                    : file.getParent().resolve(to).normalize();
            return target.startsWith(limit) && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) ? target : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static void put(Map<String, Object> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static String str(Map<?, ?> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }
}
