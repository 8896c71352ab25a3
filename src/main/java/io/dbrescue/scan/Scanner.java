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
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
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
            "pdf", "doc", "docx", "odt", "ods", "xls", "xlsx", "ppt", "pptx", "epub",
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

        /** Lists a folder with lstat; unreadable names become warnings. Null when the folder cannot be read. */
        Map<String, Entry> list(Path dir, String rel) {
            Map<String, Entry> entries = new HashMap<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path p : stream) {
                    String name = p.getFileName().toString();
                    try {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
                                LinkOption.NOFOLLOW_LINKS);
                        Entry.Type type = a.isRegularFile() ? Entry.Type.FILE
                                : a.isDirectory() ? Entry.Type.DIRECTORY
                                : a.isSymbolicLink() ? Entry.Type.SYMLINK : Entry.Type.OTHER;
                        entries.put(name, new Entry(name, type, a.isRegularFile() ? a.size() : 0));
                    } catch (NoSuchFileException e) {
                        if (name.indexOf('\uFFFD') >= 0) {
                            warn(child(rel, name), "The name is not valid text in this system's character set ("
                                    + System.getProperty("sun.jnu.encoding") + "), so it was skipped. "
                                    + "Rename it, or run dbrescue with a UTF-8 locale (LANG=C.UTF-8).");
                        } // else: removed while scanning, nothing to report
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
            files.add(entries.size());
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
                    finding.path(rel.isEmpty() ? "." : rel);
                    findings.add(finding);
                    listener.found(finding);
                }
                long bytes = 0;
                List<FolderTask> subfolders = new ArrayList<>();
                for (Entry e : entries.values()) {
                    String childRel = child(rel, e.name());
                    switch (e.type()) {
                        case FILE -> {
                            bytes += e.size();
                            if (!inside) {
                                sniff(dir.resolve(e.name()), childRel, e);
                            }
                        }
                        case DIRECTORY -> subfolders.add(new FolderTask(dir.resolve(e.name()), childRel,
                                depth + 1, inside));
                        case SYMLINK -> checkLink(dir.resolve(e.name()), childRel);
                        case OTHER -> {
                            if (!inside) {
                                warn(childRel, "Skipped: a special file (socket, FIFO or device), not data.");
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
            if (e.size() < MIN_SNIFF_BYTES || NOT_DATABASES.contains(extension(e.name()))) {
                return;
            }
            byte[] head;
            try {
                head = ReadOnly.head(file, Sample.HEAD_BYTES);
            } catch (AccessDeniedException ex) {
                warn(rel, "Permission denied: this file could not be read and was skipped. "
                        + "Run dbrescue as a user who can read it (for example with sudo).");
                return;
            } catch (IOException ex) {
                warn(rel, "This file could not be read (" + reason(ex) + ") and was skipped.");
                return;
            }
            if (head == null) {
                return;
            }
            Sample sample = new Sample(file, rel, e.size(), head, this);
            for (FileDetector d : fileDetectors) {
                try {
                    Finding f = d.detect(sample);
                    if (f != null) {
                        f.path(rel);
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

    static String child(String rel, String name) {
        return rel.isEmpty() ? name : rel + "/" + name;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String reason(Exception e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
