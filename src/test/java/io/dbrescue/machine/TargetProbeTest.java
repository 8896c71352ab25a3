package io.dbrescue.machine;

import io.dbrescue.Engines;
import io.dbrescue.mongodb.MongoDiscovery;
import io.dbrescue.mysql.MySqlDiscovery;
import io.dbrescue.postgres.PgLsclusters;
import io.dbrescue.postgres.PostgresDiscovery;
import io.dbrescue.redis.RedisDiscovery;
import io.dbrescue.scan.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery on odd machines: fake server programs (shell scripts standing in for servers that cannot
 * be installed here, such as mongod), programs that hang or say nonsense, missing and unreadable folders,
 * option files with includes.
 */
class TargetProbeTest {
    @TempDir
    Path tmp;

    @Test
    void missingUnreadableAndOddSearchPlacesAreNoError() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path locked = Files.createDirectories(tmp.resolve("locked/pgsql-16/bin"));
        script(locked.resolve("postgres"), "echo 'postgres (PostgreSQL) 16.1'");
        Files.setPosixFilePermissions(tmp.resolve("locked"), PosixFilePermissions.fromString("---------"));
        Path notExecutable = Files.createDirectories(tmp.resolve("opt/pgsql-15/bin"));
        Files.writeString(notExecutable.resolve("postgres"), "#!/bin/sh\necho 'postgres (PostgreSQL) 15.1'\n");
        Files.createDirectories(tmp.resolve("opt/pgsql-abc/bin"));
        Files.createDirectories(tmp.resolve("opt/pgsql-13"));  // no bin inside
        TargetDiscovery.Layout layout = TargetDiscovery.Layout.under(tmp.resolve("nothing-here"))
                .withProgramDirs(List.of(file, tmp.resolve("missing"), file.resolve("below-a-file")));
        PostgresDiscovery postgres = new PostgresDiscovery(List.of(new VersionedDir(tmp.resolve("missing"), "", "bin"),
                new VersionedDir(file, "", "bin"), new VersionedDir(tmp.resolve("locked"), "pgsql-", "bin"),
                new VersionedDir(tmp.resolve("opt"), "pgsql-", "bin")));
        try {
            Target t = new TargetDiscovery(layout, List.of(postgres, new MySqlDiscovery(), new RedisDiscovery(),
                    new MongoDiscovery())).discover();
            if (isRoot()) {
                // root reads a mode 000 folder anyway: the fake 16 in it is found
                assertThat(t.servers()).extracting(InstalledServer::version).containsExactly("16.1");
            } else {
                assertThat(t.servers()).isEmpty();
            }
            assertThat(t.dataWithoutServer()).isEmpty();
            assertThat(t.podmanVersion()).isNull();
        } finally {
            Files.setPosixFilePermissions(tmp.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aProgramThatHangsIsStoppedAfterTheTimeLimitAndOneThatSaysNonsenseIsSkipped() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin.resolve("postgres"), "exec sleep 30");
        script(bin.resolve("redis-server"), "echo 'hello world'");
        script(bin.resolve("mongod"), "echo 'db version v7.0.14'; exit 3");  // fails: not trusted
        TargetDiscovery.Layout layout = TargetDiscovery.Layout.under(tmp.resolve("none"))
                .withProgramDirs(List.of(bin)).withTimeout(Duration.ofSeconds(1));
        long start = System.nanoTime();
        Target t = new TargetDiscovery(layout, Engines.discoveries()).discover();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(t.servers()).isEmpty();
    }

