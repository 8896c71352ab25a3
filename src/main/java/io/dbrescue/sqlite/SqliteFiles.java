package io.dbrescue.sqlite;

import io.dbrescue.scan.ReadOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Opening a SQLite file by any name Linux allows. SQLite gets the file as a URI filename built from the
 * path's raw bytes ({@link Path#toUri()} percent-encodes them), so a name that is not valid UTF-8 still
 * names the file (its Java string has replacement characters and names nothing). SQLite's unix VFS
 * refuses paths longer than 512 bytes (SQLITE_CANTOPEN); such a file, when small enough, is read into
 * memory and opened there instead.
 */
final class SqliteFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteFiles.class);
    /** Files up to this size are read into memory when SQLite cannot open them by their path. */
    static final long IN_MEMORY_LIMIT = 64L << 20;
    /** Longer paths (in bytes) are beyond SQLite's unix VFS (MAX_PATHNAME 512, less its own separators). */
    static final int SQLITE_MAX_PATH = 500;

    private SqliteFiles() {
    }

    /** A jdbc:sqlite: URL for the file with the given URI query ("mode=ro&immutable=1"). */
    static String url(Path db, String query) {
        return "jdbc:sqlite:file:" + db.toAbsolutePath().toUri().getRawPath() + "?" + query;
    }

    /** The file beside {@code db} whose name is db's (raw bytes kept) plus {@code suffix} ("-wal"). */
    static Path companion(Path db, String suffix) {
        URI uri = db.toAbsolutePath().toUri();
        return Path.of(URI.create(uri.toString() + suffix));
    }

    /** Whether the path is longer than SQLite opens (counted in bytes, as the kernel does). */
    static boolean tooLong(Path db) {
        String raw = db.toAbsolutePath().toUri().getRawPath();
        int bytes = raw.length();
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
            bytes -= 2; // %XX is one byte
        }
        return bytes > SQLITE_MAX_PATH;
    }

    /**
     * Opens the file read-only ({@code query} as for {@link #url}); when SQLite cannot open it by its path
     * and it is at most {@link #IN_MEMORY_LIMIT} bytes, a read-only copy in memory.
     */
    static Connection open(Path db, String query) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try {
            return DriverManager.getConnection(url(db, query), config.toProperties());
        } catch (SQLException e) {
            if ((e.getErrorCode() & 0xff) != SQLiteErrorCode.SQLITE_CANTOPEN.code) {
                throw e;
            }
            Connection c = inMemory(db);
            if (c == null) {
                throw e;
            }
            LOG.debug("SQLite cannot open {} by its path ({}); reading it in memory", db, e.getMessage());
            return c;
        }
    }

    private static Connection inMemory(Path db) throws SQLException {
        byte[] bytes;
        try {
            if (Files.size(db) > IN_MEMORY_LIMIT) {
                return null;
            }
            try (InputStream in = ReadOnly.open(db)) {
                bytes = in.readNBytes((int) IN_MEMORY_LIMIT + 1);
            }
        } catch (IOException e) {
            return null;
        }
        if (bytes.length > IN_MEMORY_LIMIT) {
            return null;
        }
        Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        try {
            ((SQLiteConnection) c).deserialize("main", bytes);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
