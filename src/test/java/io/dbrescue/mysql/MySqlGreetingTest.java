package io.dbrescue.mysql;

import io.dbrescue.run.StepFailure;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The first packet of a MariaDB/MySQL connection as the container start reads it: a greeting, or a refusal. */
class MySqlGreetingTest {
    private static byte[] packet(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body.length & 0xff);
        out.write(body.length >> 8 & 0xff);
        out.write(body.length >> 16 & 0xff);
        out.write(0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** One server that answers every connection with these bytes, then closes it. */
    private static String greetingFrom(byte[] first) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
                    o.write(first);
                    o.flush();
                } catch (Exception ignored) {
                    // the test's client has gone
                }
            });
            t.start();
            try {
                return MySqlMoveSteps.greeting("127.0.0.1", server.getLocalPort());
            } finally {
                t.join(5000);
            }
        }
    }

    @Test
    void aGreetingGivesTheServersVersionText() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(10);
        body.writeBytes("5.5.5-10.11.6-MariaDB-0+deb12u1".getBytes(StandardCharsets.US_ASCII));
        body.write(0);
        body.writeBytes(new byte[] {1, 2, 3, 4});
        String text = greetingFrom(packet(body.toByteArray()));
        assertThat(text).isEqualTo("5.5.5-10.11.6-MariaDB-0+deb12u1");
        assertThat(MySqlGreeting.version(text)).isEqualTo("10.11.6");
    }

    @Test
    void anErrorPacketIsARefusalSaidInWords() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0xff);
        body.writeBytes(new byte[] {0x6a, 0x04}); // 1130
        body.writeBytes("Host '10.88.0.1' is not allowed to connect to this MariaDB server".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> greetingFrom(packet(body.toByteArray()))).isInstanceOf(StepFailure.class)
                .hasMessageContaining("The old server refuses connections: Host '10.88.0.1' is not allowed");
    }

    @Test
    void nothingListeningIsNoAnswerYet() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(MySqlMoveSteps.greeting("127.0.0.1", port)).isNull();
    }
}
