package io.dbrescue.postgres.scan;

import io.dbrescue.scan.DirectoryDetector;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Entry;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Folder;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ReadOnly;
import io.dbrescue.scan.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds PostgreSQL data directories (clusters) by content, wherever they are: a valid PG_VERSION file,
 * global/pg_control and base/. Reads pg_control (state, identity, checksums, CRC), the pg_database
 * catalog (database names; and through {@link PgCatalogFacts} the superuser, roles, encodings, locales and
 * extensions of each database), looks for what a restore needs that may be missing from the backup (the
 * WAL folder, tablespaces) and for the configuration (Debian's /etc/postgresql/N/NAME, or
 * postgresql.conf inside the data directory).
 */
public final class PgDataDirectoryDetector implements DirectoryDetector {
    private static final Logger LOG = LoggerFactory.getLogger(PgDataDirectoryDetector.class);
    /** "9.6", "10" ... "18", and the older "8.4" style. */
    private static final Pattern VERSION = Pattern.compile("(\\d{1,2})(?:\\.(\\d{1,2}))?");
    private static final Pattern DEBIAN = Pattern.compile("(?:(.*)/)?var/lib/postgresql/([^/]+)/([^/]+)");
    private static final Pattern PORT = Pattern.compile("^\\s*port\\s*=?\\s*'?(\\d{1,5})'?\\s*(?:#.*)?$");
    private static final String RESET_HINT = " Keep this copy as it is; pg_resetwal (same major version) can rebuild "
            + "a control file, but that can lose recent changes, so only use it on a copy.";

