package io.dbrescue.postgres.restore;

import io.dbrescue.plan.Containers;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * How older PostgreSQL data gets into the newer server, and why: pg_upgrade (a new cluster made from a
 * copy, fast — it takes the target data directory's place) or the dump path (the old server in a
 * container, its databases dumped into the running target server — merges with what is there).
 *
 * <p>pg_upgrade needs both versions' programs in one place: here (the old version's server programs
 * plus pg_controldata and pg_resetwal, e.g. /usr/lib/postgresql/16/bin or /opt/pgsql-16/bin, and the
 * new version's pg_upgrade), or in the image the settings name in {@code images.postgresql_upgrade}.
 * Chosen by itself only when the target cluster holds no databases yet (nothing would be replaced);
 * {@code --upgrade-method} overrides.
 *
 * @param pgUpgrade whether pg_upgrade runs (else the dump path)
 * @param reason    the choice in words, with the way to override it
 * @param oldBin    the old version's programs (here, or the path inside the image)
 * @param newBin    the new version's programs (here, or the path inside the image)
 * @param image     the image pg_upgrade runs in, or null when it runs here
 */
public record PgUpgradeChoice(boolean pgUpgrade, String reason, Path oldBin, Path newBin, String image) {

    public static PgUpgradeChoice choose(Finding f, InstalledServer newer, Target target, RecoveryRequest request) {
        String oldMajor = f.getVersion();
        String newMajor = newer.major();
        Containers.UpgradeMethod method = request.containers().method();
        String dumpWay = "The old server runs in a Podman container on a copy of the data (the backup is never "
                + "touched), and pg_dump / pg_restore " + newMajor + " move roles and databases into the running "
                + "PostgreSQL " + newMajor + " server.";
        UpgradePlace upgrade = upgradePlace(oldMajor, newer, target, request);
        String pgUpgradeWay = "pg_upgrade " + newMajor + " makes a new cluster from a copy of the old one (the backup "
                + "is never touched) with the old one's checksum setting, locale, encoding and superuser, and it takes the "
                + "place of the target data directory (which is kept as the safety copy).";
        if (PgTargetServers.elsewhere(newer)) {
            return new PgUpgradeChoice(false, dumpWay + " (pg_upgrade replaces a data directory on this machine; this "
                    + "server's files are not here" + (method == Containers.UpgradeMethod.PG_UPGRADE
                    ? ", so --upgrade-method pg-upgrade cannot apply" : "") + ".)", null, null, null);
        }
        if (method == Containers.UpgradeMethod.DUMP) {
            return new PgUpgradeChoice(false, dumpWay + " (--upgrade-method dump)", null, null, null);
        }
        if (method.inPlace()) {
            if (upgrade == null) {
                return new PgUpgradeChoice(true, pgUpgradeWay + " (--upgrade-method pg-upgrade) — but pg_upgrade needs "
                        + "both versions' programs in one place, and neither this machine nor a configured image has them.",
                        null, null, null);
            }
            return new PgUpgradeChoice(true, pgUpgradeWay + " Possible because " + upgrade.where()
                    + " (--upgrade-method pg-upgrade).",
                    upgrade.oldBin(), upgrade.newBin(), upgrade.image());
        }
        if (upgrade == null) {
            return new PgUpgradeChoice(false, dumpWay + " (pg_upgrade would be faster, but needs the programs of both "
                    + "versions in one place: PostgreSQL " + oldMajor + "'s here, or an image named in images.postgresql_upgrade.)",
                    null, null, null);
        }
        List<String> inUse = targetDatabases(newer, request, target.secrets());
        if (inUse == null || !inUse.isEmpty()) {
            return new PgUpgradeChoice(false, dumpWay + " (pg_upgrade is possible because " + upgrade.where()
                    + ", but it replaces the whole target cluster, and that cluster " + (inUse == null ? "could not be checked for databases"
                    : "holds databases already: " + String.join(", ", inUse)) + "; --upgrade-method pg-upgrade forces it.)",
                    null, null, null);
        }
        return new PgUpgradeChoice(true, pgUpgradeWay + " Chosen because " + upgrade.where()
                + " and the target cluster holds no databases yet (--upgrade-method dump merges into a running server "
                + "instead).",
                upgrade.oldBin(), upgrade.newBin(), upgrade.image());
    }

    /** Where pg_upgrade can run, said in words ({@code where}), with the programs of both versions and the image. */
    private record UpgradePlace(String where, Path oldBin, Path newBin, String image) {
    }

    /** Both versions' programs here, else an image the settings name for the two versions, else null. */
    private static UpgradePlace upgradePlace(String oldMajor, InstalledServer newer, Target target,
            RecoveryRequest request) {
        String newMajor = newer.major();
        Path oldBin = localOldBin(target, oldMajor);
        Path newBin = newer.binDir();
        boolean newHere = newBin != null && List.of("pg_upgrade", "initdb", "pg_ctl", "postgres").stream()
                .allMatch(p -> Files.isExecutable(newBin.resolve(p)));
        String image = request.containers().upgradeImage(oldMajor, newMajor);
        if (oldBin != null && newHere) {
            return new UpgradePlace("the programs of both versions are here (" + oldBin + ", " + newBin + ")",
                    oldBin, newBin, null);
        } else if (image != null) {
            return new UpgradePlace("the image " + image + " holds both versions",
                    Path.of("/usr/lib/postgresql", oldMajor, "bin"), Path.of("/usr/lib/postgresql", newMajor, "bin"),
                    image);
        }
        return null;
    }

    /** The old version's server programs here (any server discovery found or the settings name), or null. */
    static Path localOldBin(Target target, String oldMajor) {
        String reset = oldMajor.startsWith("9.") ? "pg_resetxlog" : "pg_resetwal";
        for (InstalledServer s : target.servers(Engine.POSTGRESQL)) {
            Path bin = s.binDir();
            if (oldMajor.equals(s.major()) && bin != null && List.of("postgres", "pg_ctl", "pg_controldata", reset)
                    .stream().allMatch(p -> Files.isExecutable(bin.resolve(p)))) {
                return bin;
            }
        }
        return null;
    }

    /**
     * The user databases of the target cluster: empty when there is none (or it is not running and was just
     * made), null when it runs but cannot be asked.
     */
    static List<String> targetDatabases(InstalledServer newer, RecoveryRequest request,
                                        io.dbrescue.run.Secrets secrets) {
        InstalledServer.Cluster running = newer.clusters().stream().filter(InstalledServer.Cluster::running).findFirst()
                .orElse(null);
        if (running == null && request.target().port() == null) {
            return List.of();
        }
        int port = request.target().port() != null ? request.target().port()
                : running.port() != null ? running.port() : 5432;
        PgLogin.Result login = PgLogin.resolve(request.target().host(), "127.0.0.1", port, request.target().user(),
                secrets);
        if (!login.ok()) {
            return null;
        }
        try {
            return login.target().databases().stream().filter(d -> !d.equals("postgres")).toList();
        } catch (SQLException e) {
            return null;
        }
    }
}
