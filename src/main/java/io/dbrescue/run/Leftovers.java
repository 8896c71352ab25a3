package io.dbrescue.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What a dbrescue process starts that must not outlive it — throwaway folders, throwaway servers, the
 * containers of a run — recorded in {@code leftovers/ID.json} of the state folder with the process's pid and
 * start time, and forgotten when the process tidies up itself. A process killed with kill -9 cannot tidy up:
 * {@link #sweep} (run when dbrescue starts) finds the records of processes that are gone and removes exactly
 * what they name, never anything else. Folders a resume still needs (a recovery's run folder) are not
 * recorded here: the journal keeps them.
 */
public final class Leftovers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What is written to disk. */
    public static final class Record {
        public String id;
        public long pid;
        public String processStarted;
        public String what;
        public Set<String> folders = new LinkedHashSet<>();
        public Set<String> runs = new LinkedHashSet<>();
    }

    private final Path file;
    private final Record record;

    private Leftovers(Path file, Record record) {
        this.file = file;
        this.record = record;
    }

    /** The folder of the records. */
    static Path dir() {
        return StateDir.get().resolve("leftovers");
    }

    /** Starts a record for this process; {@code what} says in words what it is doing (for the sweep's message). */
    public static Leftovers open(String id, String what) throws IOException {
        Record r = new Record();
        r.id = id.replaceAll("[^A-Za-z0-9._-]", "_");
        r.pid = ProcessHandle.current().pid();
        r.processStarted = ProcessHandle.current().info().startInstant().map(Instant::toString).orElse(null);
        r.what = what;
        Leftovers l = new Leftovers(dir().resolve(r.id + ".json"), r);
        l.save();
        return l;
    }

    /**
     * A folder of ours to delete if this process dies; a throwaway PostgreSQL server running from it (a
     * postmaster.pid in it) is stopped first.
     */
    public synchronized Leftovers folder(Path dir) throws IOException {
        record.folders.add(dir.toAbsolutePath().toString());
        save();
        return this;
    }

    /** A run whose containers (label io.dbrescue.run=ID) are to be removed if this process dies. */
    public synchronized Leftovers containers(String runId) throws IOException {
        record.runs.add(runId);
        save();
        return this;
    }

    /** This process tidied up itself: the record goes. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file, e.getMessage());
        }
    }

    private void save() throws IOException {
        io.dbrescue.settings.PrivateFiles.folder(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (java.io.OutputStream out = io.dbrescue.settings.PrivateFiles.newOutputStream(tmp)) { // 0600
            out.write(JSON.writeValueAsString(record).getBytes(StandardCharsets.UTF_8));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Removes what dbrescue processes that are gone left behind, and says so, one line each. Records of
     * processes still running (another dbrescue) are left alone.
     *
     * @param removeContainers removes the containers of a run id (Podman); the run package knows no Podman
     */
    public static List<String> sweep(Consumer<String> removeContainers) {
        List<String> said = new ArrayList<>();
        Path dir = dir();
        if (!Files.isDirectory(dir)) {
            return said;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                sweepOne(f, removeContainers).ifPresent(said::add);
            }
        } catch (IOException e) {
            LOG.warn("could not look for leftovers in {}: {}", dir, e.getMessage());
        }
        return said;
    }

    private static Optional<String> sweepOne(Path f, Consumer<String> removeContainers) {
        Record r;
        try {
            r = JSON.readValue(f.toFile(), Record.class);
        } catch (IOException e) {
            LOG.warn("unreadable leftovers record {} removed: {}", f, e.getMessage());
            deleteQuietly(f);
            return Optional.empty();
        }
        if (alive(r)) {
            return Optional.empty();
        }
        List<String> done = new ArrayList<>();
        for (String run : r.runs) {
            try {
                removeContainers.accept(run);
            } catch (RuntimeException e) {
                LOG.warn("could not remove the containers of run {}: {}", run, e.getMessage());
            }
        }
        for (String folder : r.folders) {
            Path p = Path.of(folder);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                serversIn(p).forEach(data -> stopServer(data).ifPresent(done::add));
                long bytes = size(p);
                try {
                    CopyTree.delete(p);
                    done.add("deleted " + p + " (" + io.dbrescue.text.Sizes.human(bytes) + ")");
                } catch (IOException e) {
                    done.add("could not delete " + p + ": " + e.getMessage());
                }
            }
        }
        deleteQuietly(f);
        LOG.info("leftovers of {} (pid {}): {}", r.id, r.pid, done);
        if (done.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("dbrescue: tidied up after " + (r.what == null ? r.id : r.what) + " (process " + r.pid
                + ", which was killed): " + String.join("; ", done) + ".");
    }

    /** Whether the process that wrote the record still runs (the same pid and the same start time). */
    private static boolean alive(Record r) {
        Optional<ProcessHandle> p = ProcessHandle.of(r.pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        String started = p.get().info().startInstant().map(Instant::toString).orElse(null);
        return r.processStarted == null || r.processStarted.equals(started);
    }

    /** Stops the server named by the data directory's postmaster.pid, if it is a live postgres. */
    private static Optional<String> stopServer(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        long pid;
        try {
            if (!Files.isRegularFile(pidFile, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        boolean postgres = p.flatMap(h -> h.info().command()).map(c -> c.endsWith("/postgres") || c.endsWith("postmaster"))
                .orElse(false);
        if (p.isEmpty() || !postgres) {
            return Optional.empty();
        }
        ProcessHandle h = p.get();
        h.destroy(); // SIGTERM: a smart shutdown, immediate with no clients
        try {
            h.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception timedOut) {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        }
        return Optional.of("stopped a temporary PostgreSQL server (pid " + pid + ") on " + dataDir);
    }

    /** The data directories under a folder (up to three levels down) that hold a postmaster.pid. */
    private static List<Path> serversIn(Path dir) {
        try (Stream<Path> all = Files.find(dir, 4, (p, a) -> a.isRegularFile() && p.getFileName().toString().equals("postmaster.pid"))) {
            return all.map(Path::getParent).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    private static long size(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", f, e.getMessage());
        }
    }
}
