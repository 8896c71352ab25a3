package io.dbrescue.container;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code podman run} command line, built from parts so that every container dbrescue starts is
 * made the same way: labelled with the run id, SELinux separation off for its own folders (instead of
 * relabelling them with :Z), an explicit program instead of the image's entry point (so any image that
 * has the programs works), ports published on 127.0.0.1 only, secrets passed by name ({@code -e NAME}:
 * Podman takes the value from its own environment, so it is never on a command line), folders mounted
 * with {@code -v SRC:DST} when their names are plain, else with {@code --mount type=bind,"src=...","dst=..."}
 * quoted as CSV — in {@code -v} a ':' or ',' in a folder's name would break the mount spec.
 */
public final class ContainerRun {
    private final String image;
    private final String runId;
    private String name;
    private boolean detach;
    private String user;
    private boolean keepId;
    private boolean hostNetwork;
    private boolean noNetwork;
    private boolean interactive;
    private final List<List<String>> mounts = new ArrayList<>();
    private final List<String> ports = new ArrayList<>();
    private final List<String> envNames = new ArrayList<>();
    private String workDir;
    private String stopSignal;
    private List<String> command = List.of();

    private ContainerRun(String image, String runId) {
        this.image = image;
        this.runId = runId;
    }

    public static ContainerRun of(String image, String runId) {
        return new ContainerRun(image, runId);
    }

    /** A named, detached container (a server); without it the container runs one program and is removed. */
    public ContainerRun server(String containerName) {
        this.name = containerName;
        this.detach = true;
        return this;
    }

    /** Runs the program as this uid:gid (the owner of the mounted data), keeping host ids in rootless Podman. */
    public ContainerRun user(int uid, int gid) {
        this.user = uid + ":" + gid;
        this.keepId = !io.dbrescue.run.OsUsers.isRoot();
        return this;
    }

    public ContainerRun mount(String hostPath, String containerPath) {
        if (PLAIN.matcher(hostPath).matches() && PLAIN.matcher(containerPath).matches()) {
            mounts.add(List.of("-v", hostPath + ":" + containerPath));
        } else {
            mounts.add(List.of("--mount", "type=bind," + csv("src=" + hostPath) + "," + csv("dst=" + containerPath)));
        }
        return this;
    }

    /** As {@link #mount}, read-only (a dump in the backup that a client reads). */
    public ContainerRun mountReadOnly(String hostPath, String containerPath) {
        if (PLAIN.matcher(hostPath).matches() && PLAIN.matcher(containerPath).matches()) {
            mounts.add(List.of("-v", hostPath + ":" + containerPath + ":ro"));
        } else {
            mounts.add(List.of("--mount", "type=bind," + csv("src=" + hostPath) + "," + csv("dst=" + containerPath)
                    + ",ro=true"));
        }
        return this;
    }

    /** Folder names that -v SRC:DST carries as they are; any other goes through --mount. */
    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("[A-Za-z0-9/._@+-]*");

    /**
     * One field of Podman's --mount value, which it reads as CSV: in double quotes with quotes doubled
     * (tested with Podman 4.3: ':' ',' '"' '$' and line breaks in folder names all mount). In -v SRC:DST a
     * ':' or ',' would break the spec instead.
     */
    public static String csv(String field) {
        return "\"" + field.replace("\"", "\"\"") + "\"";
    }

    /** Publishes a container port on 127.0.0.1 only. */
    public ContainerRun publish(int hostPort, int containerPort) {
        ports.add("127.0.0.1:" + hostPort + ":" + containerPort);
        return this;
    }

    /** Shares the host's network (client tools reaching servers on 127.0.0.1). */
    public ContainerRun hostNetwork() {
        this.hostNetwork = true;
        return this;
    }

    /** No network at all (a container that only lists its own files). */
    public ContainerRun noNetwork() {
        this.noNetwork = true;
        return this;
    }

    /** Keeps stdin open: the program reads what dbrescue feeds it (a dump through stdin). */
    public ContainerRun interactive() {
        this.interactive = true;
        return this;
    }

    /** Passes this environment variable through by name (its value never appears in the argv). */
    public ContainerRun env(String variable) {
        envNames.add(variable);
        return this;
    }

    /** The signal {@code podman stop} sends (PostgreSQL shuts down fastest and cleanly on SIGINT). */
    public ContainerRun stopSignal(String signal) {
        this.stopSignal = signal;
        return this;
    }

    public ContainerRun workDir(String dir) {
        this.workDir = dir;
        return this;
    }

    /** The program and its arguments, run instead of the image's entry point. */
    public ContainerRun command(List<String> programAndArgs) {
        this.command = List.copyOf(programAndArgs);
        return this;
    }

    public List<String> argv() {
        List<String> a = new ArrayList<>(List.of(Podman.command(), "run"));
        if (detach) {
            a.addAll(List.of("-d", "--name", name));
        } else {
            a.add("--rm");
        }
        // the image step before has made sure the image is here: a run never pulls behind the user's back
        a.addAll(List.of("--pull=never", "--label", Podman.LABEL + "=" + runId, "--security-opt", "label=disable"));
        if (user != null) {
            a.addAll(List.of("--user", user));
            if (keepId) {
                a.add("--userns=keep-id");
            }
        }
        if (interactive) {
            a.add("-i");
        }
        if (hostNetwork) {
            a.add("--network=host");
        } else if (noNetwork) {
            a.add("--network=none");
        }
        for (String p : ports) {
            a.addAll(List.of("-p", p));
        }
        for (List<String> m : mounts) {
            a.addAll(m);
        }
        for (String e : envNames) {
            a.addAll(List.of("-e", e));
        }
        if (workDir != null) {
            a.addAll(List.of("-w", workDir));
        }
        if (stopSignal != null) {
            a.add("--stop-signal=" + stopSignal);
        }
        if (!command.isEmpty()) {
            a.addAll(List.of("--entrypoint", command.get(0)));
        }
        a.add(image);
        if (command.size() > 1) {
            a.addAll(command.subList(1, command.size()));
        }
        return a;
    }
}