    @Test
    void fakeMongodRedisMariadbAndPodmanAreFoundWithTheirDataAndConfiguredPorts() throws IOException {
        Path root = tmp.resolve("root");
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Path sbin = Files.createDirectories(root.resolve("usr/sbin"));
        script(bin.resolve("mongod"), "echo 'db version v7.0.14'; echo 'Build Info: {}'");
        script(bin.resolve("redis-server"), "echo 'Redis server v=7.2.4 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64'");
        script(bin.resolve("podman"), "echo 'podman version 4.9.3'");
        script(sbin.resolve("mariadbd"),
                "echo 'mariadbd  Ver 10.11.6-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)'");
        Files.createSymbolicLink(sbin.resolve("mysqld"), Path.of("mariadbd"));
        // MongoDB: the dbPath and port from /etc/mongod.conf
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/mongod.conf"),
                "storage:\n  dbPath: /srv/mongo\nnet:\n  port: 27018\n  bindIp: 127.0.0.1\n");
        Files.createDirectories(root.resolve("srv/mongo"));
        // MariaDB: port and datadir from an included file
        Files.createDirectories(root.resolve("etc/mysql/mariadb.conf.d"));
        Files.writeString(root.resolve("etc/mysql/my.cnf"),
                "[client-server]\nsocket = /run/mysqld/mysqld.sock\nport = 3307\n!includedir /etc/mysql/mariadb.conf.d/\n");
        Files.writeString(root.resolve("etc/mysql/mariadb.conf.d/50-server.cnf"),
                "[mysqld]\nskip-name-resolve\nport = 3310  # ours\ndatadir = \"/srv/mysql\"\n[client]\nport = 1\n");
        Path datadir = Files.createDirectories(root.resolve("srv/mysql/mysql"));
        Files.writeString(datadir.resolveSibling("aria_log_control"), "x");
        Files.writeString(datadir.resolveSibling("mariadb_upgrade_info"), "10.6.18-MariaDB");
        // Redis: the default working directory
        Files.createDirectories(root.resolve("var/lib/redis"));

        Target t = new TargetDiscovery(TargetDiscovery.Layout.under(root), Engines.discoveries()).discover();

