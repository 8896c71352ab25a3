package io.dbrescue.mongodb;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MongoDB dbPath using WiredTiger: the text file {@code WiredTiger} ("WiredTiger" then the version
 * line "WiredTiger 10.0.2: (date)"), {@code WiredTiger.wt} / {@code WiredTiger.turtle}, and MongoDB's
 * own {@code _mdb_catalog.wt} or {@code storage.bson}. {@code mongod.lock} holds the pid while mongod
 * runs and is emptied on a clean shutdown.
 */
final class MongoDbPathDetector implements DirectoryDetector {
    private static final Pattern WT_VERSION = Pattern.compile("^WiredTiger (\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Set<String> NOT_DATABASES = Set.of("journal", "diagnostic.data", "_tmp", ".mongodb");

    @Override
    public Finding detect(Folder folder) throws IOException {
        if (!folder.hasFile("WiredTiger") || !(folder.hasFile("WiredTiger.wt") || folder.hasFile("WiredTiger.turtle"))) {
            return null;
        }
        byte[] head = folder.head("WiredTiger", 256);
        String[] lines = head == null ? new String[0] : new String(head, StandardCharsets.ISO_8859_1).split("\n");
        if (lines.length < 2 || !lines[0].equals("WiredTiger")) {
            return null;
        }
        Matcher v = WT_VERSION.matcher(lines[1]);
        if (!v.find()) {
            return null;
        }
        boolean catalog = folder.hasFile("_mdb_catalog.wt");
        boolean storage = folder.hasFile("storage.bson");
        if (!catalog && !storage) {
            folder.suspicious("A WiredTiger database, but not MongoDB's (no _mdb_catalog.wt or storage.bson); "
                    + "not reported as a MongoDB data directory.");
            return null;
        }
        Finding f = new Finding(Engine.MONGODB, Kind.DATA_DIRECTORY);
        String wt = v.group(1) + "." + v.group(2) + "." + v.group(3);
        f.detail("wiredTigerVersion", wt);
        f.detail("wiredTigerVersionLine", lines[1].trim());
        version(f, folder, Integer.parseInt(v.group(1)));
        boolean perDb = storage && readStorage(folder, f);
        checkLock(folder, f);
        if (perDb) {
            f.databases(databaseFolders(folder));
        } else {
            f.detail("databasesUnknownReason", "collection names are kept in _mdb_catalog.wt, a (usually "
                    + "compressed) WiredTiger table; they can be listed once the data directory is started");
        }
        return f;
    }

    /** The storage engine and directoryPerDB from storage.bson into the finding; whether each database has a folder. */
    private static boolean readStorage(Folder folder, Finding f) {
        boolean perDb = false;
        try {
            Map<String, Object> doc = Bson.parse(folder.head("storage.bson", 65536));
            if (doc.get("storage") instanceof Map<?, ?> st) {
                f.detail("storageEngine", st.get("engine"));
                if (st.get("options") instanceof Map<?, ?> opt) {
                    perDb = Boolean.TRUE.equals(opt.get("directoryPerDB"));
                    f.detail("directoryPerDB", perDb);
                }
            }
        } catch (IOException e) {
            f.warn("storage.bson could not be read (" + e.getMessage() + ").");
        }
        return perDb;
    }

    /** Clean shutdown from mongod.lock: empty after a clean shutdown, holding the pid while mongod runs. */
    private static void checkLock(Folder folder, Finding f) {
        Entry lock = folder.entry("mongod.lock");
        if (lock != null && lock.isFile()) {
            f.cleanShutdown(lock.size() == 0);
            if (lock.size() > 0) {
                f.warn("mongod was not shut down cleanly (mongod.lock is not empty: it was running or had "
                        + "crashed when this copy was made). MongoDB recovers from its journal when started; "
                        + "start it on a copy first.");
            }
        } else {
            f.detail("cleanShutdownUnknownReason", "no mongod.lock in the folder");
        }
    }

    /**
     * The MongoDB version is not stored in the data files (the feature compatibility version lives in the
     * admin database, inside WiredTiger tables). The WiredTiger library version only narrows it down
     * (WiredTiger 10 covers 4.4 to 6.x), so it goes into the details; the FTDC files of diagnostic.data,
     * when the backup has them, carry the server's own buildInfo.version.
     */
    private static void version(Finding f, Folder folder, int wtMajor) {
        f.detail("mongodbVersionHint", hint(wtMajor));
        MongoVersionSources.Found ftdc = MongoVersionSources.diagnosticData(folder.path());
        if (ftdc != null) {
            f.version(ftdc.version());
            f.detail("versionSource", ftdc.source());
        }
    }

    static String hint(int wtMajor) {
        if (wtMajor <= 3) return "roughly MongoDB 3.0 to 4.2 (WiredTiger " + wtMajor + ".x)";
        if (wtMajor == 10) return "roughly MongoDB 4.4 to 6.x (WiredTiger 10.x)";
        return "roughly MongoDB 7.0 or later (WiredTiger " + wtMajor + ".x)";
    }

    private static List<String> databaseFolders(Folder folder) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Entry e : folder.entries()) {
            if (e.isDirectory() && !NOT_DATABASES.contains(e.name())) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(folder.path().resolve(e.name()), "*.wt")) {
                    if (s.iterator().hasNext()) {
                        out.add(e.name());
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }
}
