package io.dbrescue.postgres.restore;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.scan.Finding;
import io.dbrescue.postgres.PgLocalServer;
import io.dbrescue.machine.TargetDiscovery;
import io.dbrescue.machine.TargetOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The logins of the pg_upgrade path, proven before anything is stopped or moved. After the swap the cluster has the
 * OLD cluster's roles and — carried and adapted by the {@code pg-config} step ({@link PgConfigPlan}) — the OLD
 * cluster's pg_hba.conf and pg_ident.conf (their password methods fit the old roles' password hashes; the server's
 * OS user's peer line added where they lacked it), served on the target's socket folder and port. So the steps after
 * it (collation check, statistics, verification) log in as a role of the old cluster (--target-user, else its
 * superuser) the way the carried rules let that role in ({@link PgRulesLogin}): the proof reads those rules, not the
 * target's (which are not in effect afterwards). A password login cannot be tried before the old cluster runs: it is
 * a warning.
 */
final class PgUpgradeLogin {
    private PgUpgradeLogin() {
    }

    /**
     * The socket folder of the target server that answers on this port now (its lock file, else its postmaster.pid):
     * the upgraded cluster serves the same one. Null when it has none here.
     */
    static String targetSocket(TargetOptions o, int port, Path data) {
        if (!TargetDiscovery.isLocal(o.host())) {
            return null;
        }
        Optional<PgLocalServer> live = PgLocalServer.find(port);
        if (live.isEmpty()) {
            live = PgLocalServer.fromDataDir(data, port);
        }
        return live.map(PgLocalServer::socketDir).map(Path::toString).orElse(null);
    }

    /**
     * The login of the steps after the swap, proven against {@code rules} (the carried ones). When none can be proven
     * a FAIL is recorded, and the one returned is the one they would try (so the plan still shows every step).
     */
    static PgRestoreTarget prove(Finding f, TargetOptions o, int port, String socketDir, PgHba rules, PlanContext ctx) {
        String superuser = String.valueOf(f.getDetails().getOrDefault("superuser", "postgres"));
        String want = o.user() != null ? o.user() : superuser;
        String host = o.host() != null ? o.host() : "127.0.0.1";
        List<String> roles = PgContainerPlan.roleNames(f);
        if (!roles.isEmpty() && !roles.contains(want)) {
            ctx.fail("login-after-upgrade", "After pg_upgrade the cluster has the old cluster's roles (" + String.join(", ",
                    roles) + "), and no role " + want + ": the steps after the upgrade (collation check, statistics, "
                    + "verification) could not log in.", "Give a role of the old cluster with --target-user (its superuser is "
                    + superuser + "), or use --upgrade-method dump: it moves the databases into the running server and keeps "
                    + "its roles. Nothing was changed.");
            return new PgRestoreTarget(host, port, want, ctx.secrets());
        }
        // a password is taken for this login only when the user named its role: else it may be the target's
        PgRulesLogin login = PgRulesLogin.choose(want, host, port, socketDir, rules,
                PgLogin.passwordAtHand(ctx.secrets()) && o.user() != null, ctx.secrets());
        if (!login.in()) {
            ctx.fail("login-after-upgrade", "After pg_upgrade dbrescue must log in to the new cluster as " + want + " (a "
                    + "role of the old cluster), and the login rules it will have (the old cluster's, carried) let that in "
                    + "no way dbrescue has: " + login.said() + ".", "Create the OS user " + want + " (sudo useradd "
                    + "--system " + want + ") so dbrescue logs in as it by peer, or give --target-user " + want + " and its "
                    + "password of the old cluster in PGPASSWORD, or use --upgrade-method dump. Nothing was changed.");
        } else if (login.password()) {
            ctx.warn("login-after-upgrade", "After pg_upgrade dbrescue logs in as " + want + " over TCP with the password "
                    + "you gave (PGPASSWORD / ~/.pgpass): " + login.said() + ". It must be " + want + "'s password in the "
                    + "OLD cluster, which cannot be tried before the old cluster runs.",
                    "If it is not, the run stops after the upgrade and rolls back.");
        } else if (login.bySocket()) {
            ctx.pass("login-after-upgrade", "After the upgrade dbrescue logs in as " + want + " through the socket "
                    + socketDir + " by peer (as the OS user " + (login.target().relayed() ? want
                    : System.getProperty("user.name")) + "), no password: " + login.said() + ".");
        } else {
            ctx.pass("login-after-upgrade", "After the upgrade dbrescue logs in as " + want + " over TCP, no password: "
                    + login.said() + ".");
        }
        return login.target();
    }
}
