package io.dbrescue.run;

import io.dbrescue.plan.BackupGuard;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Step;
import io.dbrescue.settings.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One run at a time per target. A run holds an OS file lock ({@code locks/HASH.lock} in the state folder)
 * for each target of its plan — each file or folder it replaces (data directory, RDB, SQLite file) and
 * each server it writes to (host:port) — from before its journal is written until it ends; the system
 * lets go of the locks when the process dies, so a killed run never blocks the next. A second run into
 * the same target is refused before it changes anything, with the run that holds it. The lock files stay
 * (a few bytes each): deleting a lock file while another process waits on it would let two runs in.
 */
public final class TargetLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetLock.class);
    /** Parameters that name what a step replaces: the target itself, not a work folder or a socket. */
    private static final List<String> TARGET_PARAMS = List.of("target", "dataDir", "path", "to");
    /** Locks this process holds, by file (a second channel on a locked file would release its lock when closed). */
    private static final Map<Path, String> HELD_HERE = new HashMap<>();
    private final List<Held> held;

    private record Held(Path file, FileChannel channel, FileLock lock) {
    }

    /** Another run holds a target of this plan; the message names it, the run and what to do. */
    public static final class Busy extends IOException {
        Busy(String message) {
            super(message);
        }
    }

    private TargetLock(List<Held> held) {
        this.held = held;
    }

    /** Takes the locks of every target of the plan, or none (throws {@link Busy}). */
    public static TargetLock acquire(Plan plan) throws IOException {
        return acquire(plan, StateDir.get().resolve("locks"));
    }

    static TargetLock acquire(Plan plan, Path dir) throws IOException {
        PrivateFiles.folder(dir);
        List<Held> held = new ArrayList<>();
        try {
            for (String target : targets(plan, Journal.runsDir())) {
                held.add(lock(dir, target, plan.runId()));
            }
        } catch (IOException | RuntimeException e) {
            new TargetLock(held).close();
            throw e;
        }
        return new TargetLock(held);
    }

    /**
     * What the plan writes to, as lock names: "path /real/path" for what its steps replace (links resolved,
     * the run's own folders left out) and "server host:port" for the servers it connects to.
     */
    static SortedSet<String> targets(Plan plan, Path runsDir) {
        SortedSet<String> targets = new TreeSet<>();
        for (Step step : plan.steps()) {
            for (String key : TARGET_PARAMS) {
                String v = step.params().get(key);
                if (v != null && !v.isBlank() && !BackupGuard.inside(Path.of(v), runsDir)) {
                    targets.add("path " + BackupGuard.resolve(Path.of(v)));
                }
            }
            String host = step.params().get("host");
            String port = step.params().get("port");
            if (host != null && port != null) {
                targets.add("server " + host(host) + ":" + port);
            }
        }
        return targets;
    }

    private static String host(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return Set.of("", "localhost", "127.0.0.1", "::1", "[::1]").contains(h) || h.startsWith("/") ? "localhost" : h;
    }

    private static Held lock(Path dir, String target, String runId) throws IOException {
        Path file = dir.resolve(hash(target) + ".lock");
        synchronized (HELD_HERE) {
            String holder = HELD_HERE.get(file);
            if (holder != null) {
                throw busy(target, holder);
            }
            FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException | IOException e) {
                lock = null;
            }
            if (lock == null) {
                String other = read(ch);
                ch.close();
                throw busy(target, other);
            }
            String me = "run=" + runId + "\npid=" + ProcessHandle.current().pid() + "\nsince=" + Instant.now()
                    + "\ntarget=" + target + "\n";
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            HELD_HERE.put(file, me);
            LOG.debug("locked {} ({})", target, file);
            return new Held(file, ch, lock);
        }
    }

    private static Busy busy(String target, String holder) {
        Map<String, String> h = new HashMap<>();
        for (String line : holder.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                h.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        String who = h.containsKey("run") ? "run " + h.get("run") + " (process " + h.get("pid") + ", since "
                + h.get("since") + ")" : "a run that is just starting";
        String what = target.startsWith("path ") ? target.substring(5) : "the server " + target.substring(7);
        return new Busy("Another dbrescue run is restoring into " + what + ": " + who + ". Nothing was changed. "
                + "Wait until that run has finished (or stop it), then run again.");
    }

    private static String read(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(4096, ch.size()));
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String hash(String target) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets go of the locks (their files stay, emptied). */
    @Override
    public void close() {
        synchronized (HELD_HERE) {
            for (Held h : held) {
                try {
                    h.channel().truncate(0);
                    h.lock().release();
                    h.channel().close();
                } catch (IOException e) {
                    LOG.debug("releasing {}: {}", h.file(), e.toString());
                } finally {
                    HELD_HERE.remove(h.file());
                }
            }
            held.clear();
        }
    }
}
