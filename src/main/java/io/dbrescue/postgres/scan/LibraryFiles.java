package io.dbrescue.postgres.scan;

import io.dbrescue.scan.ReadOnly;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a system that name its C library and ICU ({@link SystemLibraries}): dpkg's and pacman's package
 * databases, and the libraries themselves. Each reader returns {kind, version, source} (C library) or {version,
 * source} (ICU), or null; every file is opened read-only without following links ({@link ReadOnly}).
 */
final class LibraryFiles {
    private static final List<String> LIB_DIRS = List.of("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu",
            "lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib64", "usr/lib64", "lib", "usr/lib");
    private static final Pattern BANNER = Pattern.compile("release version (\\d+\\.\\d+)");
    private static final Pattern LIBC_FILE = Pattern.compile("libc-(\\d+\\.\\d+)\\.so");
    static final Pattern ICU_FILE = Pattern.compile("libicuuc\\.so\\.(\\d+)(?:\\.\\d+)*");
    private static final Pattern PACMAN = Pattern.compile("(glibc|icu)-(\\d+(?:\\.\\d+)*)-\\d+");
    private static final int MAX_LIBRARY = 16 << 20;

    private LibraryFiles() {
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
    static String[] libcFile(Path root) throws IOException {
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

    static String[] icuFile(Path root) {
        for (String dir : LIB_DIRS) {
            String v = icuIn(root.resolve(dir));
            if (v != null) {
                return new String[] {v, dir + "/libicuuc.so." + v};
            }
        }
        return null;
    }

    /** The highest NN of a libicuuc.so.NN in the folder, or null. */
    static String icuIn(Path dir) {
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

    /** "2.36" of "2.36.1" (glibc's collation version is its major.minor). */
    static String majorMinor(String v) {
        Matcher m = Pattern.compile("^(\\d+\\.\\d+)").matcher(v);
        return m.find() ? m.group(1) : v;
    }
}
