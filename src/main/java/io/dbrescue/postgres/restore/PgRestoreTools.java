package io.dbrescue.postgres.restore;

import io.dbrescue.run.Exec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finding PostgreSQL programs (server and client tools) and asking them their version; read-only. */
final class PgRestoreTools {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+(?:\\.\\d+)*)");

    private PgRestoreTools() {
    }

    /** The program in the first of these folders that has it, else on the PATH; null when nowhere. */
    static Path find(String program, List<Path> binDirs) {
        for (Path dir : binDirs) {
            if (dir != null && Files.isExecutable(dir.resolve(program))) {
                return dir.resolve(program);
            }
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        return null;
    }

    /** "15.20" from `program --version`; null when it cannot be run or says nothing recognisable. */
    static String version(Path program) {
        if (program == null) {
            return null;
        }
        try {
            Exec.Result r = Exec.of(List.of(program.toString(), "--version")).timeout(java.time.Duration.ofSeconds(30))
                    .run(null);
            Matcher m = VERSION.matcher(r.stdoutTail() + "\n" + r.stderrTail());
            return r.ok() && m.find() ? m.group(1) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The major as an int: 15 for "15.20", 9 for "9.6.24" (enough to compare with 12+). */
    static int major(String version) {
        if (version == null) {
            return -1;
        }
        try {
            return Integer.parseInt(version.split("[.]")[0].trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** How to install a missing program (client tools or server) of a major version, per distribution. */
    static String installHint(String program, String major) {
        boolean server = program.equals("postgres") || program.equals("pg_ctl") || program.equals("initdb");
        String m = major == null || major.isBlank() ? "N" : major;
        return "Install it: on Debian/Ubuntu `sudo apt install postgresql-" + (server ? "" : "client-") + m
                + "`, on Fedora `sudo dnf install postgresql" + (server ? "-server" : "") + "`, on Arch `sudo pacman -S "
                + (server ? "postgresql" : "postgresql-libs") + "` — or give the folder that has " + program
                + " with --target-bin.";
    }

    /** The folders to look in for client tools: --target-bin, then each installed server's, newest first. */
    /** Contrib extensions that newer PostgreSQL versions dropped (no package brings them back). */
    static boolean removedFromCore(String extension) {
        return List.of("adminpack", "old_snapshot").contains(extension);
    }

    /** Which package installs an extension for a PostgreSQL major, in words a user can act on. */
    static String extensionHint(String extension, String major) {
        if (removedFromCore(extension)) {
            return extension + " no longer exists in PostgreSQL " + major + ": drop it from the source (DROP EXTENSION "
                    + extension + ") and dump again, or restore into a server of the old version.";
        }
        String debian = switch (extension) {
            case "postgis", "postgis_topology", "postgis_raster", "postgis_tiger_geocoder", "address_standardizer" ->
                    "postgresql-" + major + "-postgis-3";
            case "vector" -> "postgresql-" + major + "-pgvector";
            case "timescaledb" -> "timescaledb-2-postgresql-" + major;
            default -> "postgresql-contrib (core extensions), or the package named postgresql-" + major + "-" + extension;
        };
        return "Install " + extension + " for PostgreSQL " + major + ": Debian/Ubuntu apt install " + debian
                + "; Fedora dnf install " + (extension.startsWith("postgis") ? "postgis" : "postgresql" + major + "-contrib")
                + "; Arch pacman -S " + (extension.startsWith("postgis") ? "postgis" : "postgresql") + ".";
    }

    static List<Path> clientDirs(Path optionBin, List<Path> serverBins) {
        List<Path> dirs = new ArrayList<>();
        if (optionBin != null) {
            dirs.add(optionBin);
        }
        dirs.addAll(serverBins);
        return dirs;
    }
}
