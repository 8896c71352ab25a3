package io.dbrescue.postgres;

import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running PostgreSQL is found from the lock file beside its socket (pid, data directory, start time, port,
 * socket folder) or from its data directory's postmaster.pid, without logging in; a lock file of a process that
 * is gone, or of another port, finds nothing.
 */
class PgLocalServerTest {
    @TempDir
    Path tmp;

    private Path data(String version) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), version + "\n");
        return data;
    }

    @Test
    void theLockFileBesideTheSocketNamesTheDataDirectoryAndTheVersion() throws Exception {
        Path data = data("16");
        Path sockets = Files.createDirectories(tmp.resolve("run"));
        Files.createFile(sockets.resolve(".s.PGSQL.5999"));
        Files.writeString(sockets.resolve(".s.PGSQL.5999.lock"), ProcessHandle.current().pid() + "\n" + data
                + "\n1796301436\n5999\n" + sockets + "\n");
        PgLocalServer s = PgLocalServer.find(5999, List.of(tmp.resolve("missing"), sockets)).orElseThrow();
        assertThat(s.dataDir()).isEqualTo(data);
        assertThat(s.socketDir()).isEqualTo(sockets);
        assertThat(s.major()).isEqualTo("16");
        assertThat(s.serverMajor()).isEqualTo("16"); // this process is no postgres: the data tells the version
        assertThat(s.osUser()).isEqualTo(System.getProperty("user.name"));
        assertThat(s.binDir()).isNull();
        assertThat(PgLocalServer.find(5998, List.of(sockets))).isEmpty();
    }

    @Test
    void aLockFileOfAProcessThatIsGoneOrWithoutItsSocketFindsNothing() throws Exception {
        Path data = data("16");
        Path sockets = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(sockets.resolve(".s.PGSQL.5999.lock"), ProcessHandle.current().pid() + "\n" + data + "\n");
        assertThat(PgLocalServer.find(5999, List.of(sockets))).as("no socket").isEmpty();
        Files.createFile(sockets.resolve(".s.PGSQL.5999"));
        Files.writeString(sockets.resolve(".s.PGSQL.5999.lock"), "999999999\n" + data + "\n");
        assertThat(PgLocalServer.find(5999, List.of(sockets))).as("a dead pid").isEmpty();
    }

    @Test
    void postmasterPidOfTheDataDirectoryForAServerWithoutASocketHere() throws Exception {
        Path data = data("18");
        Files.writeString(data.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + data
                + "\n1796301436\n6001\n\n127.0.0.1\n  2376625    393254\nready   \n");
        PgLocalServer s = PgLocalServer.fromDataDir(data, 6001).orElseThrow();
        assertThat(s.socketDir()).isNull();
        assertThat(s.major()).isEqualTo("18");
        assertThat(s.describe()).contains("no socket");
        assertThat(PgLocalServer.fromDataDir(data, 6002)).as("another port").isEmpty();
    }

    @Test
    void aDebianClusterFoundAnsweringThroughItsLockFileKeepsItsNameAndEtcConfiguration() throws Exception {
        Path data = data("15");
        Path conf = Files.createDirectories(tmp.resolve("etc/postgresql/15/main")).resolve("postgresql.conf");
        InstalledServer.Cluster debian = new InstalledServer.Cluster(data, 5433, false, "postgres", "15", "15/main", conf);
        Target known = new Target(List.of(new InstalledServer(io.dbrescue.scan.Engine.POSTGRESQL, "15.20",
                tmp.resolve("bin"), List.of(debian))), null, true);
        PgLocalServer live = new PgLocalServer(ProcessHandle.current().pid(), data, 6003, tmp.resolve("run"), "postgres",
                "15", null, null);
        InstalledServer.Cluster c = PgAnswering.with(known, live).answering(io.dbrescue.scan.Engine.POSTGRESQL, 6003)
                .orElseThrow().clusters().get(0);
        assertThat(c.running()).isTrue();
        assertThat(c.port()).isEqualTo(6003);
        assertThat(c.name()).isEqualTo("15/main");
        assertThat(c.configFile()).isEqualTo(conf);
        // a stray (no installed server of its version) keeps them too
        Target stray = new Target(List.of(), null, true, List.of(new Target.Stray(io.dbrescue.scan.Engine.POSTGRESQL,
                debian)), TargetOptions.NONE, io.dbrescue.run.Secrets.NONE);
        assertThat(PgAnswering.with(stray, live).answering(io.dbrescue.scan.Engine.POSTGRESQL, 6003).orElseThrow()
                .clusters().get(0).configFile()).isEqualTo(conf);
    }
}
