package io.dbrescue.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Container images for the tests, built locally by {@code src/test/containers/build-images.sh} (no image
 * registry is reachable) and kept in Podman's storage between runs. {@link #ensure} builds an image only when
 * {@code podman image exists} says it is missing, at most once per JVM and image.
 *
 * <p>Podman is a test requirement (see README): when it is missing the tests fail, they are not skipped.
 */
public final class TestImages {
    public static final String PREFIX = "localhost/dbrescue-test/";
    /** Old servers: zonky binaries at /usr/lib/postgresql/N/bin (initdb, pg_ctl, postgres; 15 also pg_controldata, pg_resetwal). */
    public static final String POSTGRES_15 = PREFIX + "postgres:15";
    public static final String POSTGRES_16 = PREFIX + "postgres:16";
    /** Debian 13 (trixie) postgresql-17 without JIT: server and all client tools, as an old server and as a target's tools. */
    public static final String POSTGRES_17 = PREFIX + "postgres:17";
    /** Debian sid postgresql-18: server and all client tools (psql, pg_dump, pg_dumpall, pg_restore, pg_upgrade...). */
    public static final String POSTGRES_18 = PREFIX + "postgres:18";
    /** {@link #POSTGRES_18} plus the 15 tree at /usr/lib/postgresql/15/bin, for pg_upgrade 15 to 18. */
    public static final String POSTGRES_UPGRADE_15_18 = PREFIX + "postgres-upgrade:15-18";
    /** {@link #POSTGRES_17} plus the 15 tree at /usr/lib/postgresql/15/bin, for pg_upgrade 15 to 17. */
    public static final String POSTGRES_UPGRADE_15_17 = PREFIX + "postgres-upgrade:15-17";
    /** Debian 12's mariadbd 10.11 (no client tools). */
    public static final String MARIADB_10_11 = PREFIX + "mariadb:10.11";
    /** Debian 11's mariadb-server 10.5 (a debootstrap of bullseye): mariadb-install-db, mariadbd, the client tools. */
    public static final String MARIADB_10_5 = PREFIX + "mariadb:10.5";

    public static final List<String> ALL = List.of(POSTGRES_15, POSTGRES_16, POSTGRES_17, POSTGRES_18,
            POSTGRES_UPGRADE_15_18, POSTGRES_UPGRADE_15_17, MARIADB_10_11, MARIADB_10_5);

    /**
     * Images whose recipe changed after machines had built them under the same name, with the value of their
     * label io.dbrescue.test.recipe: an image without it is built again. Keep in step with RECIPE in
     * build-images.sh.
     */
    static final Map<String, String> RECIPES = Map.of(POSTGRES_17, "debian-trixie", POSTGRES_UPGRADE_15_17, "debian-trixie");

    /** name to null (ready) or the failure message of this JVM's build attempt (not repeated). */
    private static final Map<String, String> ENSURED = new HashMap<>();
    private static Boolean podmanWorks;

    private TestImages() {
    }

    /** The image, built first when Podman's storage lacks it. Throws (fails the test) when that is impossible. */
    public static synchronized String ensure(String name) {
        requirePodman();
        if (ENSURED.containsKey(name)) {
            String failure = ENSURED.get(name);
            if (failure != null) {
                throw new AssertionError(failure);
            }
            return name;
        }
        if (!exists(name)) {
            try {
                build(name);
            } catch (AssertionError e) {
                ENSURED.put(name, e.getMessage());
                throw e;
            }
        }
        ENSURED.put(name, null);
        return name;
    }

    /** True when podman is on PATH and {@code podman run --rm} of a built image works. */
    public static synchronized boolean podmanWorks() {
        if (podmanWorks == null) {
            try {
                String out = Cmd.run(List.of("podman", "run", "--rm", "--network=none", ensure(POSTGRES_16),
                        "postgres", "--version"));
                podmanWorks = out.contains("PostgreSQL");
            } catch (AssertionError e) {
                podmanWorks = false;
            }
        }
        return podmanWorks;
    }

