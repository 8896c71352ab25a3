package io.dbrescue.sqlite;

import io.dbrescue.scan.Engine;
import io.dbrescue.scan.FileDetector;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.Sample;
import io.dbrescue.scan.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * SQLite 3 database files, by their header. The table names come from sqlite_schema, read through
 * sqlite-jdbc opened read-only and immutable (mode=ro&amp;immutable=1): SQLite then takes no locks and
 * creates no -journal, -wal or -shm file beside the database, so nothing is written in the backup.
 * Immutable also means a -wal beside the file is not read: it is reported instead.
 */
final class SqliteFileDetector implements FileDetector {
    /** At most this many table names go into the details. */
    static final int MAX_NAMES = 500;

    @Override
    public Finding detect(Sample s) throws IOException {
        byte[] h = s.head();
        if (!SqliteHeader.hasMagic(h)) {
            if (SqliteHeader.looksLikeMagicText(h)) {
                s.suspicious("Starts with \"SQLite format 3\" but without the NUL byte of a real SQLite "
                        + "header: a text file, not a database.");
            }
            return null;
        }
        Finding f = new Finding(Engine.SQLITE, Kind.SQLITE_FILE).databases(List.of());
        if (h.length < SqliteHeader.SIZE) {
            f.problem(Status.DAMAGED, "Only " + h.length + " bytes long: the file is cut short inside SQLite's "
                    + "100-byte header. Nothing can be recovered from it; look for another copy.");
            return f;
        }
        SqliteHeader hd = SqliteHeader.parse(h);
        f.version(hd.sqliteVersion());
        f.detail("pageSize", hd.pageSize());
        f.detail("journalMode", hd.wal() ? "wal" : "rollback");
        f.detail("textEncoding", hd.encodingName());
        if (hd.userVersion() != 0) {
            f.detail("userVersion", hd.userVersion());
        }
        if (hd.applicationId() != 0) {
            f.detail("applicationId", String.format("0x%08x", hd.applicationId()));
        }
        boolean whole = checkSize(f, hd, s.size());
        long extra = companions(f, s.path());
        if (extra > 0) {
            f.sizeBytes(s.size() + extra);
        }
        if (whole) {
            readSchema(f, s.path());
        }
        return f;
    }

    /** Compares the size the header promises with the file's size; false when it is cut short. */
    private static boolean checkSize(Finding f, SqliteHeader hd, long size) {
        if (!hd.validPageSize()) {
            f.problem(Status.DAMAGED, "The SQLite header gives an impossible page size (" + hd.pageSize()
                    + "): the start of the file is corrupt. SQLite will not open it.");
            return false;
        }
        long pages = hd.pageCountValid() ? hd.pages() : size / hd.pageSize();
        f.detail("pages", pages);
        if (hd.pageCountValid() && hd.pages() * hd.pageSize() > size) {
            f.problem(Status.DAMAGED, "The file is cut short: its header says " + hd.pages() + " pages of "
                    + hd.pageSize() + " bytes (" + hd.pages() * hd.pageSize() + " bytes) but only " + size
                    + " bytes are there. Tables stored in the missing part are lost or unreadable; look for a "
                    + "complete copy (sqlite3's .recover can salvage what is left).");
            return false;
        }
        if (size % hd.pageSize() != 0) {
            f.problem(Status.DAMAGED, "The file size (" + size + " bytes) is not a whole number of "
                    + hd.pageSize() + "-byte pages: it was probably cut short while copying.");
            return false;
        }
        return true;
    }

    /** Reports a -wal or hot -journal beside the file; returns their total size. */
    private static long companions(Finding f, Path db) throws IOException {
        long extra = 0;
        long wal = regularSize(SqliteFiles.companion(db, "-wal"));
        if (wal > 0) {
            extra += wal;
            f.detail("walBytes", wal);
            f.warn("A write-ahead log (" + db.getFileName() + "-wal, " + wal + " bytes) lies beside this database: "
                    + "the most recent changes live in it, not yet in the main file. Copy both together (the size "
                    + "shown includes it); the table list here comes from the main file only.");
        }
        long journal = regularSize(SqliteFiles.companion(db, "-journal"));
        if (journal > 0) {
            extra += journal;
            f.detail("journalBytes", journal);
            f.warn("A rollback journal (" + db.getFileName() + "-journal, " + journal + " bytes) lies beside this "
                    + "database: a write was interrupted. Copy both together so SQLite can undo the half-done "
                    + "write when it next opens the file (the size shown includes it).");
        }
        return extra;
    }

    private static long regularSize(Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.size() : 0;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    private static void readSchema(Finding f, Path db) {
        List<String> tables = new ArrayList<>();
        List<String> views = new ArrayList<>();
        try (Connection c = SqliteFiles.open(db, IMMUTABLE);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT type, name FROM sqlite_master "
                     + "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) {
            while (rs.next()) {
                List<String> into = "view".equals(rs.getString(1)) ? views : tables;
                if (into.size() < MAX_NAMES) {
                    into.add(rs.getString(2));
                }
            }
        } catch (SQLException e) {
            if ((e.getErrorCode() & 0xff) == org.sqlite.SQLiteErrorCode.SQLITE_CANTOPEN.code) {
                // the header was read a moment ago: this is about the path (too long, too big for memory), not damage
                f.warn("SQLite cannot open this file by its path (" + reason(e) + "; its path is "
                        + (SqliteFiles.tooLong(db) ? "longer than the 512 bytes SQLite takes" : "unusual")
                        + "), so its tables are not listed. The file itself looks whole.");
                return;
            }
            f.problem(Status.DAMAGED, "SQLite cannot read the list of tables in this file (" + reason(e) + "): "
                    + "the file is corrupt or not fully copied. sqlite3's .recover may salvage part of it.");
            return;
        }
        f.detail("tables", tables);
        if (!views.isEmpty()) {
            f.detail("views", views);
        }
    }

    /** URI parameters that open a file read-only and immutable (no locks, no -journal/-wal/-shm created). */
    static final String IMMUTABLE = "mode=ro&immutable=1";

    /** A file: URI that SQLite opens read-only and immutable; the path's raw bytes percent-encoded. */
    static String url(Path db) {
        return SqliteFiles.url(db, IMMUTABLE);
    }

    /** The driver's "[SQLITE_CORRUPT] The database disk image is malformed (database disk image is malformed)" made plain. */
    static String reason(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        if (m.startsWith("[") && m.indexOf("] ") > 0) {
            m = m.substring(m.indexOf("] ") + 2);
        }
        int open = m.lastIndexOf(" (");
        if (open > 0 && m.endsWith(")") && m.substring(0, open).toLowerCase(java.util.Locale.ROOT)
                .endsWith(m.substring(open + 2, m.length() - 1).toLowerCase(java.util.Locale.ROOT))) {
            m = m.substring(0, open);
        }
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
}
