package io.dbrescue.mysql;

import io.dbrescue.container.Podman;
import io.dbrescue.testing.Cmd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The old system of a backup, made as Debian makes it: Debian's MariaDB 10.11 (mariadb-install-db as mysql,
 * root by unix_socket) run as mysql on a socket of its own, and the old system's /etc/mysql copied from this
 * machine's mariadb-server package (its real my.cnf, conf.d and mariadb.conf.d). And what the tests check
 * after a run: no container of their own runs is left.
 */
final class OldMariaDb {
    private OldMariaDb() {
    }

    /** Starts Debian's mariadbd on data as mysql, on this socket only (no network), and waits for root's login. */
    static Process start(Path data, Path socket, Path log, String... extra) throws Exception {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", "mysql", "--", "/usr/sbin/mariadbd",
                "--no-defaults", "--datadir=" + data, "--socket=" + socket, "--skip-networking",
                "--pid-file=" + data.resolve("old.pid"), "--log-error=" + log, "--innodb-log-file-size=8M"));
        argv.addAll(List.of(extra));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 600; i++) {
            if (!p.isAlive()) {
                throw new AssertionError("the old mariadbd exited: " + Files.readString(log));
            }
            if (Files.exists(socket)) {
                try {
                    Sakila.sql(socket, "mariadb", "SELECT 1");
                    return p;
                } catch (AssertionError notYet) {
                    // starting
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the old mariadbd did not start: " + Files.readString(log));
    }

    static void stop(Path socket, Process p) throws Exception {
        Sakila.sql(socket, "mariadb", "SHUTDOWN");
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the old mariadbd did not stop");
        }
    }

    /** The old system's /etc/mysql: this machine's, as Debian's packages installed it. */
    static void copyEtc(Path backup) {
        Path etc = backup.resolve("etc");
        Cmd.run(List.of("mkdir", "-p", etc.toString()));
        Cmd.run(List.of("cp", "-a", "/etc/mysql", etc.toString()));
    }

    /** The run ids of the runs made with this state folder (its runs/ folder). */
    static List<String> runIds(Path home) throws IOException {
        Path runs = home.resolve("state/dbrescue/runs");
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Containers (running or not) that carry the label of one of these runs. */
    static List<String> containersOf(List<String> runIds) {
        List<String> out = new ArrayList<>();
        for (String id : runIds) {
            String names = Cmd.run(List.of(Podman.command(), "ps", "-a", "--filter", "label=" + Podman.LABEL + "=" + id,
                    "--format", "{{.Names}}"));
            names.lines().filter(l -> !l.isBlank()).forEach(out::add);
        }
        return out;
    }
}
