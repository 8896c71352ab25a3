package io.dbrescue.postgres;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.TestImages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs of the built jar as a new user on a distribution's machine runs it: as root, with no PGPASSWORD, no
 * ~/.pgpass and no flags beyond what the user knows (the target's port, the images to use). Its state and
 * settings go to a folder of the test's own.
 */
final class ServiceRuns {
    private static final Pattern RUN_ID = Pattern.compile("runs/([^/\\s]+)/");

    private ServiceRuns() {
    }

    /** {@code java -jar dbrescue.jar ARGS} with a home of its own; PGPASSWORD is left out of its environment. */
    static Jar.Run dbrescue(Path home, String... args) {
        Map<String, String> env = Map.of("XDG_STATE_HOME", home.resolve("state").toString(),
                "XDG_CONFIG_HOME", home.resolve("config").toString(), "PGPASSWORD", "");
        return Jar.run(env, args);
    }

    /** The images a user would name in recovery.conf: the locally built ones. */
    static List<String> images(boolean upgrade) {
        List<String> a = new ArrayList<>(List.of("--set", "images.postgresql=" + TestImages.PREFIX + "postgres:{major}"));
        if (upgrade) {
            a.addAll(List.of("--set", "images.postgresql_upgrade=" + TestImages.PREFIX + "postgres-upgrade:{old}-{new}"));
        }
        return a;
    }

    static String[] args(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    /** The run's id, from the journal's path the summary prints. */
    static String runId(Jar.Run r) {
        Matcher m = RUN_ID.matcher(r.stdout());
        String id = null;
        while (m.find()) {
            id = m.group(1);
        }
        if (id == null) {
            throw new AssertionError("no run id in the output:\n" + r.stdout() + "\n" + r.stderr());
        }
        return id;
    }

    /** Debian 15's psql over TCP with a password (scram-sha-256, as the service's pg_hba asks). */
    static String psqlWithPassword(int port, String user, String password, String db, String sql) {
        return Cmd.run(List.of("/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", user, "-d", db, "-c", sql), null,
                Map.of("PGPASSWORD", password)).strip();
    }

    static Path home() {
        try {
            return Files.createTempDirectory("dbrescue-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String both(Jar.Run r) {
        return "exit " + r.exitCode() + "\n--- stdout\n" + r.stdout() + "\n--- stderr\n" + r.stderr();
    }
}
