package io.dbrescue.postgres;

import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ReadOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final List<String> LIB_DIRS = List.of("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu",
            "lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib64", "usr/lib64", "lib", "usr/lib");
    private static final Pattern BANNER = Pattern.compile("release version (\\d+\\.\\d+)");
    private static final Pattern LIBC_FILE = Pattern.compile("libc-(\\d+\\.\\d+)\\.so");
    private static final Pattern ICU_FILE = Pattern.compile("libicuuc\\.so\\.(\\d+)(?:\\.\\d+)*");
    private static final Pattern PACMAN = Pattern.compile("(glibc|icu)-(\\d+(?:\\.\\d+)*)-\\d+");
    private static final int MAX_LIBRARY = 16 << 20;
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
            String[][] dpkg = dpkg(systemRoot.resolve("var/lib/dpkg/status"));
            libc = dpkg[0];
            icu = dpkg[1];
            String[][] pacman = pacman(systemRoot.resolve("var/lib/pacman/local"));
            libc = libc != null ? libc : pacman[0];
            icu = icu != null ? icu : pacman[1];
            libc = libc != null ? libc : libcFile(systemRoot);
            icu = icu != null ? icu : icuFile(systemRoot);
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
            String bundled = icuIn(binDir.resolve("../lib").normalize());
            if (bundled != null) {
                return bundled;
            }
            byte[] program = Files.readAllBytes(binDir.resolve("postgres"));
            Matcher m = ICU_FILE.matcher(new String(program, StandardCharsets.ISO_8859_1));
            return m.find() ? m.group(1) : null;
        } catch (IOException | RuntimeException e) {
            LOG.debug("ICU of {} unknown", binDir, e);
            return null;
        }
    }

    // ---------------------------------------------------------------- sources

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
     * {libc6, ICU} from a dpkg status file: the installed libc6 ("glibc", "2.36", source) and the newest installed
     * libicuNN ("72.1", source); entries null when absent.
     */
    static String[][] dpkg(Path status) throws IOException {
        if (!Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS)) {
            return new String[2][];
        }
        String[] libc = null;
        String[] icu = null;
        int icuMajor = -1;
        try (InputStream in = ReadOnly.open(status);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String pkg = null;
            String state = null;
            String version = null;
            for (String line = r.readLine(); ; line = r.readLine()) {
                if (line == null || line.isEmpty()) {
                    if (pkg != null && version != null && state != null && state.endsWith(" installed")) {
                        String upstream = version.replaceFirst("^\\d+:", "").replaceFirst("-[^-]*$", "");
                        if (pkg.equals("libc6") && libc == null) {
                            libc = new String[] {"glibc", majorMinor(upstream), "var/lib/dpkg/status (libc6 " + version + ")"};
                        } else if (pkg.matches("libicu\\d+") && Integer.parseInt(pkg.substring(6)) > icuMajor) {
                            icuMajor = Integer.parseInt(pkg.substring(6));
                            icu = new String[] {upstream, "var/lib/dpkg/status (" + pkg + " " + version + ")"};
                        }
                    }
                    if (line == null) {
                        break;
                    }
                    pkg = state = version = null;
                } else if (line.startsWith("Package: ")) {
                    pkg = line.substring(9).strip();
                } else if (line.startsWith("Status: ")) {
                    state = line.substring(8).strip();
                } else if (line.startsWith("Version: ")) {
                    version = line.substring(9).strip();
                }
            }
        }
        return new String[][] {libc, icu};
    }

    /** {glibc, ICU} from Arch's package database: folders named glibc-2.38-7 and icu-74.2-1. */
    static String[][] pacman(Path local) throws IOException {
        String[][] out = new String[2][];
        if (!Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(local)) {
            for (Path p : s) {
                Matcher m = PACMAN.matcher(p.getFileName().toString());
                if (m.matches()) {
                    String from = "var/lib/pacman/local/" + p.getFileName();
                    if (m.group(1).equals("glibc")) {
                        out[0] = new String[] {"glibc", majorMinor(m.group(2)), from};
                    } else {
                        out[1] = new String[] {m.group(2), from};
                    }
                }
            }
        }
        return out;
    }

    /** The C library from the files: libc.so.6 (its link's name, else its banner) or musl's loader. */
    private static String[] libcFile(Path root) throws IOException {
        for (String dir : LIB_DIRS) {
            Path so = root.resolve(dir).resolve("libc.so.6");
            if (Files.isSymbolicLink(so)) {
                Matcher m = LIBC_FILE.matcher(Files.readSymbolicLink(so).getFileName().toString());
                if (m.matches()) {
                    return new String[] {"glibc", m.group(1), dir + "/libc.so.6 (a link to " + m.group() + ")"};
                }
            } else if (Files.isRegularFile(so, LinkOption.NOFOLLOW_LINKS) && Files.size(so) <= MAX_LIBRARY) {
                Matcher m = BANNER.matcher(new String(ReadOnly.head(so, MAX_LIBRARY), StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    return new String[] {"glibc", m.group(1), dir + "/libc.so.6"};
                }
            }
        }
        for (String dir : List.of("lib", "usr/lib")) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(root.resolve(dir), "ld-musl-*")) {
                for (Path p : s) {
                    return new String[] {"musl", null, dir + "/" + p.getFileName()};
                }
            } catch (IOException absent) {
                // no such folder
            }
        }
        return null;
    }

    private static String[] icuFile(Path root) {
        for (String dir : LIB_DIRS) {
            String v = icuIn(root.resolve(dir));
            if (v != null) {
                return new String[] {v, dir + "/libicuuc.so." + v};
            }
        }
        return null;
    }

    /** The highest NN of a libicuuc.so.NN in the folder, or null. */
    private static String icuIn(Path dir) {
        int best = -1;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "libicuuc.so.*")) {
            for (Path p : s) {
                Matcher m = ICU_FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    best = Math.max(best, Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException | RuntimeException absent) {
            return null;
        }
        return best < 0 ? null : Integer.toString(best);
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

    /** "2.36" of "2.36.1" (glibc's collation version is its major.minor). */
    static String majorMinor(String v) {
        Matcher m = Pattern.compile("^(\\d+\\.\\d+)").matcher(v);
        return m.find() ? m.group(1) : v;
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
