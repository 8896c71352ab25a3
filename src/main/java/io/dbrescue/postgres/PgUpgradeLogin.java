package io.dbrescue.postgres;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.run.OsUsers;
import io.dbrescue.scan.Finding;
import io.dbrescue.target.InstalledServer;
import io.dbrescue.target.PgLocalServer;
import io.dbrescue.target.TargetDiscovery;
import io.dbrescue.target.TargetOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The logins of the pg_upgrade path, proven before anything is stopped or moved. After the swap the cluster has
 * the OLD cluster's roles and — carried over by {@link PgUpgradeSteps} — the TARGET's own pg_hba.conf and
 * pg_ident.conf, socket folder and port: so the steps after it (collation check, statistics, verification) log
 * in as a role of the old cluster (--target-user, else its superuser) the way the target lets that role in today.
 * Proof, in order: a role the old cluster has; through the socket by peer as the OS user of that name, tried
 * now against the running target (a login that gets past authentication counts, even when the role is only in
 * the old cluster: PostgreSQL checks that the role exists after the method let it in); with the target stopped,
 * its pg_hba.conf read. A password login over TCP cannot be tried before the old cluster runs: it is a warning.
 *
 * @param after     the login the later steps use (when none could be proven a FAIL was recorded, and this is the
 *                  one they would try, so the plan still shows every step)
 * @param hbaFrom   the target's pg_hba.conf, copied into the new cluster (null: none found, peer is written)
 * @param identFrom the target's pg_ident.conf (null: none)
 * @param socketDir the socket folder the new cluster serves (the target's), or "" for none
 */
record PgUpgradeLogin(PgRestoreTarget after, String hbaFrom, String identFrom, String socketDir) {

    static PgUpgradeLogin prove(Finding f, TargetOptions o, int port, Path data, InstalledServer.Cluster cluster,
                                String runAs, PlanContext ctx) {
        String superuser = String.valueOf(f.getDetails().getOrDefault("superuser", "postgres"));
        String want = o.user() != null ? o.user() : superuser;
        Optional<PgLocalServer> live = TargetDiscovery.isLocal(o.host()) ? PgLocalServer.find(port) : Optional.empty();
        if (live.isEmpty() && TargetDiscovery.isLocal(o.host())) {
            live = PgLocalServer.fromDataDir(data, port);
        }
        String socketDir = live.map(PgLocalServer::socketDir).map(Path::toString).orElse(PostgresPlanner.socketDir(runAs));
        Path[] conf = configFiles(live, o, port, data, cluster, ctx.secrets());
        String hba = conf[0] == null ? null : conf[0].toString();
        String ident = conf[1] == null ? null : conf[1].toString();
        List<String> roles = PgContainerPlan.roleNames(f);
        if (!roles.isEmpty() && !roles.contains(want)) {
            ctx.fail("login-after-upgrade", "After pg_upgrade the cluster has the old cluster's roles (" + String.join(", ",
                    roles) + "), and no role " + want + ": the steps after the upgrade (collation check, statistics, "
                    + "verification) could not log in.", "Give a role of the old cluster with --target-user (its superuser is "
                    + superuser + "), or use --upgrade-method dump: it moves the databases into the running server and keeps "
                    + "its roles. Nothing was changed.");
            return new PgUpgradeLogin(tcp(o, port, want, ctx.secrets()), hba, ident, socketDir);
        }
        if (PgLogin.passwordAtHand(ctx.secrets()) && o.user() != null) {
            return withPassword(want, port, hba, ident, socketDir, o, ctx);
        }
        return bySocket(want, port, socketDir, live.isPresent(), hba, ident, o, ctx);
    }

    /** Over TCP with the password the user gave: it is the old cluster's, so it cannot be tried before. */
    private static PgUpgradeLogin withPassword(String want, int port, String hba, String ident, String socketDir,
                                               TargetOptions o, PlanContext ctx) {
        ctx.warn("login-after-upgrade", "After pg_upgrade dbrescue logs in as " + want + " over TCP with the password "
                + "you gave (PGPASSWORD / ~/.pgpass); it must be " + want + "'s password in the OLD cluster, which cannot "
                + "be tried before the old cluster runs.", "If it is not, the run stops after the upgrade and rolls back.");
        return new PgUpgradeLogin(tcp(o, port, want, ctx.secrets()), hba, ident, socketDir);
    }

    private static PgUpgradeLogin bySocket(String want, int port, String socketDir, boolean running, String hba,
                                           String ident, TargetOptions o, PlanContext ctx) {
        String host = o.host() != null ? o.host() : "127.0.0.1";
        boolean root = PgDirectSteps.isRoot();
        String me = System.getProperty("user.name");
        String os = root ? want : me;
        if (socketDir.isEmpty() || root && OsUsers.lookup(want) == null || !root && !me.equals(want)) {
            if (PgLogin.passwordAtHand(ctx.secrets())) {
                return withPassword(want, port, hba, ident, socketDir, o, ctx);
            }
            ctx.fail("login-after-upgrade", "After pg_upgrade dbrescue must log in to the new cluster as " + want + " (a "
                    + "role of the old cluster), and " + (socketDir.isEmpty() ? "the server has no Unix socket to log in "
                    + "through by peer" : "no OS user " + want + " can log in as it by peer" + (root ? ""
                    : " (dbrescue runs as " + me + ")")) + "; no password was given for it.", "Create the OS user " + want
                    + " (sudo useradd --system " + want + ") so dbrescue logs in as it by peer, or give --target-user "
                    + want + " and its password of the old cluster in PGPASSWORD, or use --upgrade-method dump. Nothing "
                    + "was changed.");
            return new PgUpgradeLogin(tcp(o, port, want, ctx.secrets()), hba, ident, socketDir);
        }
        PgRestoreTarget after = new PgRestoreTarget(host, port, want, socketDir, root ? want : null, ctx.secrets());
        String proof;
        if (running) {
            proof = tryNow(after);
        } else {
            PgHba.Verdict v = PgHba.local(hba, want, ctx.secrets());
            proof = (v.in() ? "" : "no: ") + v.said() + (v.in() ? " (not tried: the server is not running)." : ".");
        }
        if (proof.startsWith("no:")) {
            ctx.fail("login-after-upgrade", "After pg_upgrade dbrescue must log in to the new cluster as " + want
                    + " through the socket " + socketDir + " (peer, as the OS user " + os + "), and that login is refused: "
                    + proof.substring(3).strip(), PgRestoreTarget.loginFix() + " Or use --upgrade-method dump. Nothing was "
                    + "changed.");
            return new PgUpgradeLogin(after, hba, ident, socketDir);
        }
        ctx.pass("login-after-upgrade", "After the upgrade dbrescue logs in as " + want + " through the socket " + socketDir
                + " by peer (as the OS user " + os + "), no password: " + proof + " The new cluster keeps the target's "
                + (hba != null ? "pg_hba.conf (" + hba + ")" + (ident != null ? " and pg_ident.conf" : "")
                : "logins (no pg_hba.conf of it found: local peer, TCP scram-sha-256)") + ".");
        return new PgUpgradeLogin(after, hba, ident, socketDir);
    }

    private static PgRestoreTarget tcp(TargetOptions o, int port, String role, io.dbrescue.run.Secrets secrets) {
        return new PgRestoreTarget(o.host() != null ? o.host() : "127.0.0.1", port, role, secrets);
    }

    /** A login tried against the running target; "role does not exist" means the method let it in. */
    private static String tryNow(PgRestoreTarget t) {
        try (var c = t.connect("postgres")) {
            return "tried now against the running server, it works.";
        } catch (SQLException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("role \"" + t.user() + "\" does not exist")) {
                return "tried now, the server lets it in (the role comes with the old cluster).";
            }
            if (msg.contains("database \"postgres\" does not exist")) {
                return "tried now, the server lets it in.";
            }
            return "no: " + PgRestoreTarget.firstLine(msg);
        }
    }

    /**
     * The target's pg_hba.conf and pg_ident.conf: the files the running server says it uses (asked through the
     * login that works), else those in its data directory, else in Debian's /etc/postgresql/N/NAME.
     */
    private static Path[] configFiles(Optional<PgLocalServer> live, TargetOptions o, int port, Path data,
                                      InstalledServer.Cluster cluster, io.dbrescue.run.Secrets secrets) {
        Path hba = null;
        Path ident = null;
        if (live.isPresent()) {
            PgLogin.Result login = PgLogin.resolve(o.host(), "127.0.0.1", port, o.user(), secrets);
            if (login.ok()) {
                try {
                    hba = Path.of(login.target().setting("hba_file"));
                    ident = Path.of(login.target().setting("ident_file"));
                } catch (SQLException | RuntimeException e) {
                    hba = null; // not a superuser: read the files where they usually are
                }
            }
        }
        List<Path> places = new ArrayList<>();
        places.add(data);
        if (cluster != null && cluster.configFile() != null) {
            places.add(cluster.configFile().getParent());
        }
        for (Path dir : places) {
            if (hba == null && Files.isRegularFile(dir.resolve("pg_hba.conf"))) {
                hba = dir.resolve("pg_hba.conf");
                ident = dir.resolve("pg_ident.conf");
            }
        }
        return new Path[] {hba != null && Files.isReadable(hba) ? hba : null,
                ident != null && Files.isReadable(ident) ? ident : null};
    }
}
