package io.dbrescue.postgres.restore;

import io.dbrescue.run.OsUsers;

/**
 * The login dbrescue's later steps (extension updates, statistics, verification) use on a cluster it is about to
 * start — restored or upgraded — chosen before anything runs from the rules that cluster WILL have: the carried
 * pg_hba.conf and pg_ident.conf ({@link PgConfigCarry}), not the backup's files as they were and not the target's.
 * The ways: through the socket by peer as the OS user named like the role (through a {@link PeerRelay} when dbrescue
 * is root; as itself otherwise), or over TCP (trust, or a password method with the password at hand).
 *
 * @param target   the login the steps use (when none gets in: the one they would try)
 * @param in       whether the rules let it in
 * @param password whether it gets in only with the password at hand (which cannot be tried before the cluster runs)
 * @param said     why, in words, for the pre-flight
 */
record PgRulesLogin(PgRestoreTarget target, boolean in, boolean password, String said) {

    /**
     * Chooses the login as the role {@code want}. {@code passwordFirst}: TCP with the password at hand first (the
     * user gave one for this login), else the socket first.
     */
    static PgRulesLogin choose(String want, String host, int port, String socketDir, PgHba rules,
                               boolean passwordFirst, io.dbrescue.run.Secrets secrets) {
        boolean root = io.dbrescue.run.OsUsers.isRoot();
        String me = System.getProperty("user.name");
        boolean osUser = root ? OsUsers.lookup(want) != null : want.equals(me);
        PgRestoreTarget socket = !socketDir.isEmpty() && osUser
                ? new PgRestoreTarget(host, port, want, socketDir, root ? want : null, secrets) : null;
        PgRestoreTarget tcp = new PgRestoreTarget(host, port, want, secrets);
        PgHba.Verdict bySocket = socket == null ? null : rules.local(want, root ? want : me, secrets);
        PgHba.Verdict byTcp = rules.loopback(want, secrets);
        if (passwordFirst && byTcp.in()) {
            return new PgRulesLogin(tcp, true, byTcp.password(), byTcp.said());
        }
        if (bySocket != null && bySocket.in()) {
            return new PgRulesLogin(socket, true, false, bySocket.said());
        }
        if (byTcp.in()) {
            return new PgRulesLogin(tcp, true, byTcp.password(), byTcp.said());
        }
        String noSocket = socketDir.isEmpty() ? "the server has no Unix socket to log in through by peer"
                : root ? "there is no OS user " + want + " to log in as by peer"
                : "dbrescue runs as " + me + ", so it cannot log in as " + want + " by peer";
        return new PgRulesLogin(socket != null ? socket : tcp, false, false,
                (bySocket != null ? bySocket.said() : noSocket) + "; " + byTcp.said());
    }

    /** Whether this login goes through the socket (by peer). */
    boolean bySocket() {
        return target.socketDir() != null;
    }
}
