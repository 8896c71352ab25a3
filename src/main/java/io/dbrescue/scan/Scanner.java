package io.dbrescue.scan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.atomic.LongAdder;

/**
 * Walks a backup once, metadata first, and asks the engines' detectors about each folder and file.
 * Only small headers are read; symbolic links are never followed; nothing under the root is ever
 * created, changed or deleted. Folders are walked in parallel (one task per folder).
 */
public final class Scanner {
    private static final Logger LOG = LoggerFactory.getLogger(Scanner.class);

    /** Deeper than this the branch ends with a warning (path length limits, runaway trees). */
    static final int MAX_DEPTH = 200;
    /** Files smaller than this cannot be any database the detectors know. */
    private static final long MIN_SNIFF_BYTES = 16;
    /** Extensions of files that are never a database or a dump, so their headers are not read. */
    private static final Set<String> NOT_DATABASES = Set.of(
            "png", "jpg", "jpeg", "gif", "svg", "ico", "webp", "bmp", "tif", "tiff", "heic", "raw", "psd",
            "mp3", "mp4", "m4a", "mkv", "avi", "mov", "webm", "flac", "ogg", "wav", "opus",
            "pdf", "doc", "docx", "odt", "ods", "xls", "xlsx", "ppt", "pptx", "epub", "csv", "tsv",
            "class", "jar", "war", "o", "so", "a", "dll", "exe", "pyc", "pyo", "whl", "deb", "rpm",
            "js", "mjs", "cjs", "ts", "tsx", "jsx", "map", "css", "scss", "less", "html", "htm", "vue",
            "java", "kt", "scala", "py", "c", "h", "cc", "cpp", "hpp", "go", "rs", "rb", "php", "pl",
            "sh", "md", "rst", "json", "xml", "yml", "yaml", "toml", "ini", "cfg", "conf", "properties",
            "lock", "ttf", "otf", "woff", "woff2", "iso", "img", "qcow2", "vmdk", "vdi");

    private final List<DirectoryDetector> directoryDetectors = new ArrayList<>();
    private final List<FileDetector> fileDetectors = new ArrayList<>();
    private final int parallelism;

    public Scanner(List<? extends EngineScanner> engines) {
        this(engines, Runtime.getRuntime().availableProcessors());
    }

    public Scanner(List<? extends EngineScanner> engines, int parallelism) {
        for (EngineScanner e : engines) {
            directoryDetectors.addAll(e.directoryDetectors());
            fileDetectors.addAll(e.fileDetectors());
        }
        this.parallelism = Math.max(1, parallelism);
    }

    public ScanResult scan(Path backupRoot) throws IOException {
        return scan(backupRoot, ScanListener.NONE);
    }

