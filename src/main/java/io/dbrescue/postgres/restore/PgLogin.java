package io.dbrescue.postgres.restore;

import io.dbrescue.run.OsUsers;
import io.dbrescue.run.Secrets;
import io.dbrescue.run.StepFailure;
import io.dbrescue.postgres.PgLocalServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How dbrescue logs in to a running PostgreSQL server, found out before anything runs by logging in: the
 * ways a real system offers are tried in turn and the first that works is the one every step uses.
 * <ul>
 * <li>through the server's Unix socket (its lock file names it, {@link PgLocalServer}) by peer: as root, as
 * the OS user that runs the server (or the OS user named like --target-user), through a {@link PeerRelay};
 * as an ordinary user, as that user;</li>
 * <li>over TCP with the password from PGPASSWORD or ~/.pgpass.</li>
 * </ul>
 * With a password at hand TCP is tried first (the user meant it), else the socket. A server that only answers
 * over TCP (a container publishing 127.0.0.1:PORT) is reached over TCP alone.
 */
final class PgLogin {
    private PgLogin() {
    }

    /**
     * The outcome: the login that worked with the server's version, or why none did.
     *
     * @param target     the login every step uses (null when none worked)
     * @param versionNum server_version_num (0 when none worked)
     * @param version    server_version ("18.1")
     * @param failure    what went wrong with each way tried (null when one worked)
     */
    record Result(PgRestoreTarget target, int versionNum, String version, StepFailure failure) {
        boolean ok() {
            return target != null;
        }

        int major() {
            return versionNum / 10000;
        }
    }

    /**
     * Finds the login to the server at host (null: this machine) and port, as --target-user (null: the server's
     * owner by peer, postgres over TCP). {@code tcpHost} is the host used over TCP when none was given.
     */
    static Result resolve(String host, String tcpHost, int port, String user, Secrets secrets) {
        // asked afresh each time (a login costs milliseconds): a server stopped, swapped or restarted in between
        // must not be taken for the one that answered before
        return tryAll(candidates(host, tcpHost, port, user, secrets));
    }

    static List<PgRestoreTarget> candidates(String host, String tcpHost, int port, String user, Secrets secrets) {
        return candidates(host, tcpHost, port, user, secrets, OsUsers.isRoot(), PgLocalServer.SOCKET_DIRS);
    }

    static List<PgRestoreTarget> candidates(String host, String tcpHost, int port, String user, Secrets secrets,
                                            boolean root, List<Path> socketDirs) {
        PgRestoreTarget tcp = new PgRestoreTarget(host != null ? host : tcpHost, port, user != null ? user : "postgres",
                secrets);
        Optional<PgLocalServer> local = isLocal(host) ? PgLocalServer.find(port, socketDirs) : Optional.empty();
        PgRestoreTarget socket;
        if (local.isPresent()) {
            socket = socketLogin(local.get(), user, tcp.host(), secrets);
        } else if (!root && isLocal(host) && socketDir(port, socketDirs) != null) {
            // the server's lock file is its owner's alone (0600): a desktop user sees only the socket, and logs in
            // through it by peer as themselves, as Debian lets every local user with a role of their name
            socket = new PgRestoreTarget(tcp.host(), port, user != null ? user : System.getProperty("user.name"),
                    socketDir(port, socketDirs).toString(), null, secrets);
        } else {
            return List.of(tcp);
        }
        List<PgRestoreTarget> out = new ArrayList<>();
        if (passwordAtHand(secrets)) {
            out.add(tcp);
            out.add(socket);
        } else {
            out.add(socket);
            out.add(tcp);
        }
        return out;
    }

    /**
     * The socket login to a server on this machine: as root, by peer as the OS user named like the role when there
     * is one, else as the server's own OS user (whose name is the role then, as distributions have it); as an
     * ordinary user, as that user (its role by default).
     */
    static PgRestoreTarget socketLogin(PgLocalServer s, String user, String host, Secrets secrets) {
        String dir = s.socketDir().toString();
        if (!io.dbrescue.run.OsUsers.isRoot()) {
            String me = System.getProperty("user.name");
            return new PgRestoreTarget(host, s.port(), user != null ? user : me, dir, null, secrets);
        }
        String os = user != null && OsUsers.lookup(user) != null ? user : s.osUser();
        return new PgRestoreTarget(host, s.port(), user != null ? user : os, dir, os, secrets);
    }

    private static Result tryAll(List<PgRestoreTarget> ways) {
        List<String> said = new ArrayList<>();
        StepFailure last = null;
        boolean auth = false;
        for (PgRestoreTarget t : ways) {
            try {
                int num = t.serverVersionNum();
                return new Result(t, num, t.serverVersion(), null);
            } catch (SQLException e) {
                last = t.failure(e);
                auth |= last.kind().equals("auth");
                said.add(last.getMessage());
            }
        }
        if (ways.size() == 1) {
            return new Result(null, 0, null, last);
        }
        return new Result(null, 0, null, new StepFailure(auth ? "auth" : last.kind(), "dbrescue could not log in to "
                + "the PostgreSQL server on port " + ways.get(0).port() + " in any way this machine offers: "
                + String.join(" ", said), PgRestoreTarget.loginFix(), null));
    }

    /** The first of these folders holding the server's socket for this port, or null. */
    private static Path socketDir(int port, List<Path> dirs) {
        return dirs.stream().filter(d -> Files.exists(d.resolve(".s.PGSQL." + port))).findFirst().orElse(null);
    }

    static boolean isLocal(String host) {
        return host == null || host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
    }

    /** PGPASSWORD (given, or in the environment), or a password file the driver reads (PGPASSFILE, ~/.pgpass). */
    static boolean passwordAtHand(Secrets secrets) {
        if (secrets.get(PgRestoreTarget.PASSWORD_ENV) != null) {
            return true;
        }
        String file = System.getenv("PGPASSFILE");
        Path pgpass = file != null ? Path.of(file) : Path.of(System.getProperty("user.home"), ".pgpass");
        return Files.isRegularFile(pgpass);
    }
}
