package io.dbrescue.mysql;

import io.dbrescue.plan.Containers;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How older MariaDB / MySQL data gets into the newer server that answers, and why: in place (the newer
 * server opens a copy of the old data directory and mariadb-upgrade fixes its system tables — MySQL 8.0.16+
 * does that itself on start; the copy then takes the target data directory's place, which is kept as the
 * safety copy) or the dump path (the old version in a container, its databases and accounts moved into the
 * running server — it merges with what is there). In place is chosen by itself only when the rules allow it
 * ({@link MySqlUpgradeRules}), the target's own upgrade program is here, the settings that decide whether
 * the files open match, dbrescue can stop and start the target, and the target holds no user databases
 * (nothing would be replaced); {@code --upgrade-method} overrides.
 *
 * @param inPlace  whether the copy is upgraded in place (else the dump path)
 * @param reason   the choice in words, with the way to override it
 * @param upgrader mariadb-upgrade / mysql_upgrade of the target's version, or null (MySQL 8.0.16+ needs none)
 * @param problem  when in place was asked for but cannot be done: why (the plan FAILs with it); else null
 */
record MySqlUpgradeChoice(boolean inPlace, String reason, Path upgrader, String problem) {

    static MySqlUpgradeChoice choose(Finding f, MySqlTarget t, MySqlSettings old, RecoveryRequest request) {
        boolean maria = f.getEngine() == Engine.MARIADB;
        String product = f.getEngine().displayName();
        Containers.UpgradeMethod method = request.containers().method();
        String dumpWay = product + " " + MySqlUpgradeRules.major(f.getVersion()) + " runs in a Podman container on a "
                + "copy (the backup is never touched), and its databases and accounts are moved into the running "
                + t.label() + ".";
        String inPlaceWay = t.label() + " opens a copy of the old data directory next to its own (the backup is never "
                + "touched), " + (MySqlUpgradeRules.serverUpgradesItself(maria, t.version().version())
                ? "upgrades it itself on start" : (maria ? "mariadb-upgrade" : "mysql_upgrade") + " fixes its system tables") + ", and the copy takes the place of " + t.dataDir() + " (kept as the "
                + "safety copy).";
        if (method == Containers.UpgradeMethod.DUMP) {
            return new MySqlUpgradeChoice(false, dumpWay + " (--upgrade-method dump)", null, null);
        }
        Path upgrader = maria || !MySqlUpgradeRules.serverUpgradesItself(false, t.version().version())
                ? upgrader(t, maria) : null;
        String whyNot = whyNot(f, t, old, maria, upgrader);
        if (method.inPlace()) {
            return whyNot == null
                    ? new MySqlUpgradeChoice(true, inPlaceWay + " (--upgrade-method in-place)", upgrader, null)
                    : new MySqlUpgradeChoice(true, inPlaceWay + " (--upgrade-method in-place) — but not here: " + whyNot
                    + ".", null, "An in-place upgrade is not possible here: " + whyNot + ".");
        }
        if (whyNot != null) {
            return new MySqlUpgradeChoice(false, dumpWay + " (An in-place upgrade is not possible: " + whyNot + ".)",
                    null, null);
        }
        List<String> inUse = t.userDatabases();
        if (!inUse.isEmpty()) {
            return new MySqlUpgradeChoice(false, dumpWay + " (An in-place upgrade would be possible, but it replaces the "
                    + "whole target data directory, and it holds databases already: " + String.join(", ", inUse)
                    + "; --upgrade-method in-place forces it.)", null, null);
        }
        return new MySqlUpgradeChoice(true, inPlaceWay + " Chosen because the target holds no databases yet "
                + "(--upgrade-method dump merges into the running server instead).", upgrader, null);
    }

    /** Null when in place can be done here; else why not. */
    private static String whyNot(Finding f, MySqlTarget t, MySqlSettings old, boolean maria, Path upgrader) {
        String rule = MySqlUpgradeRules.whyNot(maria, f.getVersion(), t.version().version(), f.getCleanShutdown());
        if (rule != null) {
            return rule;
        }
        if (maria && upgrader == null || !maria && upgrader == null
                && !MySqlUpgradeRules.serverUpgradesItself(false, t.version().version())) {
            return (maria ? "mariadb-upgrade" : "mysql_upgrade") + " of " + t.version().major() + " (it fixes the system "
                    + "tables after the newer server opened the old files) is not installed here — an older one refuses "
                    + "a newer server, and forced, it leaves the newer version's privilege columns out";
        }
        if (old.lctn() != (t.settings().lowerCaseTableNames() == null ? 0 : t.settings().lowerCaseTableNames())
                || t.settings().innodbPageSize() != null && old.pageSize() != t.settings().innodbPageSize()) {
            return "the old data was made with other settings than the target runs with (lower_case_table_names "
                    + old.lctn() + ", page size " + MySqlSettings.kb(old.pageSize()) + ")";
        }
        if (t.process() == null) {
            return "dbrescue cannot see the target server's process (its pid file is not readable: run dbrescue "
                    + "as root), so it could not stop it and start it again on the upgraded data";
        }
        return null;
    }

    /**
     * mariadb-upgrade (or mysql_upgrade) of the target's series: beside the server program, in its base folder, or in
     * the usual places; null when none of that version is here.
     */
    static Path upgrader(MySqlTarget t, boolean maria) {
        List<Path> dirs = new ArrayList<>();
        if (t.process() != null) {
            dirs.add(t.process().program().getParent());
        }
        dirs.add(t.baseDir().resolve("bin"));
        dirs.addAll(MySqlClient.USUAL_BINS);
        for (Path dir : dirs) {
            for (String name : maria ? List.of("mariadb-upgrade", "mysql_upgrade") : List.of("mysql_upgrade")) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    String v = MySqlContainerPlan.clientVersion(p);
                    if (v != null && MySqlUpgradeRules.major(v).equals(t.version().major())) {
                        return p;
                    }
                }
            }
        }
        return null;
    }
}
