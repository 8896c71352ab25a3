package io.dbrescue.postgres.restore;

import io.dbrescue.run.Secrets;
import io.dbrescue.postgres.PgLocalServer;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Locales;
import io.dbrescue.testing.ServicePg;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A PostgreSQL 18 set up like a distribution's service (runs as the OS user postgres, socket in
 * /var/run/postgresql, local peer + TCP scram-sha-256, the postgres role without a password) is found and
 * logged into the way a user's machine allows: without a password, by peer, from a dbrescue run as root.
 */
class PgPeerLoginTest {
    static ServicePg pg;

    @BeforeAll
    static void start() {
        assumeTrue(TestUser.isRoot(), "peer logins of a root dbrescue need root");
        pg = ServicePg.init(18, Locales.EN_US).start();
        pg.psql("postgres", "CREATE TABLE t AS SELECT g FROM generate_series(1, 1234) g");
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void theServerOnThePortIsFoundWithoutLoggingIn() throws Exception {
        PgLocalServer s = PgLocalServer.find(pg.port()).orElseThrow();
        assertThat(s.dataDir()).isEqualTo(pg.dataDir());
        assertThat(s.socketDir()).isEqualTo(ServicePg.SOCKET_DIR);
        assertThat(s.osUser()).isEqualTo("postgres");
        assertThat(s.major()).isEqualTo("18");
        assertThat(s.version()).startsWith("18.");
        assertThat(s.binDir()).isEqualTo(pg.binDir().toRealPath());
        assertThat(PgLocalServer.find(1)).isEmpty();
    }

    @Test
    void rootLogsInByPeerThroughTheRelayAndAsksTheVersion() throws Exception {
        PgLogin.Result r = PgLogin.resolve(null, "127.0.0.1", pg.port(), null, Secrets.environment());
        assertThat(r.ok()).as(String.valueOf(r.failure())).isTrue();
        assertThat(r.major()).isEqualTo(18);
        assertThat(r.target().relayed()).isTrue();
        assertThat(r.target().osUser()).isEqualTo("postgres");
        assertThat(r.target().user()).isEqualTo("postgres");
        try (Connection c = r.target().connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), current_user FROM t")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1234);
            assertThat(rs.getString(2)).isEqualTo("postgres");
        }
    }

    @Test
    void withoutTheRelayRootIsRefusedByPeer() {
        // the same socket, connected to as root itself: peer compares root with postgres and refuses
        PgRestoreTarget direct = new PgRestoreTarget("127.0.0.1", pg.port(), "postgres", ServicePg.SOCKET_DIR.toString(),
                null, Secrets.environment());
        assertThatThrownBy(direct::serverVersion).isInstanceOf(SQLException.class)
                .hasMessageContaining("Peer authentication failed");
        PgRestoreTarget tcp = new PgRestoreTarget("127.0.0.1", pg.port(), "postgres", Secrets.environment());
        assertThatThrownBy(tcp::serverVersion).isInstanceOf(SQLException.class);
    }

    @Test
    void clientProgramsReachTheServerThroughTheRelayFolder() throws Exception {
        PgRestoreTarget t = PgLogin.resolve(null, "127.0.0.1", pg.port(), null, Secrets.environment()).target();
        List<String> argv = t.toolArgv(List.of("/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-w", "-h",
                t.toolHost(), "-p", Integer.toString(pg.port()), "-U", "postgres", "-d", "postgres", "-c",
                "SELECT count(*) FROM t"));
        assertThat(argv).doesNotContain(ServicePg.SOCKET_DIR.toString());
        Path relay = Path.of(argv.get(argv.indexOf("-h") + 1));
        assertThat(Files.getOwner(relay).getName()).isEqualTo("postgres");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(relay)))
                .isEqualTo("rwx------");
        assertThat(Cmd.run(argv).strip()).isEqualTo("1234");
        List<String> mount = t.toolArgv(List.of("podman", "run", "-v",
                ServicePg.SOCKET_DIR + ":" + ServicePg.SOCKET_DIR, "image"));
        assertThat(mount).contains(relay + ":" + relay);
        // a folder name -v cannot carry goes as --mount type=bind,"src=…","dst=…": the same swap
        String odd = "type=bind,\"src=" + ServicePg.SOCKET_DIR + "\",\"dst=" + ServicePg.SOCKET_DIR + "\"";
        assertThat(t.toolArgv(List.of("podman", "run", "--mount", odd, "image")))
                .contains("type=bind,\"src=" + relay + "\",\"dst=" + relay + "\"");
    }

    @Test
    void manyConnectionsAtOnceAsPgRestoreJobsMake() throws Exception {
        PgRestoreTarget t = PgLogin.resolve(null, "127.0.0.1", pg.port(), null, Secrets.environment()).target();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> all = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                all.add(pool.submit(() -> {
                    try (Connection c = t.connect("postgres"); Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("SELECT sum(g) FROM t")) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }));
            }
            for (Future<Long> f : all) {
                assertThat(f.get()).isEqualTo(1234L * 1235 / 2);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
