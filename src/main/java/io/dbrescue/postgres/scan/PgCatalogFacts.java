package io.dbrescue.postgres.scan;

import io.dbrescue.postgres.scan.PgCatalog.CommitLog;
import io.dbrescue.postgres.scan.PgCatalog.HeapTuple;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ReadOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Facts a restore plan needs before any server runs, read from the catalog files of a data directory:
 * the bootstrap superuser and the roles (shared catalog pg_authid, relation 1260), each database's
 * encoding and locale (pg_database, 1262) and the extensions installed in each database (pg_extension,
 * relation 3079, in base/&lt;database OID&gt;/).
 *
 * <p>Column layouts (PostgreSQL src/include/catalog/*.h per release): up to 11 a catalog row's OID sits in
 * the tuple header, from 12 on it is an ordinary first column. pg_authid: rolname, rolsuper, rolinherit,
 * rolcreaterole, rolcreatedb, (rolcatupdate before 9.5), rolcanlogin. pg_database: datname, datdba,
 * encoding, then up to 14 datcollate and datctype (NameData), datistemplate, datallowconn, datconnlimit,
 * datlastsysoid, datfrozenxid, datminmxid, dattablespace; from 15 on datlocprovider (char),
 * datistemplate, datallowconn, (dathasloginevt from 17), datconnlimit, datfrozenxid, datminmxid,
 * dattablespace, then the text columns datcollate, datctype, daticulocale (datlocale from 17),
 * (daticurules from 16), datcollversion. pg_extension: extname, extowner, extnamespace, extrelocatable,
 * extversion (text). Fixed-width columns are aligned to their type's alignment; a text value with a
 * 1-byte header is not aligned (a non-zero first byte), a 4-byte header is; the null bitmap (when
 * HEAP_HASNULL) follows the 23-byte tuple header.
 *
 * <p>pg_extension is not a mapped catalog: its file is named by its relfilenode, 3079 unless VACUUM FULL
 * rewrote it; when base/&lt;db&gt;/3079 is missing or empty, the database's pg_class (mapped, through
 * base/&lt;db&gt;/pg_filenode.map) says where it went. Only files of at most 4 MB are read, and everything
 * is read-only through {@link ReadOnly}.
 */
public final class PgCatalogFacts {
    private static final Logger LOG = LoggerFactory.getLogger(PgCatalogFacts.class);
    static final int AUTHID_RELATION_OID = 1260;
    static final int EXTENSION_RELATION_OID = 3079;
    static final int CLASS_RELATION_OID = 1259;
    static final long BOOTSTRAP_SUPERUSER_OID = 10;
    /** Objects created after initdb have OIDs from here on (FirstNormalObjectId). */
    static final long FIRST_NORMAL_OID = 16384;
    static final long DEFAULT_TABLESPACE_OID = 1663;

    /** PostgreSQL's encodings by number (enum pg_enc in src/include/mb/pg_wchar.h). */
    private static final String[] ENCODINGS = {"SQL_ASCII", "EUC_JP", "EUC_CN", "EUC_KR", "EUC_TW", "EUC_JIS_2004",
        "UTF8", "MULE_INTERNAL", "LATIN1", "LATIN2", "LATIN3", "LATIN4", "LATIN5", "LATIN6", "LATIN7", "LATIN8",
        "LATIN9", "LATIN10", "WIN1256", "WIN1258", "WIN866", "WIN874", "KOI8R", "WIN1251", "WIN1252", "ISO_8859_5",
        "ISO_8859_6", "ISO_8859_7", "ISO_8859_8", "WIN1250", "WIN1253", "WIN1254", "WIN1255", "WIN1257", "KOI8U",
        "SJIS", "BIG5", "GBK", "UHC", "GB18030", "JOHAB", "SHIFT_JIS_2004"};

    // column kinds for the row walker: fixed widths with their alignment, or a text (varlena)
    private static final int BOOL = 1;
    private static final int INT4 = 4;
    private static final int NAME = 64;
    private static final int TEXT = -1;

    private PgCatalogFacts() {
    }

    /** A role: its OID, name and whether it is a superuser and may log in. */
    public record Role(long oid, String name, boolean superuser, boolean login) {
    }

    /**
     * A database and its locale. {@code localeProvider} is "libc" before 15; {@code locale} is the ICU or
     * builtin locale (daticulocale in 15 and 16, datlocale from 17), null when not set; {@code collate} and
     * {@code ctype} are null before 8.4; {@code collationVersion} (15+) and {@code icuRules} (16+) may be null.
     * {@code tablespace} is -1 when unknown (before 9.3).
     */
    public record Database(long oid, String name, int encodingNumber, String encoding, String localeProvider,
            String collate, String ctype, String locale, String icuRules, String collationVersion,
            boolean template, boolean allowConnections, long tablespace) {
    }

    /** The name of a PostgreSQL encoding number, or "encoding N" for an unknown one. */
    public static String encodingName(int number) {
        return number >= 0 && number < ENCODINGS.length ? ENCODINGS[number] : "encoding " + number;
    }

    /**
     * The roles made by initdb's superuser and users (OID 10 and OIDs from 16384 on; the built-in pg_*
     * roles are left out), ordered by OID.
     *
     * @param majorNumber the major version as a number: 906 for 9.6, 1600 for 16
     */
    public static List<Role> roles(Path dataDir, int majorNumber) throws IOException {
        byte[] heap = sharedCatalog(dataDir, AUTHID_RELATION_OID, "pg_authid");
        CommitLog clog = commitLog(dataDir, majorNumber);
        boolean oidColumn = majorNumber >= 1200;
        int nameAlign = majorNumber >= 1200 ? 1 : 4;
        List<int[]> cols = new ArrayList<>();
        if (oidColumn) {
            cols.add(new int[] {INT4, 4});
        }
        cols.add(new int[] {NAME, nameAlign}); // rolname
        int superAt = cols.size();
        cols.add(new int[] {BOOL, 1}); // rolsuper
        cols.add(new int[] {BOOL, 1}); // rolinherit
        cols.add(new int[] {BOOL, 1}); // rolcreaterole
        cols.add(new int[] {BOOL, 1}); // rolcreatedb
        if (majorNumber < 905) {
            cols.add(new int[] {BOOL, 1}); // rolcatupdate
        }
        int loginAt = cols.size();
        cols.add(new int[] {BOOL, 1}); // rolcanlogin
        Map<Long, Role> byOid = new TreeMap<>();
        Map<Long, Boolean> latest = new TreeMap<>();
        for (HeapTuple t : PgCatalog.liveTuples(heap, clog)) {
            int[] at = offsets(t, cols);
            long oid = oidColumn ? (at[0] < 0 ? -1 : uint32(heap, at[0])) : t.headerOid();
            int nameCol = oidColumn ? 1 : 0;
            if (oid < 0 || at[nameCol] < 0 || at[loginAt] < 0) {
                continue;
            }
            if (oid != BOOTSTRAP_SUPERUSER_OID && oid < FIRST_NORMAL_OID) {
                continue;
            }
            Role r = new Role(oid, PgCatalog.cString(heap, at[nameCol], PgCatalog.NAMEDATALEN),
                    heap[at[superAt]] != 0, heap[at[loginAt]] != 0);
            keepNewest(byOid, latest, oid, r, t);
        }
        return new ArrayList<>(byOid.values());
    }

    /** The name of the bootstrap superuser (the role with OID 10, made by initdb -U), or null when not found. */
    public static String bootstrapSuperuser(Path dataDir, int majorNumber) throws IOException {
        for (Role r : roles(dataDir, majorNumber)) {
            if (r.oid() == BOOTSTRAP_SUPERUSER_OID) {
                return r.name();
            }
        }
        return null;
    }

    /** Every database (template0 and template1 included) with its encoding and locale, ordered by name. */
    public static List<Database> databases(Path dataDir, int majorNumber) throws IOException {
        byte[] heap = sharedCatalog(dataDir, PgCatalog.DATABASE_RELATION_OID, "pg_database");
        CommitLog clog = commitLog(dataDir, majorNumber);
        DatabaseColumns columns = new DatabaseColumns(majorNumber);
        Map<Long, Database> byOid = new TreeMap<>();
        Map<Long, Boolean> latest = new TreeMap<>();
        for (HeapTuple t : PgCatalog.liveTuples(heap, clog)) {
            Database d = database(heap, t, columns);
            if (d != null) {
                keepNewest(byOid, latest, d.oid(), d, t);
            }
        }
        List<Database> out = new ArrayList<>(byOid.values());
        out.sort(Comparator.comparing(Database::name));
        return out;
    }

    /** One pg_database row, or null when its OID, name, encoding or datallowconn cannot be read. */
    private static Database database(byte[] heap, HeapTuple t, DatabaseColumns c) {
        int[] at = offsets(t, c.cols);
        long oid = c.oidColumn ? (at[0] < 0 ? -1 : uint32(heap, at[0])) : t.headerOid();
        if (oid < 0 || at[c.nameAt] < 0 || at[c.encodingAt] < 0 || at[c.allowAt] < 0) {
            return null;
        }
        String name = PgCatalog.cString(heap, at[c.nameAt], PgCatalog.NAMEDATALEN);
        if (name.isEmpty()) {
            return null;
        }
        int encoding = (int) uint32(heap, at[c.encodingAt]);
        String provider = "libc";
        if (c.providerAt >= 0 && at[c.providerAt] >= 0) {
            provider = providerName((char) heap[at[c.providerAt]]);
        }
        String collate = c.textLocale ? text(heap, at, c.collateAt) : name(heap, at, c.collateAt);
        String ctype = c.textLocale ? text(heap, at, c.ctypeAt) : name(heap, at, c.ctypeAt);
        long tablespace = c.tablespaceAt >= 0 && at[c.tablespaceAt] >= 0 ? uint32(heap, at[c.tablespaceAt]) : -1;
        return new Database(oid, name, encoding, encodingName(encoding), provider, collate, ctype,
                text(heap, at, c.localeAt), text(heap, at, c.rulesAt), text(heap, at, c.collVersionAt),
                heap[at[c.templateAt]] != 0, heap[at[c.allowAt]] != 0, tablespace);
    }

    /**
     * pg_database's columns in one release, as {width, alignment} pairs for {@link #offsets}, and the index of
     * each column the facts are read from (-1 for one the release does not have).
     */
    private static final class DatabaseColumns {
        final List<int[]> cols = new ArrayList<>();
        final boolean oidColumn;
        final boolean textLocale;
        int nameAt;
        int encodingAt;
        int providerAt = -1;
        int collateAt = -1;
        int ctypeAt = -1;
        int templateAt;
        int allowAt;
        int tablespaceAt = -1;
        int localeAt = -1;
        int rulesAt = -1;
        int collVersionAt = -1;

        DatabaseColumns(int majorNumber) {
            oidColumn = majorNumber >= 1200;
            textLocale = majorNumber >= 1500;
            int nameAlign = majorNumber >= 1200 ? 1 : 4;
            if (oidColumn) {
                add(INT4, 4);
            }
            nameAt = add(NAME, nameAlign); // datname
            add(INT4, 4); // datdba
            encodingAt = add(INT4, 4); // encoding
            if (textLocale) {
                providerAt = add(BOOL, 1); // datlocprovider (char)
            } else if (majorNumber >= 804) {
                collateAt = add(NAME, nameAlign); // datcollate
                ctypeAt = add(NAME, nameAlign); // datctype
            }
            templateAt = add(BOOL, 1); // datistemplate
            allowAt = add(BOOL, 1); // datallowconn
            if (majorNumber >= 1700) {
                add(BOOL, 1); // dathasloginevt
            }
            add(INT4, 4); // datconnlimit
            if (majorNumber < 1500) {
                add(INT4, 4); // datlastsysoid
            }
            add(INT4, 4); // datfrozenxid
            if (majorNumber >= 903) {
                add(INT4, 4); // datminmxid
                tablespaceAt = add(INT4, 4); // dattablespace
            }
            if (textLocale) {
                addTextLocale(majorNumber);
            }
        }

        /** The text columns at the end of a 15+ row. */
        private void addTextLocale(int majorNumber) {
            collateAt = add(TEXT, 4); // datcollate
            ctypeAt = add(TEXT, 4); // datctype
            localeAt = add(TEXT, 4); // daticulocale (15, 16) / datlocale (17+)
            if (majorNumber >= 1600) {
                rulesAt = add(TEXT, 4); // daticurules
            }
            collVersionAt = add(TEXT, 4); // datcollversion
        }

        /** Adds a column and returns its index. */
        private int add(int width, int alignment) {
            cols.add(new int[] {width, alignment});
            return cols.size() - 1;
        }
    }

    /**
     * The extensions installed in one database: name to version (the version is null when it could not be
     * decoded), sorted by name. plpgsql is in every database and is kept.
     *
     * @throws IOException when the database's folder or its pg_extension file cannot be found or read
     *                     (e.g. a database in a tablespace whose folder is a link)
     */
    public static Map<String, String> extensions(Path dataDir, int majorNumber, Database db) throws IOException {
        Path dbDir = databaseFolder(dataDir, majorNumber, db);
        byte[] heap = extensionHeap(dataDir, dbDir, majorNumber);
        CommitLog clog = commitLog(dataDir, majorNumber);
        boolean oidColumn = majorNumber >= 1200;
        List<int[]> cols = new ArrayList<>();
        if (oidColumn) {
            cols.add(new int[] {INT4, 4});
        }
        int nameAt = cols.size();
        cols.add(new int[] {NAME, majorNumber >= 1200 ? 1 : 4}); // extname
        cols.add(new int[] {INT4, 4}); // extowner
        cols.add(new int[] {INT4, 4}); // extnamespace
        cols.add(new int[] {BOOL, 1}); // extrelocatable
        int versionAt = cols.size();
        cols.add(new int[] {TEXT, 4}); // extversion
        Map<Long, String[]> byOid = new TreeMap<>();
        Map<Long, Boolean> latest = new TreeMap<>();
        long fallbackOid = Long.MIN_VALUE;
        for (HeapTuple t : PgCatalog.liveTuples(heap, clog)) {
            int[] at = offsets(t, cols);
            if (at[nameAt] < 0) {
                continue;
            }
            long oid = oidColumn ? (at[0] < 0 ? -1 : uint32(heap, at[0])) : t.headerOid();
            if (oid < 0) {
                oid = fallbackOid++;
            }
            String name = PgCatalog.cString(heap, at[nameAt], PgCatalog.NAMEDATALEN);
            if (!name.isEmpty()) {
                keepNewest(byOid, latest, oid, new String[] {name, text(heap, at, versionAt)}, t);
            }
        }
        Map<String, String> out = new TreeMap<>();
        for (String[] e : byOid.values()) {
            out.put(e[0], e[1]);
        }
        return out;
    }

    /**
     * Adds what can be read to a data directory's finding: {@code superuser}, {@code roles}, the cluster's
     * {@code encoding}, {@code lcCollate}, {@code lcCtype}, {@code localeProvider} (and {@code locale},
     * {@code icuLocale}, {@code icuRules}, {@code collationVersion} when set) from template0,
     * {@code databaseLocales} (every other database) and {@code extensions} (database to name to version).
     * A part that cannot be read adds nothing but a warning; nothing here throws.
     */
    public static void addTo(Finding f, Path dataDir, int majorNumber) {
        addTo(f, dataDir, majorNumber, true);
    }

    /** As {@link #addTo(Finding, Path, int)}; {@code warnOnDatabases} false when the caller already warned that pg_database is unreadable. */
    static void addTo(Finding f, Path dataDir, int majorNumber, boolean warnOnDatabases) {
        addRoles(f, dataDir, majorNumber);
        List<Database> dbs;
        try {
            dbs = databases(dataDir, majorNumber);
        } catch (IOException | RuntimeException e) {
            LOG.debug("pg_database not readable in {}", dataDir, e);
            if (warnOnDatabases) {
                f.warn("The encoding, locale and extensions of the databases could not be read from the catalog "
                        + "files (" + e.getMessage() + "); they are unknown until the server runs.");
            }
            return;
        }
        addLocales(f, dbs);
        addExtensions(f, dataDir, majorNumber, dbs);
        List<String> attver = attverDatabases(dataDir, majorNumber, dbs);
        if (!attver.isEmpty()) {
            f.detail(PG_ATTVER_DETAIL, attver);
        }
    }

    /** {@code superuser} and {@code roles}, or a warning when pg_authid cannot be read. */
    private static void addRoles(Finding f, Path dataDir, int majorNumber) {
        try {
            List<Role> roles = roles(dataDir, majorNumber);
            List<Map<String, Object>> list = new ArrayList<>();
            for (Role r : roles) {
                if (r.oid() == BOOTSTRAP_SUPERUSER_OID) {
                    f.detail("superuser", r.name());
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("superuser", r.superuser());
                m.put("login", r.login());
                list.add(m);
            }
            if (!list.isEmpty()) {
                f.detail("roles", list);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("pg_authid not readable in {}", dataDir, e);
            f.warn("The roles (users) could not be read from the catalog files (" + e.getMessage()
                    + "); the superuser's name is unknown until the server runs.");
        }
    }

    /** The cluster's locale (template0's) as details of its own, and {@code databaseLocales} of the others. */
    private static void addLocales(Finding f, List<Database> dbs) {
        Map<String, Map<String, Object>> locales = new TreeMap<>();
        for (Database d : dbs) {
            if (d.name().equals("template0")) {
                for (Map.Entry<String, Object> e : locale(d).entrySet()) {
                    f.detail(e.getKey(), e.getValue());
                }
            } else {
                locales.put(d.name(), locale(d));
            }
        }
        if (!locales.isEmpty()) {
            f.detail("databaseLocales", locales);
        }
    }

    /** {@code extensions} of every database but template0, and one warning naming those that could not be read. */
    private static void addExtensions(Finding f, Path dataDir, int majorNumber, List<Database> dbs) {
        Map<String, Map<String, String>> extensions = new TreeMap<>();
        List<String> unread = new ArrayList<>();
        for (Database d : dbs) {
            if (d.name().equals("template0")) {
                continue; // never changed after initdb
            }
            try {
                extensions.put(d.name(), extensions(dataDir, majorNumber, d));
            } catch (IOException | RuntimeException e) {
                LOG.debug("pg_extension of {} not readable in {}", d.name(), dataDir, e);
                unread.add(d.name() + " (" + e.getMessage() + ")");
            }
        }
        if (!extensions.isEmpty()) {
            f.detail("extensions", extensions);
        }
        if (!unread.isEmpty()) {
            f.warn("The extensions of " + String.join(", ", unread) + " could not be read from the catalog "
                    + "files; they are unknown until the server runs.");
        }
    }

    /** The finding's detail that lists the databases whose columns carry the option pg_attver. */
    public static final String PG_ATTVER_DETAIL = "pgAttverDatabases";
    private static final byte[] PG_ATTVER = "pg_attver=".getBytes(StandardCharsets.US_ASCII);

    /**
     * The databases (those that allow connections, template0 left out) whose pg_attribute holds the column option
     * {@code pg_attver=N}: Debian 12's PostgreSQL 15.20 writes it into every column it creates, and PostgreSQL 16+
     * refuse it (pg_upgrade: "unrecognized parameter", pg_dump's ALTER TABLE ... SET (pg_attver=...)). Found by the
     * bytes of the option in the catalog's file (pg_attribute, mapped: the database's pg_filenode.map names its
     * file), read as a stream; a database whose file cannot be read is left out.
     */
    static List<String> attverDatabases(Path dataDir, int majorNumber, List<Database> dbs) {
        List<String> out = new ArrayList<>();
        for (Database d : dbs) {
            if (!d.allowConnections() || d.name().equals("template0")) {
                continue;
            }
            try {
                Path dbDir = databaseFolder(dataDir, majorNumber, d);
                int node = PgCatalog.mappedFileNode(dbDir.resolve("pg_filenode.map"), ATTRIBUTE_RELATION_OID);
                if (contains(dbDir.resolve(Integer.toString(node)), PG_ATTVER)) {
                    out.add(d.name());
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("pg_attribute of {} not readable in {}", d.name(), dataDir, e);
            }
        }
        return out;
    }

    static final int ATTRIBUTE_RELATION_OID = 1249;

    /** Whether the file holds these bytes (read in 1 MB pieces that overlap by the needle's length). */
    static boolean contains(Path file, byte[] needle) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (java.io.InputStream in = ReadOnly.open(file)) {
            byte[] buf = new byte[(1 << 20) + needle.length];
            int kept = 0;
            int n;
            while ((n = in.read(buf, kept, buf.length - kept)) > 0) {
                int len = kept + n;
                if (indexOf(buf, len, needle) >= 0) {
                    return true;
                }
                kept = Math.min(needle.length - 1, len);
                System.arraycopy(buf, len - kept, buf, 0, kept);
            }
        }
        return false;
    }

    private static int indexOf(byte[] hay, int len, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= len; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The locale facts of a database as detail entries (only those that are set). */
    private static Map<String, Object> locale(Database d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("encoding", d.encoding());
        if (d.collate() != null) {
            m.put("lcCollate", d.collate());
        }
        if (d.ctype() != null) {
            m.put("lcCtype", d.ctype());
        }
        m.put("localeProvider", d.localeProvider());
        if (d.locale() != null) {
            m.put("locale", d.locale());
            if (d.localeProvider().equals("icu")) {
                m.put("icuLocale", d.locale());
            }
        }
        if (d.icuRules() != null) {
            m.put("icuRules", d.icuRules());
        }
        if (d.collationVersion() != null) {
            m.put("collationVersion", d.collationVersion());
        }
        return m;
    }

    private static String providerName(char c) {
        switch (c) {
            case 'c':
                return "libc";
            case 'i':
                return "icu";
            case 'b':
                return "builtin";
            default:
                return "unknown (" + c + ")";
        }
    }

    /** Keeps one row per OID: the newest version when an unfinished UPDATE left two live-looking ones. */
    private static <T> void keepNewest(Map<Long, T> byOid, Map<Long, Boolean> latest, long oid, T value, HeapTuple t) {
        Boolean had = latest.get(oid);
        if (had == null || (!had && t.latest())) {
            byOid.put(oid, value);
            latest.put(oid, t.latest());
        }
    }

    private static CommitLog commitLog(Path dataDir, int majorNumber) {
        return new CommitLog(dataDir.resolve(majorNumber >= 1000 ? "pg_xact" : "pg_clog"));
    }

    private static byte[] sharedCatalog(Path dataDir, int relationOid, String what) throws IOException {
        int fileNode = PgCatalog.mappedFileNode(dataDir.resolve("global").resolve("pg_filenode.map"), relationOid);
        byte[] heap = ReadOnly.head(dataDir.resolve("global").resolve(Integer.toString(fileNode)),
                PgCatalog.MAX_CATALOG_BYTES);
        if (heap == null) {
            throw new IOException("global/" + fileNode + " (" + what + ") is missing");
        }
        return heap;
    }

    /**
     * base/OID, or for a database in another tablespace pg_tblspc/TS/PG_version_catversion/OID when
     * pg_tblspc/TS is a folder inside the data directory (a link is not followed: its target may be outside
     * the backup).
     */
    private static Path databaseFolder(Path dataDir, int majorNumber, Database db) throws IOException {
        if (db.tablespace() < 0 || db.tablespace() == DEFAULT_TABLESPACE_OID) {
            return dataDir.resolve("base").resolve(Long.toString(db.oid()));
        }
        Path ts = dataDir.resolve("pg_tblspc").resolve(Long.toString(db.tablespace()));
        if (!Files.isDirectory(ts, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("it lives in tablespace " + db.tablespace() + ", which is a link or missing");
        }
        String prefix = "PG_" + (majorNumber < 1000 ? majorNumber / 100 + "." + majorNumber % 100
                : Integer.toString(majorNumber / 100)) + "_";
        try (DirectoryStream<Path> s = Files.newDirectoryStream(ts)) {
            for (Path p : s) {
                if (p.getFileName().toString().startsWith(prefix)) {
                    return p.resolve(Long.toString(db.oid()));
                }
            }
        }
        throw new IOException("tablespace " + db.tablespace() + " has no " + prefix + "* folder");
    }

    /** The pg_extension heap of a database folder: file 3079, or where its pg_class says it went. */
    private static byte[] extensionHeap(Path dataDir, Path dbDir, int majorNumber) throws IOException {
        if (!Files.isDirectory(dbDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("its folder " + dbDir.getFileName() + " is missing");
        }
        byte[] heap = ReadOnly.head(dbDir.resolve(Integer.toString(EXTENSION_RELATION_OID)), PgCatalog.MAX_CATALOG_BYTES);
        if (heap != null && heap.length > 0) {
            return heap;
        }
        long node = relFileNode(dataDir, dbDir, majorNumber, EXTENSION_RELATION_OID);
        if (node <= 0) {
            throw new IOException("pg_extension's file was not found (neither 3079 nor an entry in pg_class)");
        }
        heap = ReadOnly.head(dbDir.resolve(Long.toString(node)), PgCatalog.MAX_CATALOG_BYTES);
        if (heap == null) {
            throw new IOException("pg_extension's file " + node + " is missing");
        }
        return heap;
    }

    /**
     * The relfilenode of a relation from the database's pg_class (mapped: pg_filenode.map in the database
     * folder), or -1. pg_class columns: (oid from 12), relname, relnamespace, reltype, reloftype, relowner,
     * relam, relfilenode.
     */
    static long relFileNode(Path dataDir, Path dbDir, int majorNumber, long relationOid) throws IOException {
        int classNode = PgCatalog.mappedFileNode(dbDir.resolve("pg_filenode.map"), CLASS_RELATION_OID);
        byte[] heap = ReadOnly.head(dbDir.resolve(Integer.toString(classNode)), PgCatalog.MAX_CATALOG_BYTES);
        if (heap == null) {
            return -1;
        }
        CommitLog clog = commitLog(dataDir, majorNumber);
        boolean oidColumn = majorNumber >= 1200;
        List<int[]> cols = new ArrayList<>();
        if (oidColumn) {
            cols.add(new int[] {INT4, 4});
        }
        cols.add(new int[] {NAME, majorNumber >= 1200 ? 1 : 4}); // relname
        for (int i = 0; i < 6; i++) {
            cols.add(new int[] {INT4, 4}); // relnamespace, reltype, reloftype, relowner, relam, relfilenode
        }
        long found = -1;
        boolean foundLatest = false;
        for (HeapTuple t : PgCatalog.liveTuples(heap, clog)) {
            int[] at = offsets(t, cols);
            long oid = oidColumn ? (at[0] < 0 ? -1 : uint32(heap, at[0])) : t.headerOid();
            int nodeAt = cols.size() - 1;
            if (oid == relationOid && at[nodeAt] >= 0 && (found < 0 || (!foundLatest && t.latest()))) {
                found = uint32(heap, at[nodeAt]);
                foundLatest = t.latest();
            }
        }
        return found;
    }

    /**
     * Where each column starts in the heap bytes, or -1 for a null column (and for every column from the
     * first one that does not fit in the tuple). {@code cols} holds {width, alignment} pairs; width -1 is a
     * varlena.
     */
    static int[] offsets(HeapTuple t, List<int[]> cols) {
        byte[] heap = t.heap();
        int[] at = new int[cols.size()];
        java.util.Arrays.fill(at, -1);
        int base = t.data();
        int off = 0;
        for (int i = 0; i < cols.size(); i++) {
            if (t.isNull(i)) {
                continue;
            }
            int width = cols.get(i)[0];
            int align = cols.get(i)[1];
            if (width > 0) {
                off = align(off, align);
                if (base + off + width > t.end()) {
                    return at;
                }
                at[i] = base + off;
                off += width;
            } else {
                if (base + off >= t.end()) {
                    return at;
                }
                if (heap[base + off] == 0) {
                    off = align(off, align); // padding before a 4-byte header
                }
                int size = varSize(heap, base + off, t.end());
                if (size <= 0) {
                    return at;
                }
                at[i] = base + off;
                off += size;
            }
        }
        return at;
    }

    private static int align(int off, int align) {
        return (off + align - 1) & -align;
    }

    /** The total size of the varlena at {@code p}, header included; -1 when it does not fit or is not one. */
    private static int varSize(byte[] heap, int p, int end) {
        int b = heap[p] & 0xFF;
        int size;
        if (b == 0x01) {
            if (p + 1 >= end) {
                return -1;
            }
            int tag = heap[p + 1] & 0xFF; // an out-of-line (TOAST) pointer: 2 header bytes + its payload
            size = 2 + (tag == 18 ? 16 : tag == 1 || tag == 2 || tag == 3 ? 8 : -2);
        } else if ((b & 0x01) == 1) {
            size = b >>> 1;
        } else {
            if (p + 4 > end) {
                return -1;
            }
            size = ByteBuffer.wrap(heap, p, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() >>> 2;
        }
        return size <= 0 || p + size > end ? -1 : size;
    }

    /** The text at column {@code index}; null when the column is absent, null, compressed or out of line. */
    private static String text(byte[] heap, int[] at, int index) {
        if (index < 0 || at[index] < 0) {
            return null;
        }
        int p = at[index];
        int b = heap[p] & 0xFF;
        if (b == 0x01) {
            return null; // TOAST pointer
        }
        if ((b & 0x01) == 1) {
            return new String(heap, p + 1, (b >>> 1) - 1, StandardCharsets.UTF_8);
        }
        if ((b & 0x03) != 0) {
            return null; // compressed inline
        }
        int size = ByteBuffer.wrap(heap, p, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() >>> 2;
        return new String(heap, p + 4, size - 4, StandardCharsets.UTF_8);
    }

    private static String name(byte[] heap, int[] at, int index) {
        return index < 0 || at[index] < 0 ? null : PgCatalog.cString(heap, at[index], PgCatalog.NAMEDATALEN);
    }

    private static long uint32(byte[] heap, int at) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(heap).order(ByteOrder.LITTLE_ENDIAN).getInt(at));
    }
}
