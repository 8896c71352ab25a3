package io.dbrescue.postgres;

import io.dbrescue.postgres.restore.PgFinding;
import io.dbrescue.postgres.restore.PgTargetServers;
import io.dbrescue.postgres.restore.PgUpgradeChoice;
import io.dbrescue.postgres.restore.PgUpgradePlan;
import io.dbrescue.postgres.restore.PgContainerPlan;
import io.dbrescue.postgres.restore.PgDirectPlan;
import io.dbrescue.postgres.restore.PgDumpPlan;

import io.dbrescue.plan.Decision;
import io.dbrescue.plan.EnginePlanner;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Scanner;
import io.dbrescue.scan.Status;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.Versions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans the recovery of PostgreSQL data directories and dumps. Rules: a data directory goes DIRECT
 * into a server of the same major version; an older one goes CONTAINER (the dump path or pg_upgrade, see
 * {@link PgUpgradeChoice}; a dump of it in the backup is named as the alternative); a newer one is
 * refused (no downgrades). A dump goes
 * into the running target server (DUMP_RESTORE) with pg_restore or psql. Planning only reads: it asks
 * programs their version, lists an archive's contents, connects to list databases — never writes.
 */
public final class PostgresPlanner implements EnginePlanner {
    private static final Set<String> SYSTEM_DBS = Set.of("postgres", "template0", "template1");

    @Override
    public boolean handles(Finding f) {
        return f.getEngine() == Engine.POSTGRESQL && (f.getKind() == Kind.DATA_DIRECTORY || f.getKind() == Kind.DUMP);
    }

    @Override
    public Decision decide(Finding f, Strategy requested, Target target, RecoveryRequest request) {
        return f.getKind() == Kind.DATA_DIRECTORY ? decideDataDir(f, requested, target, request)
                : decideDump(f, requested, target, request);
    }

    private Decision decideDataDir(Finding f, Strategy requested, Target target, RecoveryRequest request) {
        String major = f.getVersion();
        String wal = walNote(f);
        List<InstalledServer> servers = PgTargetServers.servers(target, request.target());
        List<Decision.Alternative> alt = new ArrayList<>();
        if (requested == Strategy.DUMP_RESTORE) {
            return decision(f, null, "A data directory is not a dump: dump-restore loads dump files. Select a dump of it "
                    + "(if the backup has one), or use --strategy direct with a PostgreSQL " + major + " server.", alt);
        }
        if (major == null) {
            return decision(f, null, "The PostgreSQL version of this data directory is unknown (no readable PG_VERSION).", alt);
        }
        // a server whose files are elsewhere (a container publishing its port) is reached by the dump path only
        boolean remote = servers.size() == 1 && PgTargetServers.elsewhere(servers.get(0));
        boolean sameHere = !remote && servers.stream().anyMatch(s -> major.equals(s.major()));
        boolean newerHere = servers.stream().anyMatch(s -> Versions.compare(s.major(), major) > 0);
        // PostgreSQL M's programs beside a newer version and running no cluster are there for the upgrade
        // (Debian's postgresql-M, Arch's postgresql-old-upgrade): the data goes into the newer version
        boolean forUpgrade = sameHere && newerHere && (requested == Strategy.CONTAINER || requested == Strategy.AUTO
                && servers.stream().noneMatch(s -> major.equals(s.major()) && !s.clusters().isEmpty()));
        if (sameHere && !forUpgrade) {
            return decideSameMajor(f, requested, alt);
        }
        if (servers.isEmpty()) {
            return decision(f, null, "No PostgreSQL server is installed here (none found, none given with --target-bin). "
                    + "Install PostgreSQL " + major + " (Debian: sudo apt install postgresql-" + major + ") or give its "
                    + "binaries with --target-bin." + wal, alt);
        }
        boolean newerTarget = servers.stream().anyMatch(s -> Versions.compare(s.major(), major) > 0
                || remote && Versions.compare(s.major(), major) == 0);
        if (!newerTarget) {
            return decision(f, null, "This data directory is PostgreSQL " + major + ", newer than every server here ("
                    + String.join(", ", majors(servers)) + "): no downgrades of data directories — an older "
                    + "server cannot read newer files. Install PostgreSQL " + major + " or newer (or give it with "
                    + "--target-bin).", alt);
        }
        return decideContainer(f, servers, remote, forUpgrade, target, request);
    }

    /** The sentence about a data directory copied while its server ran, or "". */
    private static String walNote(Finding f) {
        return PgFinding.copiedWhileRunning(f) ? " It was copied while its server was running: only PostgreSQL "
                + f.getVersion() + " can replay its write-ahead log (WAL) to make the files consistent, so only the "
                + "same major version can bring it back." : "";
    }

    private static List<String> majors(List<InstalledServer> servers) {
        return servers.stream().map(InstalledServer::major).distinct().toList();
    }

    /** The target has the data directory's major version (and it is not there only for an upgrade): DIRECT. */
    private static Decision decideSameMajor(Finding f, Strategy requested, List<Decision.Alternative> alt) {
        String major = f.getVersion();
        if (requested == Strategy.CONTAINER) {
            return decision(f, null, "The target has PostgreSQL " + major + " itself: no container is needed, the "
                    + "files are copied into place (--strategy direct).", alt);
        }
        alt.add(new Decision.Alternative(Strategy.CONTAINER, false, "not needed: the target has the same major version"));
        alt.add(new Decision.Alternative(Strategy.DUMP_RESTORE, false, "this is a data directory, not a dump"));
        return decision(f, Strategy.DIRECT, "Same major version (PostgreSQL " + major + ") on the target: the files are "
                + "copied into place and PostgreSQL " + major + " starts on them." + walNote(f), alt);
    }

