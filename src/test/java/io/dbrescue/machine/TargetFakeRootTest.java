package io.dbrescue.machine;

import io.dbrescue.testing.FreePorts;
import io.dbrescue.scan.Engine;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Discovery pointed at a fake root holding the real PostgreSQL 15 (Debian), 16, 17 and 18 (zonky)
 * bin folders in the Debian, Arch old-version and PGDG places, and real clusters made with them:
 * 16/main running, 17/main stopped, 14/main with no 14 server installed.
 */
class TargetFakeRootTest {
    private static Path root;
    private static PgCluster running16;
    private static int port17;
    private static Target target;

    @BeforeAll
    static void setUp() throws IOException {
        root = TestUser.newDir("fakeroot");
        link(root.resolve("usr/lib/postgresql/15"), PgCluster.binDir(15).getParent());
        link(root.resolve("opt/pgsql-16"), PgCluster.binDir(16).getParent());
        link(root.resolve("usr/pgsql-17"), PgCluster.binDir(17).getParent());
        link(root.resolve("opt/pgsql-18"), PgCluster.binDir(18).getParent());
        for (String v : List.of("14", "16", "17")) {
            Files.createDirectories(root.resolve("var/lib/postgresql/" + v));
            Files.createDirectories(root.resolve("etc/postgresql/" + v + "/main"));
        }
        TestUser.chown(root.resolve("var"));
        running16 = PgCluster.init(16, root.resolve("var/lib/postgresql/16/main")).start();
        PgCluster.init(17, root.resolve("var/lib/postgresql/17/main"));
        PgCluster.init(14, root.resolve("var/lib/postgresql/14/main"));
        port17 = FreePorts.next();
        Files.writeString(root.resolve("etc/postgresql/16/main/postgresql.conf"),
                "# written by the test\nport = " + running16.port() + "\t\t# (change requires restart)\n");
        Files.writeString(root.resolve("etc/postgresql/17/main/postgresql.conf"),
                "data_directory = '/var/lib/postgresql/17/main'\nport = 5999\nport = " + port17 + "\n");
        // 14/main has no config under etc: found from the data side, port unknown
        target = new TargetDiscovery(TargetDiscovery.Layout.under(root), io.dbrescue.Engines.discoveries()).discover();
    }

    @AfterAll
    static void tearDown() {
        if (running16 != null) {
            running16.close();
        }
        TestUser.delete(root);
    }

    @Test
    void findsEachBinFolderWithTheVersionItsPostgresReports() throws IOException {
        assertThat(target.servers(Engine.POSTGRESQL)).extracting(InstalledServer::major)
                .containsExactly("18", "17", "16", "15");
        for (int major : List.of(15, 16, 17, 18)) {
            InstalledServer s = target.server(Engine.POSTGRESQL, Integer.toString(major)).orElseThrow();
            String said = Cmd.run(List.of(PgCluster.binDir(major).resolve("postgres").toString(), "--version"));
            assertThat(said).as("major %d", major).containsPattern("\\(PostgreSQL\\) " + s.version().replace(".", "\\.") + "\\b");
            assertThat(Files.isSameFile(s.binDir(), PgCluster.binDir(major))).isTrue();
        }
        assertThat(target.server(Engine.POSTGRESQL, "16").orElseThrow().binDir())
                .isEqualTo(root.resolve("opt/pgsql-16/bin"));
        assertThat(target.server(Engine.POSTGRESQL, "17").orElseThrow().binDir())
                .isEqualTo(root.resolve("usr/pgsql-17/bin"));
        assertThat(target.newest(Engine.POSTGRESQL).orElseThrow().major()).isEqualTo("18");
    }

    @Test
    void aRunningClusterIsReportedRunningOnItsPort() {
        InstalledServer.Cluster c = cluster("16");
        assertThat(c.name()).isEqualTo("16/main");
        assertThat(c.running()).isTrue();
        assertThat(c.port()).isEqualTo(running16.port());
        assertThat(c.major()).isEqualTo("16");
        assertThat(c.owner()).isEqualTo(TestUser.isRoot() ? TestUser.NAME : System.getProperty("user.name"));
        assertThat(c.configFile()).isEqualTo(root.resolve("etc/postgresql/16/main/postgresql.conf"));
    }

    @Test
    void aStoppedClusterIsReportedStoppedWithTheLastPortOfItsConfig() {
        InstalledServer.Cluster c = cluster("17");
        assertThat(c.running()).isFalse();
        assertThat(c.port()).isEqualTo(port17);
        assertThat(c.dataDir()).isEqualTo(root.resolve("var/lib/postgresql/17/main"));  // data_directory, under the root
    }

    @Test
    void aClusterWhoseVersionIsNotInstalledIsListedApart() {
        assertThat(target.dataWithoutServer()).hasSize(1);
        Target.Stray s = target.dataWithoutServer().get(0);
        assertThat(s.engine()).isEqualTo(Engine.POSTGRESQL);
        assertThat(s.cluster().major()).isEqualTo("14");
        assertThat(s.cluster().name()).isEqualTo("14/main");
        assertThat(s.cluster().port()).isNull();
        assertThat(s.cluster().running()).isFalse();
        assertThat(target.summary()).contains("PostgreSQL 14 data without an installed server: cluster 14/main");
    }