    /**
     * Scans the tree under {@code backupRoot}.
     *
     * @throws NotDirectoryException when the root is missing or not a folder
     * @throws AccessDeniedException when the root itself cannot be read
     * @throws CancellationException when the listener cancelled the scan
     */
    public ScanResult scan(Path backupRoot, ScanListener listener) throws IOException {
        Path root = backupRoot.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw Files.exists(root, LinkOption.NOFOLLOW_LINKS)
                    ? new NotDirectoryException(root.toString())
                    : new NoSuchFileException(root.toString());
        }
        if (!Files.isReadable(root) || !Files.isExecutable(root)) {
            throw new AccessDeniedException(root.toString());
        }
        long start = System.nanoTime();
        Walk walk = new Walk(root, listener);
        ForkJoinPool pool = new ForkJoinPool(parallelism);
        try {
            pool.invoke(walk.new FolderTask(root, "", 0));
        } finally {
            pool.shutdownNow();
        }
        if (listener.cancelled()) {
            throw new CancellationException("scan cancelled");
        }
        List<Finding> findings = new ArrayList<>(walk.findings);
        findings.sort(Comparator.comparing(Finding::getPath));
        List<ScanWarning> warnings = new ArrayList<>(walk.warnings);
        warnings.sort(Comparator.comparing(ScanWarning::path));
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        LOG.debug("scanned {}: {} findings, {} files, {} folders in {} ms", root, findings.size(),
                walk.files.sum(), walk.directories.sum(), elapsed);
        return new ScanResult(root.toString(), findings, warnings,
                new ScanStats(walk.files.sum(), walk.directories.sum(), elapsed));
    }

    /** Where detectors put top-level warnings. */
    interface Sink {
        Sink NONE = (path, message) -> { };

        void warn(String relativePath, String message);
    }

    /** The state of one scan, shared by its folder tasks. */
    private final class Walk implements Sink {
        final Path root;
        final ScanListener listener;
        final ConcurrentLinkedQueue<Finding> findings = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<ScanWarning> warnings = new ConcurrentLinkedQueue<>();
        final LongAdder files = new LongAdder();
        final LongAdder directories = new LongAdder();

        Walk(Path root, ScanListener listener) {
            this.root = root;
            this.listener = listener;
        }

        @Override
        public void warn(String relativePath, String message) {
            warnings.add(new ScanWarning(relativePath.isEmpty() ? "." : relativePath, message));
        }

        /**
         * Lists a folder with lstat; unreadable names become warnings. Null when the folder cannot be read.
         */
        Map<String, Entry> list(Path dir, String rel) {
            Map<String, Entry> entries = new HashMap<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path p : stream) {
                    Path fileName = p.getFileName();
                    String name = fileName.toString();
                    try {
                        BasicFileAttributes a = attributes(stream, fileName, p);
                        Entry.Type type = a.isRegularFile() ? Entry.Type.FILE
                                : a.isDirectory() ? Entry.Type.DIRECTORY
                                : a.isSymbolicLink() ? Entry.Type.SYMLINK : Entry.Type.OTHER;
                        if (!representable(dir, name)) {
                            name = uniqueName(entries, name);
                            warn(child(rel, name), "This name is not valid text in the system's character set ("
                                    + System.getProperty("sun.jnu.encoding") + "), so it is shown with replacement "
                                    + "characters; it was scanned all the same. Rename it to see its real name"
                                    + " (and run dbrescue with a UTF-8 locale, e.g. LANG=C.UTF-8).");
                        }
                        entries.put(name, new Entry(name, type, a.isRegularFile() ? a.size() : 0, p));
                    } catch (NoSuchFileException e) {
                        // removed while scanning: nothing to report
                    } catch (IOException e) {
                        warn(child(rel, name), "Could not read this entry (" + reason(e) + "); it was skipped.");
                    }
                }
            } catch (AccessDeniedException e) {
                warn(rel, "Permission denied: this folder could not be read and was skipped. "
                        + "Run dbrescue as a user who can read it (for example with sudo).");
                return null;
            } catch (IOException | java.nio.file.DirectoryIteratorException e) {
                warn(rel, "This folder could not be read (" + reason(e) + ") and was skipped.");
                return null;
            }
            directories.increment();
            int subfolders = 0;
            for (Entry e : entries.values()) {
                subfolders += e.isDirectory() ? 1 : 0;
            }
            files.add(entries.size() - subfolders);
            long d = directories.sum();
            if ((d & 255) == 0) {
                listener.progress(d, files.sum());
            }
            return entries;
        }

        /** A task per folder: claimed by a directory detector, or walked further. Returns bytes below it. */
        final class FolderTask extends RecursiveTask<Long> {
            private final Path dir;
            private final String rel;
            private final int depth;
            private final boolean claimed;

            FolderTask(Path dir, String rel, int depth) {
                this(dir, rel, depth, false);
            }

            private FolderTask(Path dir, String rel, int depth, boolean claimed) {
                this.dir = dir;
                this.rel = rel;
                this.depth = depth;
                this.claimed = claimed;
            }

            @Override
            protected Long compute() {
                if (listener.cancelled()) {
                    return 0L;
                }
                if (depth > MAX_DEPTH) {
                    warn(rel, "The folder tree is deeper than " + MAX_DEPTH
                            + " levels here; nothing below this point was scanned.");
                    return 0L;
                }
                Map<String, Entry> entries = list(dir, rel);
                if (entries == null) {
                    return 0L;
                }
                Finding finding = claimed ? null : detectFolder(entries);
                boolean inside = claimed || finding != null;
                if (finding != null) {
                    finding.path(rel.isEmpty() ? "." : rel).location(dir);
                    findings.add(finding);
                    listener.found(finding);
                }
                long bytes = 0;
                List<FolderTask> subfolders = new ArrayList<>();
                for (Entry e : entries.values()) {
                    switch (e.type()) {
                        case FILE -> {
                            bytes += e.size();
                            if (!inside && worthSniffing(e)) {
                                sniff(e.path(), child(rel, e.name()), e);
                            }
                        }
                        case DIRECTORY -> subfolders.add(new FolderTask(e.path(),
                                child(rel, e.name()), depth + 1, inside || notSearched(e.name())));
                        case SYMLINK -> checkLink(e.path(), child(rel, e.name()));
                        case OTHER -> {
                            if (!inside) {
                                warn(child(rel, e.name()), "Skipped: a special file (socket, FIFO or device), not data.");
                            }
                        }
                    }
                }
                for (FolderTask t : invokeAll(subfolders)) {
                    bytes += t.join();
                }
                if (finding != null) {
                    finding.sizeBytes(bytes);
                }
                return bytes;
            }

            /**
             * Folders that only ever hold re-creatable copies of other things, never a database a
             * user restores: git's compressed object store, XDG caches, installed JavaScript packages,
             * Python byte code, Maven's download cache. They are walked (counted) but not searched,
             * which also keeps a scan of a developer's home folder fast.
             */
            private boolean notSearched(String name) {
                return switch (name) {
                    case ".cache", "node_modules", "__pycache__" -> true;
                    case "objects" -> ".git".equals(String.valueOf(dir.getFileName()));
                    case "repository" -> ".m2".equals(String.valueOf(dir.getFileName()));
                    default -> false;
                };
            }

            private Finding detectFolder(Map<String, Entry> entries) {
                Folder folder = new Folder(root, dir, rel, entries, Walk.this);
                for (DirectoryDetector d : directoryDetectors) {
                    try {
                        Finding f = d.detect(folder);
                        if (f != null) {
                            return f;
                        }
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("{} failed on {}", d.getClass().getSimpleName(), dir, e);
                        warn(rel, "Could not be examined (" + reason(e) + ").");
                    }
                }
                return null;
            }
        }

        private void sniff(Path file, String rel, Entry e) {
            byte[] buffer = HEAD_BUFFER.get();
            int length;
            try {
                length = readHead(file, buffer, (int) Math.min(e.size(), buffer.length));
            } catch (AccessDeniedException ex) {
                warn(rel, "Permission denied: this file could not be read and was skipped. "
                        + "Run dbrescue as a user who can read it (for example with sudo).");
                return;
            } catch (IOException ex) {
                warn(rel, "This file could not be read (" + reason(ex) + ") and was skipped.");
                return;
            }
            if (length < MIN_SNIFF_BYTES || !(mayBeDatabase(buffer[0]) || namedLikeDatabase(e.name()))) {
                return;
            }
            byte[] head = Arrays.copyOf(buffer, length);
            Sample sample = new Sample(file, rel, e.size(), head, this);
            for (FileDetector d : fileDetectors) {
                try {
                    Finding f = d.detect(sample);
                    if (f != null) {
                        f.path(rel).location(file);
                        if (f.getSizeBytes() == 0) {
                            f.sizeBytes(e.size());
                        }
                        findings.add(f);
                        listener.found(f);
                        return;
                    }
                } catch (IOException | RuntimeException ex) {
                    LOG.debug("{} failed on {}", d.getClass().getSimpleName(), file, ex);
                    warn(rel, "Could not be examined (" + reason(ex) + ").");
                }
            }
        }

        /** Symbolic links are not followed; a loop is reported, since it would trap a naive copy. */
        private void checkLink(Path link, String rel) {
            try {
                Path target = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
                if (link.getParent().startsWith(target)) {
                    warn(rel, "Symbolic link loop: it points to " + (target.equals(link.getParent())
                            ? "its own folder" : "a folder above it") + "; not followed.");
                } else if (target.startsWith(root)) {
                    target.toRealPath(); // throws on a chain of links that loops
                }
            } catch (FileSystemException ex) {
                if (ex.getReason() != null && ex.getReason().toLowerCase(Locale.ROOT).contains("levels")) {
                    warn(rel, "Symbolic link loop (" + ex.getReason() + "); not followed.");
                }
            } catch (IOException ex) {
                // a dangling link is not a problem for the scan
            }
        }
    }

    /**
     * lstat of a listed entry. Through the open folder (fstatat on its descriptor) where the platform
     * allows, so the kernel resolves one name instead of the whole path: on deep trees this is most of
     * the walk's time.
     */
    private static BasicFileAttributes attributes(DirectoryStream<Path> folder, Path name, Path entry)
            throws IOException {
        if (folder instanceof SecureDirectoryStream<Path> secure) {
            return secure.getFileAttributeView(name, BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes();
        }
        return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** One reusable buffer per scanner thread for file heads: most files are rejected from it without copying. */
    private static final ThreadLocal<byte[]> HEAD_BUFFER = ThreadLocal.withInitial(() -> new byte[Sample.HEAD_BYTES]);

    /**
     * First bytes that any file a {@link FileDetector} knows can start with: SQL text ("--", "/*", SET,
     * CREATE, "\\restrict", white space, a UTF-8 BOM), "PGDMP", "REDIS", "SQLite format 3", a RESP array
     * ("*"), a tar member name ("toc.dat"), the mongodump archive magic (0x6d), and the gzip, zstd, xz
     * and bzip2 magics. Files starting otherwise (images, random data, most text) skip the detectors.
     * A detector for a format starting with another byte must add it here.
     */
    private static final boolean[] LEADING = new boolean[256];

    static {
        for (char c : "-/SsPRr*\\CcBbtm \t\r\n".toCharArray()) {
            LEADING[c] = true;
        }
        for (int b : new int[] {0x1f, 0x28, 0xfd, 0xef}) {
            LEADING[b] = true;
        }
    }

    /** Extensions of database files and dumps: such files always reach the detectors, so near misses get a warning. */
    private static final Set<String> DATABASE_NAMES = Set.of(
            "rdb", "aof", "sqlite", "sqlite3", "db", "db3", "dump", "sql", "backup", "pgdump", "bson", "archive");

    private static boolean namedLikeDatabase(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && DATABASE_NAMES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static boolean mayBeDatabase(byte first) {
        return LEADING[first & 0xff];
    }

    /** Reads up to {@code expected} bytes from the start of a file (read-only) and returns how many. */
    private static int readHead(Path file, byte[] buffer, int expected) throws IOException {
        try (java.io.InputStream in = openForHead(file)) {
            return in.readNBytes(buffer, 0, expected); // asking for no more than the size saves a read at EOF
        }
    }

    private static java.io.InputStream openForHead(Path file) throws IOException {
        try {
            // much lighter than a channel; the entry was just seen as a regular file by lstat
            return new java.io.FileInputStream(file.toFile());
        } catch (java.io.FileNotFoundException e) {
            // a name that is not valid text, or no permission: the NIO open keeps the raw name and says which
            return Files.newInputStream(file, java.nio.file.StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * Whether a name read from a folder survives the trip through the system's character set: a
     * name with bytes that are not valid text decodes to replacement characters ('\uFFFD', or '?'
     * in an ASCII locale) and no longer names the file.
     */
    private static boolean representable(Path dir, String name) {
        if (name.indexOf('\uFFFD') < 0 && name.indexOf('?') < 0) {
            return true;
        }
        try {
            return Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.InvalidPathException e) {
            return false; // a replacement character cannot even be written in this locale's character set (LANG=C)
        }
    }

    private static String uniqueName(Map<String, Entry> entries, String name) {
        String unique = name;
        for (int i = 2; entries.containsKey(unique); i++) {
            unique = name + " (" + i + ")";
        }
        return unique;
    }

    static String child(String rel, String name) {
        return rel.isEmpty() ? name : rel + "/" + name;
    }

    private static boolean worthSniffing(Entry e) {
        if (e.size() < MIN_SNIFF_BYTES) {
            return false;
        }
        String name = e.name();
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot < name.length() - 12
                || !NOT_DATABASES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String reason(Exception e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
