package io.dbrescue.mysql;

import io.dbrescue.scan.DirectoryDetector;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Entry;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Folder;
import io.dbrescue.scan.Kind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MySQL or MariaDB data directory, recognised by content: an {@code ibdata1} whose page 0 is an
 * InnoDB system tablespace header, plus the {@code mysql} system schema (a {@code mysql/} folder with
 * table files, or MySQL 8's {@code mysql.ibd}).
 */
final class MySqlDataDirectoryDetector implements DirectoryDetector {
    /** Schemas that come with the server, not the user's databases. */
    static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "performance_schema", "sys",
            "information_schema", "lost+found");
    private static final Set<String> TABLE_FILE_EXTENSIONS = Set.of("frm", "ibd", "myd", "myi", "mai", "mad",
            "opt", "csv", "csm", "arz", "trg", "trn", "par", "isl", "sdi");
    private static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+\\.\\d+)");

    @Override
    public Finding detect(Folder folder) throws IOException {
        Entry ibdata = folder.entry("ibdata1");
        if (ibdata == null || !ibdata.isFile()) {
            return null;
        }
        boolean mysqlIbd = folder.hasFile("mysql.ibd");
        boolean mysqlDir = folder.hasDirectory("mysql") && hasTableFiles(folder.path().resolve("mysql"));
        if (!mysqlIbd && !mysqlDir) {
            if (folder.hasDirectory("mysql") || folder.hasFile("ib_logfile0")) {
                folder.suspicious("Has ibdata1 but no MySQL/MariaDB system schema (no table files in mysql/, "
                        + "no mysql.ibd): not treated as a data directory. If this is a partial copy of "
                        + "/var/lib/mysql, the rest of it is missing.");
            }
            return null;
        }
        InnoDb.Page0 page0 = InnoDb.readPage0(folder.head("ibdata1", 64), ibdata.size());
        if (page0 == null) {
            folder.suspicious("ibdata1 is not an InnoDB system tablespace (its first page has no valid "
                    + "InnoDB header: zeros or other data), so this folder is not treated as a MySQL/MariaDB "
                    + "data directory.");
            return null;
        }
        ProductClues clues = ProductClues.read(folder, mysqlIbd);
        Engine engine = clues.engine();
        String version = clues.version();
        Finding f = new Finding(engine, Kind.DATA_DIRECTORY).version(version);
        addFileDetails(f, folder, page0, clues);
        if (version == null && mysqlIbd) {
            f.detail("versionHint", "MySQL 8.0 or later (mysql.ibd is the 8.0+ data dictionary)");
        }
        if (engine == Engine.MYSQL && clues.mariaHints() && clues.mysqlHints()) {
            f.warn("This data directory has signs of both MySQL and MariaDB (for example a MariaDB that was "
                    + "upgraded from MySQL); it was reported as " + engine.displayName() + ".");
        }
        f.cleanShutdown(cleanShutdown(folder, clues.redoFile(), clues.redo(), f));
        f.databases(databases(folder));
        return f;
    }

    /** What the files say about the product (MySQL or MariaDB) and its version. */
    private record ProductClues(String upgradeInfo, String historyVersion, Path redoFile,
            InnoDb.RedoHeader redo, boolean mariaHints, boolean mysqlHints) {

        static ProductClues read(Folder folder, boolean mysqlIbd) throws IOException {
            String upgradeInfo = text(folder, "mariadb_upgrade_info");
            if (upgradeInfo == null) {
                upgradeInfo = text(folder, "mysql_upgrade_info");
            }
            String upgradeHistory = folder.hasFile("mysql_upgrade_history") ? text(folder, "mysql_upgrade_history") : null;
            String historyVersion = lastHistoryVersion(upgradeHistory);

            Path redoFile = MySqlDataDirectoryDetector.redoFile(folder);
            InnoDb.RedoHeader redo = redoFile == null ? null : InnoDb.readRedoHeader(redoFile);

            boolean mariaHints = folder.hasFile("aria_log_control") || folder.hasFile("mariadb_upgrade_info")
                    || (upgradeInfo != null && upgradeInfo.contains("MariaDB"))
                    || (redo != null && "mariadb".equals(redo.product()));
            boolean mysqlHints = mysqlIbd || folder.hasDirectory("#innodb_redo") || folder.hasFile("auto.cnf")
                    || historyVersion != null || (redo != null && "mysql".equals(redo.product()));
            return new ProductClues(upgradeInfo, historyVersion, redoFile, redo, mariaHints, mysqlHints);
        }

        Engine engine() {
            if (redo != null && redo.product() != null) {
                return "mariadb".equals(redo.product()) ? Engine.MARIADB : Engine.MYSQL;
            } else if (upgradeInfo != null && upgradeInfo.contains("MariaDB")) {
                return Engine.MARIADB;
            } else if (mariaHints && !mysqlHints) {
                return Engine.MARIADB;
            } else {
                return Engine.MYSQL;
            }
        }

        /** The version the files name, or null (a MySQL 8.0+ mysql.ibd does not say which major). */
        String version() {
            String version = firstVersion(upgradeInfo);
            if (version == null) version = historyVersion;
            if (version == null && redo != null) version = redo.version();
            return version;
        }
    }

    /** The InnoDB system tablespace's, the upgrade files' and the redo log's facts. */
    private static void addFileDetails(Finding f, Folder folder, InnoDb.Page0 page0, ProductClues clues) {
        f.detail("innodbPageSize", page0.pageSize());
        f.detail("systemTablespaceLsn", page0.pageLsn());
        if (page0.flushedLsn() != 0) f.detail("flushedLsn", page0.flushedLsn());
        if (clues.upgradeInfo() != null) f.detail("upgradeInfo", clues.upgradeInfo());
        if (clues.historyVersion() != null) f.detail("upgradeHistoryVersion", clues.historyVersion());
        if (clues.redo() != null) {
            f.detail("redoLog", folder.path().relativize(clues.redoFile()).toString());
            f.detail("redoLogCreator", clues.redo().creator());
            f.detail("redoCheckpointLsn", clues.redo().checkpointLsn());
        }
    }

    /*
     * Clean shutdown, from what is reliable:
     * - mysqld/mariadbd delete their pid file on an orderly shutdown. A *.pid file left in the data
     *   directory (the default place when no pid-file is configured) means the server was running when
     *   the copy was made, or crashed: false. Its absence proves nothing (Debian keeps it in /run/mysqld).
     * - MariaDB 10.8+ redo log: a clean shutdown leaves the log ending right after its last checkpoint;
     *   otherwise crash recovery has work to do: false (see InnoDb.mariaDbLogEndsAtCheckpoint).
     * - Older redo formats (MySQL 5.7/8.0, MariaDB <= 10.7): the log end is not recorded in the header
     *   and finding it means parsing 512-byte log blocks; ibdata1's flushed LSN is not written by every
     *   version. We do not guess: null, with the LSNs in the details.
     */
    private static Boolean cleanShutdown(Folder folder, Path redoFile, InnoDb.RedoHeader redo, Finding f)
            throws IOException {
        for (Entry e : folder.entries()) {
            String n = e.name();
            if ((e.isFile() && n.endsWith(".pid")) || n.endsWith(".sock")) {
                f.detail("leftoverPidFile", n);
                f.warn("The server was not shut down cleanly (its file " + n + " is still there: it was "
                        + "running or had crashed when this copy was made). It will do crash recovery when "
                        + "started; tables that do not use InnoDB (MyISAM, Aria) may need a repair.");
                return false;
            }
        }
        if (redo == null) {
            return null;
        }
        Boolean ends = InnoDb.mariaDbLogEndsAtCheckpoint(redoFile, Files.size(redoFile), redo);
        if (Boolean.FALSE.equals(ends)) {
            f.warn("The server was not shut down cleanly: its redo log has changes after the last "
                    + "checkpoint (copied while running, or after a crash). It will do crash recovery when "
                    + "started; tables that do not use InnoDB (MyISAM, Aria) may need a repair.");
        }
        return ends;
    }

    /** ib_logfile0, or MySQL 8.0.30+'s lowest-numbered #innodb_redo/#ib_redoN. */
    private static Path redoFile(Folder folder) throws IOException {
        if (folder.hasFile("ib_logfile0")) {
            return folder.path().resolve("ib_logfile0");
        }
        if (!folder.hasDirectory("#innodb_redo")) {
            return null;
        }
        Path best = null;
        long bestNo = Long.MAX_VALUE;
        for (Path p : list(folder.path().resolve("#innodb_redo"))) {
            String n = p.getFileName().toString();
            if (n.startsWith("#ib_redo") && !n.endsWith("_tmp") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    long no = Long.parseLong(n.substring("#ib_redo".length()));
                    if (no < bestNo) {
                        bestNo = no;
                        best = p;
                    }
                } catch (NumberFormatException ignored) {
                    // not a redo file
                }
            }
        }
        return best;
    }

    /** Schema folders (other than the system ones) that hold table files. */
    private static List<String> databases(Folder folder) throws IOException {
        Set<String> names = new TreeSet<>();
        for (Entry e : folder.entries()) {
            if (e.isDirectory() && !e.name().startsWith("#") && !e.name().startsWith(".")
                    && !SYSTEM_SCHEMAS.contains(e.name()) && hasTableFiles(folder.path().resolve(e.name()))) {
                names.add(decodeName(e.name()));
            }
        }
        return new ArrayList<>(names);
    }

    private static boolean hasTableFiles(Path dir) throws IOException {
        for (Path p : list(dir)) {
            String n = p.getFileName().toString();
            int dot = n.lastIndexOf('.');
            if (dot > 0 && TABLE_FILE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                out.add(p);
            }
        } catch (java.nio.file.AccessDeniedException e) {
            return Collections.emptyList();
        }
        return out;
    }

    /** MySQL's file-name encoding of schema names: "@0040" is '@', "@002d" is '-' (4 hex digits). */
    static String decodeName(String name) {
        if (name.indexOf('@') < 0) {
            return name;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '@' && i + 5 <= name.length() && name.substring(i + 1, i + 5).matches("[0-9a-fA-F]{4}")) {
                sb.append((char) Integer.parseInt(name.substring(i + 1, i + 5), 16));
                i += 4;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String text(Folder folder, String name) throws IOException {
        if (!folder.hasFile(name)) {
            return null;
        }
        byte[] b = folder.head(name, 65536);
        if (b == null) return null;
        String s = new String(b, StandardCharsets.UTF_8).replace("\u0000", "").trim();
        return s.isEmpty() ? null : s;
    }

    private static String firstVersion(String s) {
        if (s == null) return null;
        Matcher m = VERSION.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    /** mysql_upgrade_history (MySQL 8.4+, JSON): the "version" of the last upgrade_history entry. */
    static String lastHistoryVersion(String json) {
        if (json == null) return null;
        Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"(\\d+\\.\\d+\\.\\d+)").matcher(json);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }
}
