package io.dbrescue.machine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Small, safe probes of this machine: running a program with an argument list and a time limit,
 * listing a folder that may be missing or unreadable, asking whether a port takes connections.
 * Nothing here throws for a missing or unreadable thing: that is the normal case on most machines.
 */
public final class Probe {
    private static final Logger LOG = LoggerFactory.getLogger(Probe.class);
    private static final int MAX_OUTPUT = 64 * 1024;

    private Probe() {
    }

    /**
     * Runs argv (never through a shell) with stdin from /dev/null and LC_ALL=C, and returns stdout and
     * stderr together when it exits 0 within the time limit; empty otherwise (not found, failed, timed
     * out: the process and its children are then killed).
     */
    public static Optional<String> run(List<String> argv, Duration timeout) {
        try {
            io.dbrescue.run.Exec.Result r = io.dbrescue.run.Exec.of(argv).env("LC_ALL", "C").env("LANG", "C")
                    .mergeStderr().keepStdout(MAX_OUTPUT).probe().timeout(timeout).run(null);
            if (!r.ok()) {
                LOG.debug("{} exited with {}: {}", argv, r.exitCode(), r.stdoutTail().strip());
                return Optional.empty();
            }
            return Optional.of(r.stdout());
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: {}", argv, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The entries of a folder, sorted by name; empty when it is missing, not a folder or unreadable. */
    public static List<Path> list(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException | UncheckedIOException | SecurityException e) {
            LOG.debug("cannot list {}: {}", dir, e.getMessage());
            return List.of();
        }
    }

    /** A regular, executable file (following links). */
    public static boolean isProgram(Path p) {
        try {
            return Files.isRegularFile(p) && Files.isExecutable(p);
        } catch (SecurityException e) {
            return false;
        }
    }

    /** The real path, or the absolute normalised path when it cannot be resolved. */
    public static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** The lines of a small text file; empty when missing, unreadable or larger than 1 MB. */
    public static List<String> lines(Path file) {
        try {
            if (file == null || !Files.isRegularFile(file) || Files.size(file) > 1024 * 1024) {
                return List.of();
            }
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            LOG.debug("cannot read {}: {}", file, e.getMessage());
            return List.of();
        }
    }

    /** The first line of a small file, stripped; null when missing, empty or unreadable. */
    public static String firstLine(Path file) {
        List<String> l = lines(file);
        return l.isEmpty() || l.get(0).isBlank() ? null : l.get(0).strip();
    }

    /** The owner's name of a file or folder; null when it cannot be read. */
    public static String owner(Path p) {
        try {
            return Files.getOwner(p).getName();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Whether something accepts a TCP connection on host:port (within 300 ms). */
    public static boolean accepts(String host, int port) {
        if (port <= 0 || port > 65535) {
            return false;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }

    /** Whether a process with this id exists now. */
    public static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Splits a PATH-like value into folders (empty and invalid parts skipped). */
    public static List<Path> pathList(String value) {
        List<Path> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(":")) {
                if (!part.isBlank()) {
                    try {
                        out.add(Path.of(part));
                    } catch (RuntimeException ignored) {
                        // not a valid path: skip
                    }
                }
            }
        }
        return out;
    }
}
