package io.dbrescue.postgres;

import io.dbrescue.machine.DataDirs;
import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.InstalledServer.Cluster;
import io.dbrescue.machine.Target;
import io.dbrescue.scan.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PostgreSQL server that answers on the port the user named is the target, whatever is installed: its
 * data directory becomes a running cluster of the installed server of its major version (the one whose
 * programs it runs, else any of that version), or of a server made from the programs it runs.
 */
public final class PgAnswering {
    private static final Logger LOG = LoggerFactory.getLogger(PgAnswering.class);

    private PgAnswering() {
    }

    /** This target with a PostgreSQL server that answers on this machine as the running cluster of its version. */
    public static Target with(Target target, PgLocalServer live) {
        String major = live.serverMajor();
        if (major == null) {
            return target;
        }
        List<InstalledServer> servers = new ArrayList<>(target.servers());
        List<Target.Stray> strays = new ArrayList<>(target.dataWithoutServer());
        Path data = DataDirs.key(live.dataDir());
        // the cluster discovery knew at that data directory (Debian's 15/main, its /etc/postgresql/15/main/
        // postgresql.conf) stays that cluster: a restore writes its configuration there and starts it with it
        Cluster known = knownAt(data, servers, strays);
        Cluster c = new Cluster(live.dataDir(), live.port(), true, live.osUser(), live.major(),
                known == null ? null : known.name(), known == null ? null : known.configFile());
        strays.removeIf(st -> st.engine() == Engine.POSTGRESQL && DataDirs.key(st.cluster().dataDir()).equals(data));
        InstalledServer home = home(live, major, servers);
        List<Cluster> clusters = new ArrayList<>();
        if (home != null) {
            servers.remove(home);
            home.clusters().stream().filter(x -> !DataDirs.key(x.dataDir()).equals(data)).forEach(clusters::add);
        }
        clusters.add(0, c);
        servers.add(new InstalledServer(Engine.POSTGRESQL, home != null ? home.version()
                : live.version() != null ? live.version() : major, home != null ? home.binDir() : live.binDir(),
                List.copyOf(clusters)));
        LOG.debug("the server on port {} is {}", live.port(), live.describe());
        return new Target(servers, target.podmanVersion(), target.root(), strays, target.options(), target.secrets(),
                target.engines());
    }

    /** The installed server of that major version whose programs it runs, else any of that version, or null. */
    private static InstalledServer home(PgLocalServer live, String major, List<InstalledServer> servers) {
        InstalledServer home = null;
        for (InstalledServer s : servers) {
            if (s.engine() != Engine.POSTGRESQL || !major.equals(s.major())) {
                continue;
            }
            boolean runsIt = live.binDir() != null && s.binDir() != null
                    && DataDirs.key(s.binDir()).equals(DataDirs.key(live.binDir()));
            if (home == null || runsIt) {
                home = s;
            }
        }
        return home;
    }

    /** The PostgreSQL cluster already found at this data directory (under any server, or without one), or null. */
    private static Cluster knownAt(Path data, List<InstalledServer> servers, List<Target.Stray> strays) {
        return Stream.concat(servers.stream().filter(s -> s.engine() == Engine.POSTGRESQL)
                        .flatMap(s -> s.clusters().stream()),
                strays.stream().filter(st -> st.engine() == Engine.POSTGRESQL).map(Target.Stray::cluster))
                .filter(x -> x.dataDir() != null && DataDirs.key(x.dataDir()).equals(data)).findFirst().orElse(null);
    }
}
