package io.dbrescue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built program, {@code java -jar target/dbrescue.jar ARGS}, the way a user does. */
public final class Jar {
    private static Path userCopy;

    private Jar() {
    }

    /** What a run printed and returned. */
    public record Run(int exitCode, String stdout, String stderr) {
    }

    public static Path path() {
        Path jar = Path.of(System.getProperty("project.jar", "target/dbrescue.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after `mvn package`");
        }
        return jar;
    }

    public static Run run(String... args) {
        return exec(path(), false, Map.of(), args);
    }

    /** Runs with extra environment variables (XDG_STATE_HOME, PGPASSWORD...). */
    public static Run run(Map<String, String> env, String... args) {
        return exec(path(), false, env, args);
    }

    /** Starts the program without waiting (to kill it in the middle of a run); stdout goes to the file. */
    public static Process start(Map<String, String> env, Path stdout, String... args) throws IOException {
        return start(false, env, stdout, args);
    }

    /**
     * As {@link #start(Map, Path, String...)}, as the leader of a process group of its own — like a job in the
     * foreground of a terminal, whose Ctrl-C goes to the whole group ({@code kill -INT -- -PID}).
     */
    public static Process startAsJob(Map<String, String> env, Path stdout, String... args) throws IOException {
        return start(true, env, stdout, args);
    }

    private static Process start(boolean ownGroup, Map<String, String> env, Path stdout, String... args) throws IOException {
        List<String> argv = new ArrayList<>(ownGroup ? List.of("setsid") : List.of());
        argv.addAll(List.of(java(), "-jar", path().toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(stdout.resolveSibling(stdout.getFileName() + ".err").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs the jar as the unprivileged test user (as a user would, without root's powers). */
    public static Run runAsTestUser(String... args) {
        synchronized (Jar.class) {
            if (userCopy == null) {
                try {
                    userCopy = TestUser.newDir("jar").resolve("dbrescue.jar");
                    Files.copy(path(), userCopy, StandardCopyOption.REPLACE_EXISTING);
                    TestUser.chown(userCopy);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return exec(userCopy, true, Map.of(), args);
    }

    private static Run exec(Path jar, boolean asTestUser, Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
        argv.addAll(List.of(args));
        if (asTestUser) {
            argv = Cmd.asTestUser(argv);
        }
        try {
            Path out = Files.createTempFile("dbrescue-out", ".txt");
            Path err = Files.createTempFile("dbrescue-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + argv);
            }
            Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
