package io.dbrescue.machine;

import io.dbrescue.scan.Engine;
import io.dbrescue.testing.Cmd;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Discovery of this very machine with the default layout: the Debian packages the tests need are installed. */
class TargetDiscoveryTest {
    private static final Path DEBIAN_PG15 = Path.of("/usr/lib/postgresql/15/bin");

    private static final Target TARGET = io.dbrescue.Engines.discovery().discover();

    @Test
    void findsDebianPostgres15WithTheVersionItsProgramReports() {
        assumeTrue(Files.isExecutable(DEBIAN_PG15.resolve("postgres")), "Debian postgresql-15 is not installed");
        String said = Cmd.run(List.of(DEBIAN_PG15.resolve("postgres").toString(), "--version"));
        InstalledServer pg = TARGET.server(Engine.POSTGRESQL, "15").orElseThrow();
        assertThat(pg.binDir()).isEqualTo(DEBIAN_PG15);
        assertThat(said).contains("(PostgreSQL) " + pg.version() + " ");
        assertThat(pg.version()).matches("15\\.\\d+");
        assertThat(pg.major()).isEqualTo("15");
    }

    @Test
    void findsTheDebianCluster15MainWithItsConfiguredPortAndOwner() {
        Path conf = Path.of("/etc/postgresql/15/main/postgresql.conf");
        assumeTrue(Files.isRegularFile(conf), "no Debian cluster 15/main here");
        InstalledServer pg = TARGET.server(Engine.POSTGRESQL, "15").orElseThrow();
        InstalledServer.Cluster main = pg.clusters().stream().filter(c -> "15/main".equals(c.name()))
                .findFirst().orElseThrow();
        assertThat(main.dataDir()).isEqualTo(Path.of("/var/lib/postgresql/15/main"));
        assertThat(main.major()).isEqualTo("15");
        assertThat(main.port()).isEqualTo(5432);
        assertThat(main.owner()).isEqualTo("postgres");
        assertThat(main.configFile()).isEqualTo(conf);
        // pg_lsclusters (postgresql-common) says the same about running or not
        String ls = Cmd.run(List.of("pg_lsclusters"));
        boolean online = io.dbrescue.postgres.PgLsclusters.parse(ls).stream()
                .anyMatch(r -> r.dataDir().equals(main.dataDir()) && r.online());
        assertThat(main.running()).isEqualTo(online);
    }

    @Test
    void findsMariaDbWithTheVersionItsProgramReports() {
        Path mariadbd = Path.of("/usr/sbin/mariadbd");
        assumeTrue(Files.isExecutable(mariadbd), "mariadb-server is not installed");
        String said = Cmd.run(List.of(mariadbd.toString(), "--version"));
        List<InstalledServer> found = TARGET.servers(Engine.MARIADB);
        assertThat(found).hasSize(1);  // /usr/sbin/mysqld is a link to mariadbd: counted once
        InstalledServer m = found.get(0);
        assertThat(m.binDir()).isEqualTo(Path.of("/usr/sbin"));
        assertThat(said).contains("Ver " + m.version() + "-MariaDB");
        assertThat(TARGET.servers(Engine.MYSQL)).isEmpty();
        if (Files.isDirectory(Path.of("/var/lib/mysql/mysql"))) {
            assertThat(m.clusters()).extracting(InstalledServer.Cluster::dataDir).contains(Path.of("/var/lib/mysql"));
            InstalledServer.Cluster c = m.clusters().get(0);
            assertThat(c.port()).isEqualTo(3306);
            assertThat(c.owner()).isEqualTo("mysql");
            assertThat(c.major()).isEqualTo(m.major());
        }
    }

    @Test
    void findsRedisWithTheVersionItsProgramReports() {
        Path redis = Path.of("/usr/bin/redis-server");
        assumeTrue(Files.isExecutable(redis), "redis-server is not installed");
        String said = Cmd.run(List.of(redis.toString(), "--version"));
        InstalledServer r = TARGET.newest(Engine.REDIS).orElseThrow();
        assertThat(said).contains("v=" + r.version() + " ");
        assertThat(r.clusters()).extracting(InstalledServer.Cluster::dataDir).contains(Path.of("/var/lib/redis"));
        assertThat(r.clusters().get(0).port()).isEqualTo(6379);
    }

    @Test
    void podmanIsReportedWithItsVersionOrAsAbsent() {
        Path podman = List.of(Path.of("/usr/bin/podman"), Path.of("/usr/local/bin/podman")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (podman == null) {
            assertThat(TARGET.podmanVersion()).isNull();
            assertThat(TARGET.summary()).contains("Podman: not installed");
        } else {
            String said = Cmd.run(List.of(podman.toString(), "--version"));
            assertThat(said).contains("version " + TARGET.podmanVersion());
        }
    }

    @Test
    void knowsWhetherItRunsAsRoot() {
        String uid = Cmd.run(List.of("id", "-u")).strip();
        assertThat(TARGET.root()).isEqualTo(uid.equals("0"));
    }

    @Test
    void summaryNamesEachServerAndCluster() {
        assumeTrue(TARGET.server(Engine.POSTGRESQL, "15").isPresent());
        String s = TARGET.summary();
        InstalledServer pg = TARGET.server(Engine.POSTGRESQL, "15").orElseThrow();
        assertThat(s).contains("PostgreSQL " + pg.version() + " at /usr/lib/postgresql/15/bin");
        if (Files.isRegularFile(Path.of("/etc/postgresql/15/main/postgresql.conf"))) {
            assertThat(s).containsPattern("cluster 15/main on port 5432 \\((running|stopped)\\), owner postgres");
        }
        assertThat(s).contains(TARGET.root() ? "Running as root" : "ordinary user");
        assertThat(TARGET.toString()).isEqualTo(s);
    }
}
