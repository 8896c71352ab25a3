package io.dbrescue.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program for a test fixture and fails the test, with its output, when it fails. */
public final class Cmd {
    private Cmd() {
    }

    /** Runs argv (as the current user) and returns stdout+stderr; throws when the exit code is not 0. */
    public static String run(List<String> argv) {
        return run(argv, null, Map.of());
    }

    public static String run(List<String> argv, Path workDir, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + argv);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("exit " + p.exitValue() + " from " + argv + "\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("could not start " + argv + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + argv, e);
        }
    }

    /** Runs argv and returns only its exit code (for "is it running?" questions). */
    public static int exitCode(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + argv);
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new AssertionError("could not start " + argv + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + argv, e);
        }
    }

    /** argv prefixed so that it runs as the unprivileged test user when the tests run as root. */
    public static List<String> asTestUser(List<String> argv) {
        if (!TestUser.isRoot()) {
            return argv;
        }
        TestUser.ensure();
        List<String> full = new ArrayList<>(List.of("runuser", "-u", TestUser.NAME, "--"));
        full.addAll(argv);
        return full;
    }
}