    /** Runs {@code podman ARGS} and returns its output; fails the test when it exits non-zero. */
    public static String podman(String... args) {
        requirePodman();
        List<String> argv = new java.util.ArrayList<>(List.of("podman"));
        argv.addAll(List.of(args));
        return Cmd.run(argv);
    }

    /** True when Podman's storage has the image, made by its current recipe ({@link #RECIPES}). */
    public static boolean exists(String name) {
        if (!present(name)) {
            return false;
        }
        String recipe = RECIPES.get(name);
        return recipe == null || recipe.equals(Cmd.run(List.of("podman", "image", "inspect", "--format",
                "{{index .Labels \"io.dbrescue.test.recipe\"}}", name)).strip());
    }

    private static boolean present(String name) {
        ProcessBuilder pb = new ProcessBuilder("podman", "image", "exists", name).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            return pb.start().waitFor() == 0;
        } catch (IOException e) {
            throw new AssertionError("could not run podman: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Fails with a clear message when podman is not installed: it is a test requirement, not an option. */
    public static void requirePodman() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "podman"))) {
                return;
            }
        }
        throw new AssertionError("podman is not on PATH (" + path + "). The tests need Podman with runc "
                + "(README, test requirements): apt-get install podman runc debootstrap");
    }

    private static void build(String name) {
        Path script = Path.of(System.getProperty("dbrescue.images.script", "src/test/containers/build-images.sh"))
                .toAbsolutePath();
        if (!Files.isRegularFile(script)) {
            throw new AssertionError(name + " is missing and so is the script that builds it: " + script);
        }
        if (!TestUser.isRoot()) {
            throw new AssertionError(name + " is missing from Podman's storage and building it needs root: run "
                    + "`sudo " + script + " " + name + "` once");
        }
        Path log = Path.of("target", "build-images", name.replaceAll("[^A-Za-z0-9._-]", "_") + ".log")
                .toAbsolutePath();
        Map<String, String> env = new HashMap<>();
        env.put("FIXTURES_DIR", Path.of(System.getProperty("fixtures.dir", "target/fixture-binaries"))
                .toAbsolutePath().toString());
        String out;
        try {
            out = Cmd.run(List.of("bash", script.toString(), name), null, env);
        } catch (AssertionError e) {
            write(log, e.getMessage());
            throw new AssertionError("building image " + name + " failed (log: " + log + "):\n" + e.getMessage(), e);
        }
        write(log, out);
        if (!exists(name)) {
            throw new AssertionError(script + " did not make " + name + " (log: " + log + ")");
        }
    }

    private static void write(Path log, String text) {
        try {
            Files.createDirectories(log.getParent());
            String header = "=== " + java.time.Instant.now() + " pid " + ProcessHandle.current().pid() + "\n";
            Files.writeString(log, header + (text == null ? "" : text), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The containers (running or not) of the runs whose journals lie under these folders — a test's own state
     * folders: empty after every run. Other runs on this machine (another test class, another dbrescue: Podman is
     * shared) are not looked at.
     */
    public static List<String> containersOfRunsIn(Path... folders) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (Path folder : folders) {
            if (folder == null || !Files.isDirectory(folder)) {
                continue;
            }
            try (java.util.stream.Stream<Path> all = Files.walk(folder, 8)) {
                all.filter(f -> f.getParent() != null && f.getParent().getFileName().toString().equals("runs")
                                && f.getFileName().toString().endsWith(".json"))
                        .map(f -> f.getFileName().toString().replaceFirst("\\.json$", ""))
                        .forEach(ids::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return containersOfRuns(ids);
    }

    /** The containers (running or not) of this run: labelled io.dbrescue.run=RUN_ID. */
    public static List<String> containersOfRun(String runId) {
        return containersOfRuns(List.of(runId));
    }

    /** The containers (running or not) labelled with one of these run ids. */
    public static List<String> containersOfRuns(java.util.Collection<String> runIds) {
        List<String> found = new java.util.ArrayList<>();
        for (String id : runIds) {
            String out = Cmd.run(List.of("podman", "ps", "-a", "--filter", "label=io.dbrescue.run=" + id,
                    "--format", "{{.Names}}"));
            out.lines().filter(l -> !l.isBlank()).forEach(found::add);
        }
        return found;
    }
}