    /** An older data directory and a newer server (or one elsewhere): the old server in a container, then moved. */
    private Decision decideContainer(Finding f, List<InstalledServer> servers, boolean remote, boolean forUpgrade,
            Target target, RecoveryRequest request) {
        String major = f.getVersion();
        List<String> have = majors(servers);
        List<Decision.Alternative> alt = new ArrayList<>();
        List<String> dumps = dumpsOf(f, request);
        InstalledServer newer = PgTargetServers.newest(servers);
        PgUpgradeChoice how = PgUpgradeChoice.choose(f, newer, target, request);
        Integer port = request.target().port();
        String targetIs = port != null && !newer.clusters().isEmpty() && newer.clusters().get(0).running()
                ? "the server that answers on port " + port + " is PostgreSQL " + newer.version()
                + (remote ? " (its files are not on this machine: a container or another machine)" : "")
                : "this machine has PostgreSQL " + newer.major();
        String reason = "PostgreSQL " + major + " data, and " + targetIs
                + (forUpgrade ? " (and PostgreSQL " + major + "'s programs, which run no cluster here)" : "")
                + (remote && newer.major().equals(major) ? ". " : ", which cannot open older files. ") + how.reason()
                + walNote(f).replace("only the same major version can bring it back",
                        "the old server in the container does that first");
        alt.add(new Decision.Alternative(Strategy.DIRECT, forUpgrade, forUpgrade ? "into PostgreSQL " + major
                + " here instead of " + newer.major() + " (it runs no cluster yet)" : "the target's PostgreSQL "
                + String.join(", ", have) + " cannot open PostgreSQL " + major + " files"));
        if (!dumps.isEmpty()) {
            alt.add(new Decision.Alternative(Strategy.DUMP_RESTORE, true, "select the dump " + String.join(" or ", dumps)
                    + " of it from the backup instead"));
        } else {
            alt.add(new Decision.Alternative(Strategy.DUMP_RESTORE, false, "the backup holds no dump of it"));
        }
        return decision(f, Strategy.CONTAINER, reason, alt);
    }

    private Decision decideDump(Finding f, Strategy requested, Target target, RecoveryRequest request) {
        List<Decision.Alternative> alt = new ArrayList<>();
        alt.add(new Decision.Alternative(Strategy.DIRECT, false, "a dump is loaded into a running server, not copied"));
        alt.add(new Decision.Alternative(Strategy.CONTAINER, false, "not needed for a dump"));
        if (requested == Strategy.DIRECT || requested == Strategy.CONTAINER) {
            return decision(f, null, "A dump is loaded into a running server: use --strategy dump-restore (or auto).", alt);
        }
        // an archive newer than the pg_restore here is still a dump-restore: the pre-flight finds a pg_restore
        // that can read it (the image of the server's version) or says what works instead
        return decision(f, Strategy.DUMP_RESTORE, "A dump is loaded into the running target server with "
                + (PgFinding.isArchive(f) ? "pg_restore" : "psql") + "; databases are created as needed.", alt);
    }

    private static Decision decision(Finding f, Strategy s, String reason, List<Decision.Alternative> alt) {
        return new Decision(f.getPath(), f.getEngine(), f.getKind().id(), f.getVersion(), s, reason, alt);
    }

    /** Dumps in the same backup that hold this data directory's databases (for the older-major case only). */
    private static List<String> dumpsOf(Finding dataDir, RecoveryRequest request) {
        try {
            ScanResult scan = new Scanner(List.of(new PostgresScanning())).scan(request.backupRoot());
            Set<String> wanted = new LinkedHashSet<>(dataDir.getDatabases());
            wanted.removeAll(SYSTEM_DBS);
            List<String> out = new ArrayList<>();
            for (Finding d : scan.findings()) {
                if (d.getKind() != Kind.DUMP || d.getStatus() == Status.DAMAGED) {
                    continue;
                }
                boolean match = d.getDatabases().stream().anyMatch(wanted::contains)
                        || wanted.isEmpty() && dataDir.getVersion().equals(d.getVersion() == null ? null
                        : InstalledServer.majorOf(Engine.POSTGRESQL, d.getVersion()));
                if (match) {
                    out.add(d.getPath());
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    @Override
    public void plan(Finding f, Decision d, Target target, PlanContext ctx) {
        if (d.strategy() == Strategy.CONTAINER) {
            InstalledServer newer = PgTargetServers.newest(PgTargetServers.servers(target, ctx.request().target()));
            PgUpgradeChoice how = PgUpgradeChoice.choose(f, newer, target, ctx.request());
            if (how.pgUpgrade()) {
                PgUpgradePlan.plan(f, target, ctx, newer, how);
            } else {
                PgContainerPlan.planDump(f, target, ctx, newer);
            }
        } else if (d.strategy() == Strategy.DIRECT) {
            PgDirectPlan.plan(f, target, ctx);
        } else if (d.strategy() == Strategy.DUMP_RESTORE) {
            PgDumpPlan.plan(f, target, ctx);
        }
    }
}
