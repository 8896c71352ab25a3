package io.dbrescue.postgres.restore;

import io.dbrescue.run.ServerProcess;
import io.dbrescue.run.StepContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts PostgreSQL without pg_ctl: {@code pg_ctl start} runs postgres through /bin/sh with the data
 * folder, the log file and the -o options pasted into the command string, so a path with {@code $(...)}
 * would run a command. Here postgres itself runs from an argument list ({@link ServerProcess}), and the
 * wait is pg_ctl's own: the status line of postmaster.pid ("ready", PostgreSQL 10 and newer), or — before
 * 10, which has no status line — a connection attempt that the server answers ({@link PgPing}).
 */
final class PgServer {
    private static final Logger LOG = LoggerFactory.getLogger(PgServer.class);

    private PgServer() {
    }

    /** postgres -D DATA -p PORT -c listen_addresses=L -c unix_socket_directories=S, then the extra arguments. */
    static List<String> argv(Path binDir, String dataDir, Object port, String listen, String socketDir, String... extra) {
        List<String> a = new ArrayList<>(List.of(binDir.resolve("postgres").toString(), "-D", dataDir,
                "-p", String.valueOf(port), "-c", "listen_addresses=" + listen,
                "-c", "unix_socket_directories=" + socketDirs(socketDir)));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    /** {@code -c config_file=FILE} when the configuration is not in the data directory (Debian's /etc), else nothing. */
    static String[] configFile(String file) {
        return file == null || file.isEmpty() ? new String[0] : new String[] {"-c", "config_file=" + file};
    }

    /**
     * The value of unix_socket_directories for one folder (empty: no unix socket). The setting is a
     * comma-separated list, so a folder with a comma, a space or a double quote goes in double quotes.
     */
    static String socketDirs(String dir) {
        if (dir == null || dir.isEmpty()) {
            return "";
        }
        return dir.matches("[^,\"\\s]*") ? dir : "\"" + dir.replace("\"", "\"\"") + "\"";
    }

    /**
     * Starts postgres (argv from {@link #argv} or {@link #lastOptions}) on the data directory as the run-as
     * user, its output appended to the log, and waits until it accepts connections.
     *
     * @throws ServerProcess.NotReady with the FATAL line when it stops (or does not get ready in time)
     */
    static ServerProcess.Started start(List<String> argv, Path dataDir, String runAs, Path log, StepContext ctx)
            throws IOException, InterruptedException {
        int major = major(dataDir);
        String user = runAs != null ? runAs : System.getProperty("user.name");
        return ServerProcess.of(argv).as(runAs).env("LC_ALL", "C").log(log)
                .readyWhen(p -> ready(dataDir, major, p, user)).start(ctx);
    }

    /** The major version in PG_VERSION (9 for "9.6"), 0 when unreadable. */
    static int major(Path dataDir) {
        try {
            String v = Files.readString(dataDir.resolve("PG_VERSION"), StandardCharsets.US_ASCII).strip();
            return Integer.parseInt(v.contains(".") ? v.substring(0, v.indexOf('.')) : v);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Ready when postmaster.pid belongs to this start (its pid is the process or a child of it) and says so:
     * its 8th line "ready" or "standby" (10+); before 10, once the file is complete (7 lines: port, socket
     * folder, listen address) the server is asked over TCP or its socket.
     */
    static boolean ready(Path dataDir, int major, ProcessHandle process, String user) {
        List<String> lines = pidFile(dataDir);
        if (lines.isEmpty() || !startedBy(process, lines.get(0).strip())) {
            return false;
        }
        if (major >= 10 || lines.size() >= 8) {
            // the status is the last line (the 8th — unless a path in the file holds a line break)
            String status = lines.size() >= 8 ? lines.get(lines.size() - 1).strip() : "";
            return status.equals("ready") || status.equals("standby");
        }
        if (lines.size() < 7) {
            return false;
        }
        int port;
        try {
            port = Integer.parseInt(lines.get(3).strip());
        } catch (NumberFormatException e) {
            return false;
        }
        String listen = lines.get(5).strip();
        String socketDir = lines.get(4).strip();
        PgPing.Answer a = !listen.isEmpty() ? PgPing.tcp(tcpHost(listen), port, user)
                : !socketDir.isEmpty() ? PgPing.unix(Path.of(socketDir), port, user) : PgPing.Answer.NO_ANSWER;
        return a == PgPing.Answer.ACCEPTING;
    }

    private static List<String> pidFile(Path dataDir) {
        Path pid = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pid, LinkOption.NOFOLLOW_LINKS)) {
                return List.of();
            }
            return Files.readAllLines(pid, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(); // being written
        }
    }

    /** The pid of postmaster.pid is the started process or one of its children (runuser's child). */
    private static boolean startedBy(ProcessHandle process, String pidText) {
        try {
            long pid = Long.parseLong(pidText);
            return pid == process.pid() || process.descendants().anyMatch(h -> h.pid() == pid);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** pg_ctl's choice: a wildcard listen address is asked on the loopback address. */
    static String tcpHost(String listen) {
        return switch (listen) {
            case "*", "0.0.0.0" -> "127.0.0.1";
            case "::" -> "::1";
            default -> listen;
        };
    }

    /**
     * The arguments the server on this data directory last started with, read from postmaster.opts as
     * data (pg_ctl restart pastes them into a shell command instead). postgres writes the program's path,
     * then each argument in double quotes: {@code /usr/lib/postgresql/15/bin/postgres "-D" "/var/lib/..."}.
     * Returns the arguments after the program, or null when there is no such file.
     */
    static List<String> lastOptions(Path dataDir) throws IOException {
        Path opts = dataDir.resolve("postmaster.opts");
        if (!Files.isRegularFile(opts, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return parseOptions(Files.readString(opts, StandardCharsets.UTF_8));
    }

    static List<String> parseOptions(String text) {
        String line = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        int first = line.indexOf(" \"");
        if (first < 0) {
            return List.of();
        }
        String rest = line.substring(first + 1);
        if (rest.length() < 2 || !rest.endsWith("\"")) {
            LOG.warn("postmaster.opts is not as postgres writes it; starting without its options: {}", line);
            return List.of();
        }
        // an argument that itself holds '" "' cannot be told apart: postgres writes quotes unescaped
        return List.of(rest.substring(1, rest.length() - 1).split("\" \"", -1));
    }
}
