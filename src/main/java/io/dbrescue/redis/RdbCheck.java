package io.dbrescue.redis;

import io.dbrescue.run.Exec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pre-flight's full check of an RDB with redis-check-rdb (redis-tools), which loads every key the way
 * the server does, with deep checks of every encoding, and verifies the checksum. It only opens the file
 * for reading (fopen "r" in src/redis-check-rdb.c; strace of Debian's 7.0.15 shows one O_RDONLY open of it
 * and no other file opened for writing) and writes nothing but its report on stdout; it runs in an empty
 * working folder of its own anyway, so that nothing can ever land next to the backup's file.
 * The full pass costs about as much as reading the file, so it belongs here and not in the scan.
 */
final class RdbCheck {
    private static final Logger LOG = LoggerFactory.getLogger(RdbCheck.class);
    private static final Pattern KEYS_READ = Pattern.compile("\\[info] (\\d+) keys read");
    private static final Pattern ERROR = Pattern.compile("\\[offset (\\d+)] (.+)");
    private static final Pattern KEY = Pattern.compile("\\[additional info] Reading key '(.*)'");
    private static final Pattern TYPE = Pattern.compile("\\[additional info] Reading type \\d+ \\((.+)\\)");

    /**
     * What the check said. {@code problem} is null when the file is whole; {@code tooNew} when this
     * redis-check-rdb is older than the file; {@code key} names the key it stopped at.
     */
    record Outcome(boolean ok, Long keysRead, String problem, String key, boolean tooNew) {
    }

    private RdbCheck() {
    }

    /** redis-check-rdb (or valkey-check-rdb) next to the target's programs, else in the usual places; null if none. */
    static Path program(Path binDir) {
        return RedisCli.server(binDir, "redis-check-rdb");
    }

    static Outcome run(Path checker, Path rdb, long sizeBytes) throws IOException, InterruptedException {
        Path cwd = Files.createTempDirectory("dbrescue-check-rdb");
        try {
            // about 100 MB/s at worst, plus a start-up allowance
            Duration limit = Duration.ofSeconds(60 + sizeBytes / (100L << 20));
            Exec.Result r = Exec.of(List.of(checker.toString(), rdb.toString())).dir(cwd).mergeStderr()
                    .keepStdout(1 << 20).probe().timeout(limit).run(null);
            return parse(r.exitCode(), r.stdout());
        } finally {
            try (var s = Files.list(cwd)) {
                s.forEach(p -> LOG.warn("redis-check-rdb left {} in its working folder", p));
            }
            io.dbrescue.run.CopyTree.delete(cwd);
        }
    }

    static Outcome parse(int exit, String out) {
        Long keys = null;
        String problem = null;
        String key = null;
        String type = null;
        boolean inError = false;
        for (String line : out.split("\n")) {
            String l = line.strip();
            Matcher m;
            if (l.contains("--- RDB ERROR DETECTED ---")) {
                inError = true;
            } else if ((m = KEYS_READ.matcher(l)).find()) {
                keys = Long.parseLong(m.group(1));
            } else if (inError && problem == null && (m = ERROR.matcher(l)).find()) {
                problem = m.group(2).replaceFirst("^Internal error in RDB reading offset \\d+, function at \\S+ -> ", "")
                        + " (at byte " + m.group(1) + ")";
            } else if ((m = KEY.matcher(l)).find()) {
                key = m.group(1);
            } else if ((m = TYPE.matcher(l)).find()) {
                type = m.group(1);
            }
        }
        boolean tooNew = out.contains("Can't handle RDB format version");
        if (exit == 0 && problem == null) {
            return new Outcome(true, keys, null, null, false);
        }
        if (problem == null) {
            problem = "redis-check-rdb exited with " + exit;
        }
        if (key != null) {
            problem += ", in the key '" + key + "'" + (type == null ? "" : " (" + type + ")");
        }
        return new Outcome(false, null, problem, key, tooNew); // its count stops at the damage
    }
}
