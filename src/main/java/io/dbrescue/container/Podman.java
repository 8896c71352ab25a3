package io.dbrescue.container;

import io.dbrescue.run.Exec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Podman, driven with argument lists (never a shell): whether it is installed, whether an image is
 * here, the containers a run left, their last log lines, removing them. Every container dbrescue
 * starts carries the label {@value #LABEL}=RUN_ID, so whatever happens it can be found and removed.
 */
public final class Podman {
    /** The label every dbrescue container carries; its value is the run id. */
    public static final String LABEL = "io.dbrescue.run";
    private static final List<Path> DIRS = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/bin"));
    private static final Duration QUICK = Duration.ofSeconds(60);

    private Podman() {
    }

    /** The podman program: {@code dbrescue.podman} (tests), else the first on PATH or in the usual folders; null when absent. */
    public static Path program() {
        String forced = System.getProperty("dbrescue.podman");
        if (forced != null) {
            Path p = Path.of(forced);
            return Files.isExecutable(p) ? p : null;
        }
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            Arrays.stream(path.split(":")).filter(s -> !s.isBlank()).map(Path::of).forEach(dirs::add);
        }
        dirs.addAll(DIRS);
        for (Path d : dirs) {
            Path p = d.resolve("podman");
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** The program as it goes into a plan's argv ("podman" when absent, so the dry run still reads well). */
    public static String command() {
        Path p = program();
        return p == null ? "podman" : p.toString();
    }

    /** How to install Podman, for Debian/Ubuntu, Fedora and Arch. */
    public static String installHint() {
        return "Install Podman: sudo apt install podman (Debian, Ubuntu), sudo dnf install podman (Fedora), "
                + "sudo pacman -S podman (Arch). Then run again; nothing was changed.";
    }

    /** Whether the image is in local storage ({@code podman image exists}); false when Podman is missing or fails. */
    public static boolean imageExists(String image) {
        Exec.Result r = probe("image", "exists", image);
        return r != null && r.ok();
    }

    /** The image's id (sha256 hex), or null when it is not here or Podman is missing. */
    public static String imageId(String image) {
        Exec.Result r = probe("image", "inspect", "--format", "{{.Id}}", image);
        return r != null && r.ok() && !r.stdoutTail().isBlank() ? r.stdoutTail().strip() : null;
    }

    /** A label of an image, or null when the image or the label is missing. */
    public static String imageLabel(String image, String label) {
        Exec.Result r = probe("image", "inspect", "--format", "{{index .Labels \"" + label + "\"}}", image);
        String v = r != null && r.ok() ? r.stdoutTail().strip() : "";
        return v.isEmpty() || v.equals("<no value>") ? null : v;
    }

    /** Whether a container of this name exists (running or not). */
    public static boolean containerExists(String name) {
        Exec.Result r = probe("container", "exists", name);
        return r != null && r.ok();
    }

    /** Whether the container is running now. */
    public static boolean running(String name) {
        Exec.Result r = probe("inspect", "--format", "{{.State.Running}}", name);
        return r != null && r.ok() && r.stdoutTail().strip().equals("true");
    }

    /** A question for Podman answered by its exit code; null when Podman is missing or cannot be run. */
    private static Exec.Result probe(String... args) {
        Path p = program();
        if (p == null) {
            return null;
        }
        List<String> argv = new ArrayList<>(List.of(p.toString()));
        argv.addAll(List.of(args));
        try {
            return Exec.of(argv).probe().timeout(QUICK).run(null);
        } catch (Exception e) {
            return null;
        }
    }

    /** The last lines the container's program printed (its log), for error messages; "" when there are none. */
    public static String logTail(String name, int lines) {
        Path p = program();
        if (p == null) {
            return "";
        }
        try {
            Exec.Result r = Exec.of(List.of(p.toString(), "logs", "--tail", Integer.toString(lines), name))
                    .timeout(QUICK).run(null);
            String out = (r.stdoutTail() + "\n" + r.stderrTail()).strip();
            return r.ok() ? out : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** Stops (SIGTERM, then SIGKILL after {@code graceSeconds}) and removes the container; quiet when it is gone already. */
    public static void remove(String name, int graceSeconds) throws Exception {
        Path p = program();
        if (p == null || !containerExists(name)) {
            return;
        }
        Exec.of(List.of(p.toString(), "stop", "-t", Integer.toString(graceSeconds), name))
                .timeout(Duration.ofSeconds(graceSeconds + 60L)).run(null);
        Exec.Result r = Exec.of(List.of(p.toString(), "rm", "-f", name)).timeout(QUICK).run(null);
        if (!r.ok() && containerExists(name)) {
            throw new IllegalStateException("podman rm -f " + name + " failed: " + r.stderrTail().strip());
        }
    }

    /** Removes every container of this run (after a dbrescue process that ran it was killed); quiet when none. */
    public static void removeRun(String runId) {
        for (String name : containersOfRun(runId)) {
            try {
                remove(name, 5);
            } catch (Exception e) {
                throw new IllegalStateException("could not remove container " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /** Names of the containers (running or not) that carry the label of this run. */
    public static List<String> containersOfRun(String runId) {
        Path p = program();
        if (p == null) {
            return List.of();
        }
        try {
            Exec.Result r = Exec.of(List.of(p.toString(), "ps", "-a", "--filter", "label=" + LABEL + "=" + runId,
                    "--format", "{{.Names}}")).timeout(QUICK).run(null);
            return r.ok() ? r.stdoutTail().lines().map(String::strip).filter(s -> !s.isEmpty()).toList() : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

    /** The image a template names for a version: {major} and {version} replaced ("docker.io/library/postgres:{major}"). */
    public static String image(String template, String major, String version) {
        return template.replace("{major}", major).replace("{version}", version == null ? major : version);
    }
}