        InstalledServer mongo = t.newest(Engine.MONGODB).orElseThrow();
        assertThat(mongo.version()).isEqualTo("7.0.14");
        assertThat(mongo.binDir()).isEqualTo(bin);
        assertThat(mongo.clusters()).singleElement().satisfies(c -> {
            assertThat(c.dataDir()).isEqualTo(root.resolve("srv/mongo"));
            assertThat(c.port()).isEqualTo(27018);
        });
        assertThat(t.newest(Engine.REDIS).orElseThrow().version()).isEqualTo("7.2.4");
        assertThat(t.newest(Engine.REDIS).orElseThrow().clusters()).singleElement()
                .satisfies(c -> assertThat(c.port()).isEqualTo(6379));
        assertThat(t.podmanVersion()).isEqualTo("4.9.3");
        List<InstalledServer> maria = t.servers(Engine.MARIADB);
        assertThat(maria).hasSize(1);  // mysqld is a link to mariadbd
        assertThat(maria.get(0).major()).isEqualTo("10.11");
        assertThat(maria.get(0).clusters()).singleElement().satisfies(c -> {
            assertThat(c.dataDir()).isEqualTo(root.resolve("srv/mysql"));
            assertThat(c.port()).isEqualTo(3310);
            assertThat(c.major()).isEqualTo("10.6");
            assertThat(c.running()).isFalse();
        });
        assertThat(t.summary()).contains("MongoDB 7.0.14 at " + bin).contains("Podman 4.9.3");
        // --target-bin on a folder with mongod only
        Target given = t.withOptions(new TargetOptions(null, null, null, bin, null, null));
        assertThat(given.chosen(Engine.MONGODB).orElseThrow().clusters()).hasSize(1);
    }

    @Test
    void versionTextsOfEachEngine() {
        assertThat(PostgresDiscovery.parseVersion("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"))
                .isEqualTo("15.18");
        assertThat(PostgresDiscovery.parseVersion("postgres (PostgreSQL) 9.6.24")).isEqualTo("9.6.24");
        assertThat(PostgresDiscovery.parseVersion("postgres (PostgreSQL) 18beta1")).isEqualTo("18");
        assertThat(PostgresDiscovery.parseVersion("garbage")).isNull();
        String maria = "mariadbd  Ver 10.11.6-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)";
        assertThat(MySqlDiscovery.parseVersion(maria)).isEqualTo("10.11.6");
        assertThat(MySqlDiscovery.engineOf(maria)).isEqualTo(Engine.MARIADB);
        String mysql = "/usr/sbin/mysqld  Ver 8.0.36-0ubuntu0.22.04.1 for Linux on x86_64 ((Ubuntu))";
        assertThat(MySqlDiscovery.parseVersion(mysql)).isEqualTo("8.0.36");
        assertThat(MySqlDiscovery.engineOf(mysql)).isEqualTo(Engine.MYSQL);
        assertThat(RedisDiscovery.parseVersion("Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0"))
                .isEqualTo("7.0.15");
        assertThat(MongoDiscovery.parseVersion("db version v7.0.14\nBuild Info: {")).isEqualTo("7.0.14");
        assertThat(TargetDiscovery.parsePodmanVersion("podman version 4.3.1\n")).isEqualTo("4.3.1");
    }

    @Test
    void pgLsclustersTableIsParsedByItsColumns() {
        String text = """
                Ver Cluster Port Status          Owner    Data directory               Log file
                15  main    5432 down            postgres /var/lib/postgresql/15/main  /var/log/postgresql/postgresql-15-main.log
                16  my data 5433 online,recovery postgres /srv/pg data/16              <unknown>
                17  other   5434 online          postgres /var/lib/postgresql/17/other /var/log/postgresql/postgresql-17-other.log
                """;
        List<PgLsclusters.Row> rows = PgLsclusters.parse(text);
        assertThat(rows).extracting(PgLsclusters.Row::dataDir).containsExactly(
                Path.of("/var/lib/postgresql/15/main"), Path.of("/srv/pg data/16"), Path.of("/var/lib/postgresql/17/other"));
        assertThat(rows.get(0).online()).isFalse();
        assertThat(rows.get(0).port()).isEqualTo(5432);
        assertThat(rows.get(2).online()).isTrue();
        assertThat(rows.get(2).version()).isEqualTo("17");
        assertThat(PgLsclusters.parse("")).isEmpty();
        assertThat(PgLsclusters.parse("Warning: something odd\n")).isEmpty();
    }

    @Test
    void aListeningPortIsSeenAndAClosedOneIsNot() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
            assertThat(Probe.accepts("127.0.0.1", port)).isTrue();
        }
        assertThat(Probe.accepts("127.0.0.1", port)).isFalse();
        assertThat(Probe.accepts("127.0.0.1", 0)).isFalse();
    }

    @Test
    void versionsCompareNumericallyAndMajorsFollowEachEnginesScheme() {
        assertThat(Versions.compare("9.6", "10")).isNegative();
        assertThat(Versions.compare("10", "9.6.24")).isPositive();
        assertThat(Versions.compare("10.11.6", "10.11")).isPositive();
        assertThat(Versions.compare("16.0", "16")).isZero();
        assertThat(Versions.compare(null, "1")).isNegative();
        assertThat(Versions.compare(null, null)).isZero();
        assertThat(InstalledServer.majorOf(Engine.POSTGRESQL, "15.18")).isEqualTo("15");
        assertThat(InstalledServer.majorOf(Engine.POSTGRESQL, "9.6.24")).isEqualTo("9.6");
        assertThat(InstalledServer.majorOf(Engine.POSTGRESQL, "18")).isEqualTo("18");
        assertThat(InstalledServer.majorOf(Engine.MARIADB, "10.11.6")).isEqualTo("10.11");
        assertThat(InstalledServer.majorOf(Engine.REDIS, "7.0.15")).isEqualTo("7.0");
        assertThat(new InstalledServer(Engine.POSTGRESQL, null, null, List.of()).major()).isNull();
    }

    private static void script(Path p, String body) throws IOException {
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean isRoot() {
        return io.dbrescue.run.OsUsers.isRoot();
    }
}