    @Test
    void nothingElseIsFoundUnderTheFakeRoot() {
        assertThat(target.servers()).allMatch(s -> s.engine() == Engine.POSTGRESQL);
        assertThat(target.podmanVersion()).isNull();
        assertThat(target.summary()).contains("PostgreSQL 16.").contains("cluster 16/main on port "
                + running16.port() + " (running)").contains("cluster 17/main on port " + port17 + " (stopped)");
    }

    @Test
    void targetBinChoosesThatServerAndTakesOverItsClusters() {
        Target t = target.withOptions(new TargetOptions(null, null, null, PgCluster.binDir(17), null, null));
        InstalledServer chosen = t.chosen(Engine.POSTGRESQL).orElseThrow();
        assertThat(chosen.major()).isEqualTo("17");
        assertThat(chosen.binDir()).isEqualTo(PgCluster.binDir(17));
        assertThat(chosen.clusters()).extracting(InstalledServer.Cluster::name).containsExactly("17/main");
        assertThat(t.servers(Engine.POSTGRESQL)).hasSize(4);  // replaced, not added twice
        Target.Destination d = t.destination(Engine.POSTGRESQL, null, io.dbrescue.Engines.of(Engine.POSTGRESQL).usual());
        assertThat(d.server()).isEqualTo(chosen);
        assertThat(d.port()).isEqualTo(port17);
        assertThat(d.running()).isFalse();
        assertThat(d.runAs()).isEqualTo(TestUser.isRoot() ? TestUser.NAME : System.getProperty("user.name"));
    }

    @Test
    void targetBinOfAVersionNotFoundAddsItAndAdoptsItsStrayData() throws IOException {
        // only 16 is found; --target-bin gives 18, and a 14 cluster stays apart
        Path only16 = TestUser.newDir("only16");
        link(only16.resolve("opt/pgsql-16"), PgCluster.binDir(16).getParent());
        Target base = new TargetDiscovery(TargetDiscovery.Layout.under(only16), io.dbrescue.Engines.discoveries()).discover();
        assertThat(base.servers()).hasSize(1);
        Target t = base.withOptions(new TargetOptions(null, null, null, PgCluster.binDir(18), null, null));
        assertThat(t.servers(Engine.POSTGRESQL)).extracting(InstalledServer::major).containsExactly("18", "16");
        assertThat(t.chosen(Engine.POSTGRESQL).orElseThrow().major()).isEqualTo("18");
        TestUser.delete(only16);
    }

    @Test
    void dataPortAndRunAsOptionsWinOverWhatWasFound() {
        Path elsewhere = root.resolve("srv/new-data");
        Target t = target.withOptions(new TargetOptions("127.0.0.1", 6543, "admin", null, elsewhere, "someone"));
        Target.Destination d = t.destination(Engine.POSTGRESQL, "16", io.dbrescue.Engines.of(Engine.POSTGRESQL).usual());
        assertThat(d.server().major()).isEqualTo("16");
        assertThat(d.dataDir()).isEqualTo(elsewhere);
        assertThat(d.port()).isEqualTo(6543);
        assertThat(d.runAs()).isEqualTo("someone");
        assertThat(d.dbUser()).isEqualTo("admin");
        assertThat(d.host()).isEqualTo("127.0.0.1");
        // the port option on a running cluster's data directory: running is asked on that port
        Target onRunning = target.withOptions(new TargetOptions(null, running16.port(), null, null,
                root.resolve("var/lib/postgresql/16/main"), null));
        assertThat(onRunning.destination(Engine.POSTGRESQL, "16", io.dbrescue.Engines.of(Engine.POSTGRESQL).usual()).running()).isTrue();
        // without options: the found cluster
        Target.Destination plain = target.destination(Engine.POSTGRESQL, "16", io.dbrescue.Engines.of(Engine.POSTGRESQL).usual());
        assertThat(plain.dataDir()).isEqualTo(root.resolve("var/lib/postgresql/16/main"));
        assertThat(plain.port()).isEqualTo(running16.port());
        assertThat(plain.running()).isTrue();
    }

    @Test
    void targetBinWithoutAServerProgramSaysSoInPlainWords() {
        TargetOptions empty = new TargetOptions(null, null, null, root.resolve("etc"), null, null);
        assertThatThrownBy(() -> target.withOptions(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No database server program").hasMessageContaining("--target-bin");
        TargetOptions missing = new TargetOptions(null, null, null, root.resolve("nowhere"), null, null);
        assertThatThrownBy(() -> target.withOptions(missing)).hasMessageContaining("does not exist");
    }

    private static InstalledServer.Cluster cluster(String major) {
        return target.server(Engine.POSTGRESQL, major).orElseThrow().clusters().stream()
                .filter(c -> (major + "/main").equals(c.name())).findFirst().orElseThrow();
    }

    private static void link(Path link, Path to) throws IOException {
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, to);
    }
}
