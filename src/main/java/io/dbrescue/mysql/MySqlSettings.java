package io.dbrescue.mysql;

import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.MyCnf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The server settings that decide whether a data directory opens, and how its table names and text behave:
 * lower_case_table_names, innodb_page_size, character-set-server / collation-server and sql_mode. Of a
 * target server they come from the server itself; of the old server from the backup: the page size from
 * the data (ibdata1's first page), the rest from the old system's option files in the backup (Debian:
 * etc/mysql/my.cnf and the conf.d / mariadb.conf.d folders it includes). Null: not set there (the
 * server's compiled default applied).
 *
 * @param lowerCaseTableNames 0, 1 or 2
 * @param innodbPageSize      bytes (16384 by default)
 * @param characterSet        character_set_server
 * @param collation           collation_server
 * @param sqlMode             sql_mode
 * @param source              where they were read (an option file, "the server", "the data")
 */
record MySqlSettings(Integer lowerCaseTableNames, Long innodbPageSize, String characterSet, String collation,
                     String sqlMode, String source) {
    static final long DEFAULT_PAGE_SIZE = 16384;

    /** A target server's answers to SELECT @@lower_case_table_names, @@innodb_page_size, ... */
    static MySqlSettings of(String lctn, String pageSize, String charset, String collation, String sqlMode) {
        return new MySqlSettings(intOrNull(lctn), pageSize(pageSize), blankToNull(charset), blankToNull(collation),
                sqlMode == null ? null : sqlMode.strip(), "the server");
    }

    /**
     * The old server's settings: page size from the data directory (what InnoDB will insist on), the others from
     * the old system's option files in the backup (none found: all null, the old server's defaults).
     */
    static MySqlSettings ofBackup(Finding f, Path backupRoot) {
        Object page = f.getDetails().get("innodbPageSize");
        Long dataPage = page instanceof Number n ? n.longValue() : null;
        Path data = backupRoot.resolve(f.getPath()).normalize();
        Path cnf = optionFile(data, backupRoot);
        if (cnf == null) {
            return new MySqlSettings(null, dataPage, null, null, null, null);
        }
        Path root = cnf.getParent().getFileName().toString().equals("mysql") ? cnf.getParent().getParent().getParent()
                : cnf.getParent().getParent();
        String major = f.getVersion() == null ? null : InstalledServer.majorOf(f.getEngine(), f.getVersion());
        Map<String, String> o = MyCnf.options(cnf, root, MyCnf.serverSections(f.getEngine() == Engine.MARIADB, major));
        Long cnfPage = pageSize(o.get("innodb_page_size"));
        String source = backupRoot.relativize(cnf).toString();
        return new MySqlSettings(intOrNull(o.get("lower_case_table_names")), dataPage != null ? dataPage : cnfPage,
                blankToNull(o.get("character_set_server")), blankToNull(o.get("collation_server")),
                o.get("sql_mode") == null ? null : o.get("sql_mode").strip(), source);
    }

    /**
     * The old system's my.cnf in the backup: the nearest folder above the data directory (not above the backup)
     * that holds etc/mysql/my.cnf (Debian, Ubuntu) or etc/my.cnf (Fedora, Arch); null when there is none.
     */
    static Path optionFile(Path data, Path backupRoot) {
        Path root = backupRoot.toAbsolutePath().normalize();
        for (Path dir = data.toAbsolutePath().normalize().getParent(); dir != null && dir.startsWith(root);
             dir = dir.getParent()) {
            for (String name : List.of("etc/mysql/my.cnf", "etc/my.cnf")) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** The old server's options for these settings, for starting it (only what is known). */
    List<String> serverArgs() {
        List<String> a = new ArrayList<>();
        if (innodbPageSize != null) {
            a.add("--innodb-page-size=" + innodbPageSize);
        }
        if (lowerCaseTableNames != null) {
            a.add("--lower-case-table-names=" + lowerCaseTableNames);
        }
        if (characterSet != null) {
            a.add("--character-set-server=" + characterSet);
        }
        if (collation != null) {
            a.add("--collation-server=" + collation);
        }
        if (sqlMode != null) {
            a.add("--sql-mode=" + sqlMode);
        }
        return a;
    }

    int lctn() {
        return lowerCaseTableNames == null ? 0 : lowerCaseTableNames;
    }

    long pageSize() {
        return innodbPageSize == null ? DEFAULT_PAGE_SIZE : innodbPageSize;
    }

    /** "16k" for 16384. */
    static String kb(long bytes) {
        return bytes % 1024 == 0 ? (bytes / 1024) + "k" : Long.toString(bytes);
    }

    /** sql_mode as a set of flags, so that order and case do not matter. */
    static TreeSet<String> modes(String sqlMode) {
        TreeSet<String> s = new TreeSet<>();
        if (sqlMode != null) {
            Arrays.stream(sqlMode.split(",")).map(x -> x.strip().toUpperCase(Locale.ROOT)).filter(x -> !x.isEmpty())
                    .forEach(s::add);
        }
        return s;
    }

    static Long pageSize(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String t = v.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("k")) {
                return Long.parseLong(t.substring(0, t.length() - 1)) * 1024;
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer intOrNull(String v) {
        try {
            return v == null || v.isBlank() ? null : Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() || v.equals("NULL") ? null : v.strip();
    }
}
