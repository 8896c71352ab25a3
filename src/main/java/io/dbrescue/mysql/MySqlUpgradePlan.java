package io.dbrescue.mysql;

import io.dbrescue.run.BasicSteps;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.run.OsUsers;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the in-place upgrade of older MariaDB / MySQL data by the newer server that answers. Next to the
 * target data directory (one disk, so the swap is a rename) a working folder gets a copy of the old data
 * directory (the backup is never touched), owned by the OS user the target runs as. The target's own server
 * program opens the copy on a private socket in that folder (no network, --skip-grant-tables, with the old
 * data's page size and lower_case_table_names): every table's row count and CHECKSUM TABLE are taken,
 * mariadb-upgrade fixes the system tables (MySQL 8.0.16+ does that itself on start), the server is started
 * again as it will run — with its grant tables — and dbrescue logs in to it exactly as it logs in to the target
 * (so a login that would not work after the swap stops the run before the target is touched), and the counts
 * and checksums are compared. Only then is the target stopped (its service, or its process), its data
 * directory moved aside (the safety copy), the upgraded copy moved into its place and the target started
 * again the way it ran; the counts and checksums are compared once more through the target's own socket.
 */
final class MySqlUpgradePlan {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private MySqlUpgradePlan() {
    }

    static void plan(Finding f, PlanContext ctx, MySqlTarget t, MySqlUpgradeChoice how, MySqlSettings old) {
        RecoveryRequest req = ctx.request();
        boolean maria = f.getEngine() == Engine.MARIADB;
        if (how.problem() != null) {
            ctx.fail("in-place", how.problem(), "Use --upgrade-method dump (the old version in a container, its "
                    + "databases and accounts moved into the running server), or install what is missing and run again.");
            return;
        }
        if (f.getEngine() == Engine.MYSQL) {
            ctx.warn("unverified", "MySQL's in-place upgrade is planned by MySQL's documented rules but not tested here "
                    + "(no MySQL server can be installed where dbrescue is tested).", "Check the counts and checksums "
                    + "the run reports yourself.");
        }
        Path data = t.dataDir().toAbsolutePath().normalize();
        String runAs = req.target().runAs() != null ? req.target().runAs() : t.process().osUser();
        OsUsers.Ids ids = OsUsers.lookup(runAs);
        if (ids == null || ids.uid() == 0) {
            ctx.fail("run-as", ids == null ? "There is no OS user called " + runAs + "." : t.label() + " runs as root, "
                    + "and the upgraded copy would belong to root.", "Name the OS user that owns and runs the server "
                    + "with --run-as (usually mysql).");
            return;
        }
        ctx.pass("in-place", how.reason());
        if (f.getCleanShutdown() == null) {
            ctx.warn("clean-shutdown", "The files do not tell whether the old server was shut down cleanly (its redo log "
                    + "format does not record it). If it was not, " + t.label() + " refuses to open the copy (\"Upgrade "
                    + "after a crash is not supported\"): the run then stops before the target is touched.",
                    "If that happens, use --upgrade-method dump: the old version in a container recovers the data first.");
        }
        ctx.pass("target", t.describe() + "; it runs as " + runAs + " (pid " + t.process().pid() + ", "
                + t.process().program() + ") on " + data + ".");
        MySqlSettingsCheck.check(ctx, old, t.settings(), t.label(), MySqlSettingsCheck.Way.FILES);
        ctx.pass("accounts", "Users, roles and grants come with the data directory (its mysql system database), with "
                + "their passwords; after the swap root logs in as before — that is tried on the upgraded copy first.");
        long size = f.getSizeBytes();
        Path stage = data.resolveSibling(data.getFileName() + ".dbrescue-upgrade-" + ctx.runId());
        ctx.diskSpace(stage, size + size / 10);
        String service = MySqlSteps.activeService();
        if (service != null) {
            ctx.warn("service", "The " + service + " service is stopped while its data directory is replaced, and started "
                    + "again on the upgraded data.", "Close the programs that use it first.");
        } else {
            ctx.warn("server-running", t.label() + " (pid " + t.process().pid() + ") is stopped while its data directory "
                    + "is replaced, and started again with the same command line as " + runAs + ".",
                    "Close the programs that use it first.");
        }
        steps(f, ctx, t, how, old, new Where(data, stage, runAs, service), maria);
    }

    /** Where things are: the target data directory, the working folder next to it, who owns them, the service. */
    private record Where(Path data, Path stage, String runAs, String service) {
        Path copy() {
            return stage.resolve("data");
        }

        /** The private socket of the upgrading server: in the folder unless the path is too long for a socket. */
        Path socket(String runId) {
            Path s = stage.resolve("upgrade.sock");
            return s.toString().length() < 100 ? s : Path.of("/tmp", "dbrescue-" + runId + "-upgrade.sock");
        }
    }

    private static void steps(Finding f, PlanContext ctx, MySqlTarget t, MySqlUpgradeChoice how, MySqlSettings old,
                              Where w, boolean maria) {
        RecoveryRequest req = ctx.request();
        Path source = req.backupRoot().resolve(f.getPath()).normalize();
        String me = OsUsers.me();
        MySqlClient conn = t.conn();
        Path socket = w.socket(ctx.runId());
        ctx.step(new BasicSteps.MakeDir(w.stage(), w.runAs(), "rwx------"),
                        "Make the working folder next to " + w.data() + " (one disk, so the swap is a rename)")
                .writes(w.stage() + " (owner " + w.runAs() + ")").undo("delete it").add();
        ctx.step(new BasicSteps.Copy(source, w.copy(), w.runAs(), "rwx------"), "Copy the "
                        + f.getEngine().displayName() + " " + f.getVersion()
                        + " data directory (the backup is not touched)")
                .reads(source.toString()).writes(w.copy().toString()).bytes(f.getSizeBytes())
                .needsRoot(!w.runAs().equals(me)).undo("delete the copy").add();
        List<String> upgradeArgv = new ArrayList<>();
        if (how.upgrader() != null) {
            upgradeArgv.add(how.upgrader().toString());
            upgradeArgv.addAll(new MySqlClient(conn.clientBin(), null, null, socket.toString(), "root", ctx.secrets())
                    .connection());
        }
        MySqlSteps.Login login = MySqlSteps.Login.of(conn);
        Path counts = w.stage().resolve("counts-before.json");
        ctx.step(new MySqlUpgradeSteps.MySqlUpgradeCopy(login, t.process().program(), t.baseDir(), t.pluginDir(),
                        w.copy(), socket, w.runAs(), String.join("\n", old.serverArgs()), counts, maria,
                        w.stage().resolve("upgrade-server.log"), upgradeArgv), t.label() + " opens the copy, "
                        + (how.upgrader() != null ? how.upgrader().getFileName() + " fixes its system tables"
                        : "upgrades it on start") + "; counts, CHECKSUM TABLE and the login are checked")
                .reads(w.copy().toString()).writes(w.copy() + " (upgraded)").bytes(Math.max(1, f.getSizeBytes() / 10))
                .undo("stop the server on the copy").add();
        swap(ctx, t, w, login);
        ctx.step(new MySqlUpgradeSteps.MySqlUpgradeVerify(login, counts), "Compare every table's row count and "
                + "CHECKSUM TABLE through " + conn.where() + " with the copy's before the upgrade").reads(conn.where()).add();
        ctx.step(new BasicSteps.Remove(w.stage()), "Delete the working folder")
                .writes("deletes " + w.stage()).add();
        ctx.step(new MySqlSteps.MySqlVerify(MySqlSteps.Login.of(conn), String.join("\n", f.getDatabases().stream()
                        .filter(d -> !MySqlPlanner.SYSTEM.contains(d)).toList())),
                "Check the restored databases: list them and count rows").reads(conn.where()).add();
    }

    /** Stop the target, move its data aside, put the upgraded copy in its place, start it again the way it ran. */
    private static void swap(PlanContext ctx, MySqlTarget t, Where w, MySqlSteps.Login login) {
        MySqlTarget.ServerProcessInfo p = t.process();
        List<String> startArgv = new ArrayList<>(p.argv());
        if (!startArgv.isEmpty()) {
            startArgv.set(0, p.program().toString()); // the program it runs, whatever argv[0] said
        }
        MySqlUpgradeSteps.TargetServer target = new MySqlUpgradeSteps.TargetServer(w.service(), w.data(),
                String.join("\n", startArgv), w.runAs());
        List<String> stopArgv = w.service() != null ? List.of("systemctl", "stop", w.service())
                : List.of("kill", "-TERM", Long.toString(p.pid()));
        ctx.step(new MySqlUpgradeSteps.MySqlTargetStop(login, target, p.pid(), stopArgv), "Stop " + t.label()
                        + (w.service() != null ? " (the " + w.service() + " service)" : " (pid " + p.pid() + ")"))
                .writes("the running server (stopped)").needsRoot(true).undo("start it again").add();
        Path safety = w.data().resolveSibling(w.data().getFileName() + ".before-dbrescue-"
                + LocalDateTime.now().format(STAMP));
        ctx.step(new BasicSteps.MoveAside(w.data(), safety), "Move " + w.data() + " aside (the safety copy)")
                .writes(safety.toString()).undo("move " + safety + " back").add();
        ctx.step(new BasicSteps.Move(w.copy(), w.data()), "Put the upgraded data in its place")
                .writes(w.data().toString()).undo("move it back").add();
        ctx.step(new MySqlUpgradeSteps.MySqlTargetStart(login, target, w.service() != null
                        ? List.of("systemctl", "start", w.service()) : startArgv), "Start " + t.label()
                        + " again on the upgraded data" + (w.service() != null ? " (the " + w.service() + " service)"
                        : ", as " + w.runAs()))
                .writes("a running server on " + t.conn().where()).needsRoot(true).undo("stop it").add();
    }
}