    @Override
    public Finding detect(Folder folder) throws IOException {
        Entry pgVersionEntry = folder.entry("PG_VERSION");
        if (pgVersionEntry == null || !pgVersionEntry.isFile()) {
            return null;
        }
        String version = readVersion(folder, pgVersionEntry);
        if (version == null) {
            if (folder.hasDirectory("base") || folder.hasDirectory("global")) {
                folder.suspicious("PG_VERSION here does not hold a PostgreSQL version number, so this is not "
                        + "treated as a PostgreSQL data directory.");
            }
            return null;
        }
        List<String> missing = new ArrayList<>();
        if (!folder.hasDirectory("global")) {
            missing.add("global/");
        } else if (!isRegularFile(folder.path().resolve("global").resolve("pg_control"))) {
            missing.add("global/pg_control");
        }
        if (!folder.hasDirectory("base")) {
            missing.add("base/");
        }
        if (!missing.isEmpty()) {
            folder.suspicious("Has a PG_VERSION file (PostgreSQL " + version + ") but no " + String.join(" or ", missing)
                    + ", so it is not a usable PostgreSQL data directory (only a fragment or a decoy).");
            return null;
        }
        int major = majorNumber(version);
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DATA_DIRECTORY).version(version);
        readControlFile(folder, version, f);
        checkRunning(folder, f);
        checkWal(folder, major, f);
        checkTablespaces(folder, f);
        findConfig(folder, f);
        SystemLibraries.addTo(f, folder.root(), folder.relativePath()); // which glibc / ICU sorted its text
        boolean namesRead = false;
        try {
            f.databases(PgCatalog.databaseNames(folder.path(), major));
            namesRead = true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("pg_database not readable in {}", folder.path(), e);
            f.warn("The list of databases could not be read from the catalog files (" + e.getMessage()
                    + "); start the server to see them.");
        }
        PgCatalogFacts.addTo(f, folder.path(), major, namesRead);
        return f;
    }

    /** The PG_VERSION text when it is a short text file holding a version, else null. */
    static String readVersion(Folder folder, Entry entry) throws IOException {
        if (entry.size() == 0 || entry.size() > 16) {
            return null;
        }
        byte[] b = folder.head("PG_VERSION", 16);
        if (b == null) {
            return null;
        }
        String text = new String(b, StandardCharsets.US_ASCII).strip();
        Matcher m = VERSION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int first = Integer.parseInt(m.group(1));
        boolean dotted = m.group(2) != null;
        // before 10 the major is "X.Y" (7.4 ... 9.6); from 10 on it is one number
        if (first < 10 ? !dotted || first < 7 : dotted || first > 99) {
            return null;
        }
        return text;
    }

    /** The major as a comparable number: 906 for "9.6", 1000 for "10", 1800 for "18"; -1 when not a version. */
    static int majorNumber(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            return -1;
        }
        int first = Integer.parseInt(m.group(1));
        return first * 100 + (m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    private static void readControlFile(Folder folder, String version, Finding f) throws IOException {
        Path file = folder.path().resolve("global").resolve("pg_control");
        long size = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        byte[] bytes = ReadOnly.head(file, PgControl.READ_BYTES);
        PgControl c = PgControl.parse(bytes, version);
        PgControl.Layout layout = c == null ? null : PgControl.layout(c.controlVersion(), version);
        if (c == null || layout != null && bytes.length < layout.size()) {
            f.problem(Status.DAMAGED, "global/pg_control, the cluster's control file, is cut short (" + size
                    + " bytes; PostgreSQL writes " + PgControl.FILE_SIZE + "): the server will refuse to start."
                    + RESET_HINT);
            return;
        }
        if (!c.knownLayout()) {
            unknownLayout(c, version, f);
            return;
        }
        if (c.crc() == PgControl.Crc.MISMATCH) {
            f.detail("pgControlCrc", "mismatch");
            f.problem(Status.DAMAGED, "global/pg_control, the cluster's control file, fails its checksum (CRC): "
                    + "it was damaged or altered, and the server will refuse to start." + RESET_HINT);
            return;
        }
        f.detail("systemIdentifier", c.systemIdentifierText())
                .detail("pgControlVersion", c.controlVersion())
                .detail("catalogVersion", c.catalogVersion())
                .detail("state", c.stateName())
                .detail("dataChecksums", c.dataChecksumVersion() != 0)
                .detail("pgControlCrc", c.crc() == PgControl.Crc.OK ? "ok" : "not verified")
                .detail("pgControlTime", c.time() > 0 ? Instant.ofEpochSecond(c.time()).toString() : null)
                .cleanShutdown(c.cleanShutdown());
        warnOnOddFile(c, version, size, f);
    }

    /** A pg_control whose layout dbrescue does not fully know: read in part, or said to be unreadable. */
    private static void unknownLayout(PgControl c, String version, Finding f) {
        if (PgControl.majorsOf(c.controlVersion()) != null) {
            // 9.0 - 9.3: only the shared first fields are decoded
            partlyRead(c, f);
            f.warn("pg_control of PostgreSQL " + version + " is only partly read by dbrescue: its checksum "
                    + "and data-checksum setting were not verified.");
        } else if (majorNumber(version) > 1800 && c.controlVersion() > 1800 && c.controlVersion() < 10000) {
            partlyRead(c, f);
            f.warn("PostgreSQL " + version + " is newer than this version of dbrescue knows: pg_control "
                    + "was only partly read and its checksum was not verified.");
        } else if (c.looksBigEndian()) {
            f.warn("pg_control was written by a big-endian machine (not x86/ARM64): this data directory "
                    + "cannot be used on this computer; move it with a dump made on such a machine.");
            f.problem(Status.DAMAGED, "global/pg_control is in big-endian byte order, which dbrescue does not read.");
        } else {
            f.problem(Status.DAMAGED, "global/pg_control is not a control file PostgreSQL can read (its format "
                    + "number " + Integer.toUnsignedString(c.controlVersion()) + " belongs to no PostgreSQL "
                    + "version): the file is damaged and the server will refuse to start." + RESET_HINT);
        }
    }

    /** Warnings for a readable pg_control of an unusual size or of another major version than PG_VERSION. */
    private static void warnOnOddFile(PgControl c, String version, long size, Finding f) {
        if (size != PgControl.FILE_SIZE) {
            f.warn("global/pg_control is " + size + " bytes instead of " + PgControl.FILE_SIZE
                    + "; the part PostgreSQL reads is intact.");
        }
        List<String> majors = PgControl.majorsOf(c.controlVersion());
        if (!majors.contains(version)) {
            f.warn("PG_VERSION says PostgreSQL " + version + " but pg_control is in the format of PostgreSQL "
                    + String.join("/", majors) + ": the files do not belong together (a mixed-up copy or an "
                    + "interrupted upgrade). Check which server version created this data directory.");
        }
    }

    /** The fields every pg_control version shares, for layouts dbrescue does not fully know. */
    private static void partlyRead(PgControl c, Finding f) {
        f.detail("systemIdentifier", c.systemIdentifierText())
                .detail("pgControlVersion", c.controlVersion())
                .detail("catalogVersion", c.catalogVersion())
                .detail("state", c.stateName())
                .detail("pgControlCrc", "not verified")
                .cleanShutdown(c.cleanShutdown());
    }

    private static void checkRunning(Folder folder, Finding f) {
        boolean running = folder.entry("postmaster.pid") != null;
        f.detail("copiedWhileRunning", running);
        if (running) {
            f.warn("This data directory was copied while the server was running (postmaster.pid is present): "
                    + "only the same major version of PostgreSQL can recover it, by replaying its WAL on start. "
                    + "Recent changes may be missing if the copy was not consistent, and the list of databases "
                    + "shown is the one of the last checkpoint (databases created since then are only in the WAL).");
        } else if (Boolean.FALSE.equals(f.getCleanShutdown())) {
            f.warn("The server was not shut down cleanly (pg_control state: " + f.getDetails().get("state")
                    + "): it crashed or was copied while running. Only the same major version of PostgreSQL can "
                    + "recover it, by replaying its WAL on start. The list of databases shown is the one of the "
                    + "last checkpoint.");
        }
    }

    private static void checkWal(Folder folder, int major, Finding f) throws IOException {
        String name = major >= 1000 ? "pg_wal" : "pg_xlog";
        Entry wal = folder.entry(name);
        if (wal == null) {
            String other = major >= 1000 ? "pg_xlog" : "pg_wal";
            if (folder.entry(other) != null) {
                name = other;
                wal = folder.entry(other);
            }
        }
        f.detail("walPath", name);
        if (wal == null) {
            f.problem(Status.INCOMPLETE, "The WAL folder " + name + "/ is missing from the backup: PostgreSQL "
                    + "cannot start without it. Look for it elsewhere in the old system (initdb -X puts it in "
                    + "another place); if the cluster was shut down cleanly, pg_resetwal can create an empty one.");
        } else if (wal.type() == Entry.Type.SYMLINK) {
            String where = linkTarget(folder, name);
            if (where != null) {
                f.problem(Status.INCOMPLETE, "The WAL folder " + name + "/ is a link to " + where
                        + ", which is not in the backup: PostgreSQL cannot start without it. Copy that folder "
                        + "too (the cluster was created with initdb -X / --waldir).");
            }
        } else if (!wal.isDirectory()) {
            f.problem(Status.DAMAGED, name + " is not a folder: the data directory is damaged.");
        }
    }

    private static void checkTablespaces(Folder folder, Finding f) {
        if (!folder.hasDirectory("pg_tblspc")) {
            return;
        }
        Path dir = folder.path().resolve("pg_tblspc");
        List<String> outside = new ArrayList<>();
        List<String> tablespaces = new ArrayList<>();
        try (DirectoryStream<Path> links = Files.newDirectoryStream(dir)) {
            for (Path p : links) {
                String oid = p.getFileName().toString();
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isSymbolicLink()) {
                    tablespaces.add(oid + " (in place)");
                    continue;
                }
                String target = Files.readSymbolicLink(p).toString();
                tablespaces.add(oid + " -> " + target);
                String where = linkTarget(folder, "pg_tblspc/" + oid);
                if (where != null) {
                    outside.add(where);
                }
            }
        } catch (IOException e) {
            f.warn("The tablespace links in pg_tblspc/ could not be read (" + e.getMessage() + ").");
            return;
        }
        if (!tablespaces.isEmpty()) {
            tablespaces.sort(null);
            f.detail("tablespaces", tablespaces);
        }
        for (String where : outside) {
            f.problem(Status.INCOMPLETE, "A tablespace lives at " + where + ", outside the backup: the tables "
                    + "and indexes stored there are missing. Copy that folder too, or the databases using it "
                    + "cannot be restored.");
        }
    }

    /**
     * Null when the symbolic link {@code relative} (below the folder) points to a folder that is in the
     * backup, either literally or as the same absolute path below the backup root (a copied system);
     * otherwise the target as the link spells it.
     */
    private static String linkTarget(Folder folder, String relative) {
        Path link = folder.path().resolve(relative);
        Path root = folder.root();
        try {
            Path target = Files.readSymbolicLink(link);
            Path literal = link.getParent().resolve(target).normalize();
            if (literal.startsWith(root) && Files.isDirectory(literal)) {
                return literalInside(literal, root) ? null : target.toString();
            }
            if (target.isAbsolute()) {
                Path rerooted = root.resolve(target.toString().substring(1)).normalize();
                if (rerooted.startsWith(root) && Files.isDirectory(rerooted, LinkOption.NOFOLLOW_LINKS)) {
                    return null;
                }
            }
            return target.toString();
        } catch (IOException e) {
            return relative;
        }
    }

    /** True when the directory's real location is still below the root (no link chain out of it). */
    private static boolean literalInside(Path dir, Path root) {
        try {
            return dir.toRealPath().startsWith(root.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static void findConfig(Folder folder, Finding f) {
        Path root = folder.root();
        String config = null;
        Matcher m = DEBIAN.matcher(folder.relativePath());
        if (m.matches()) {
            String prefix = m.group(1) == null ? "" : m.group(1) + "/";
            String candidate = prefix + "etc/postgresql/" + m.group(2) + "/" + m.group(3) + "/postgresql.conf";
            if (isRegularFile(root.resolve(candidate))) {
                config = candidate;
            }
        }
        if (config == null && folder.hasFile("postgresql.conf")) {
            config = folder.relativePath().isEmpty() ? "postgresql.conf" : folder.relativePath() + "/postgresql.conf";
        }
        if (config == null) {
            return;
        }
        f.detail("configPath", config);
        Integer port = port(root.resolve(config));
        f.detail("port", port);
    }

    /** The port set in a postgresql.conf (the last setting wins, as in PostgreSQL), or null. */
    static Integer port(Path conf) {
        try {
            byte[] b = ReadOnly.head(conf, 256 * 1024);
            if (b == null) {
                return null;
            }
            Integer port = null;
            for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
                Matcher m = PORT.matcher(line);
                if (m.matches()) {
                    int p = Integer.parseInt(m.group(1));
                    if (p > 0 && p < 65536) {
                        port = p;
                    }
                }
            }
            return port;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isRegularFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }
}
