package io.dbrescue.mysql;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a MariaDB / MySQL server says about itself before anyone logs in: the first packet of every connection
 * (protocol 10) carries its version text, "5.5.5-10.11.6-MariaDB-0+deb12u1" ("5.5.5-" is MariaDB's prefix for old
 * replication clients) or "8.0.36". Read over the Unix socket or TCP, so a desktop user, whom root's unix_socket
 * login does not let in, still learns which server answers. Nothing is sent: the connection is closed after it.
 */
final class MySqlGreeting {
    private static final Pattern VERSION = Pattern.compile("^(?:5\\.5\\.5-)?(\\d+(?:\\.\\d+)+)");
    private static final int MAX = 4096;

    private MySqlGreeting() {
    }

    /**
     * What the server at this address said first: its version text, or the error packet some servers send instead
     * of a greeting ("Host '10.0.2.100' is not allowed to connect"); both null when none answered in time.
     */
    record Answer(String version, String refusal) {
        static final Answer NONE = new Answer(null, null);
    }

    /** The version text of the server at this address; empty when none answers, or not with a greeting, in time. */
    static Optional<String> text(SocketAddress where, Duration timeout) {
        return Optional.ofNullable(read(where, timeout).version());
    }

    /** The server's first packet at this address, read until the deadline. */
    static Answer read(SocketAddress where, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = where instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
             Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            // a server that accepts but says nothing (a stuck one, another program) must not hold the caller up
            SelectionKey key = ch.register(selector, ch.connect(where) ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
            ByteBuffer got = ByteBuffer.allocate(MAX);
            while (System.nanoTime() < deadline) {
                long waitMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (selector.select(waitMillis) == 0) {
                    continue;
                }
                selector.selectedKeys().clear();
                if (key.isConnectable()) {
                    ch.finishConnect();
                    key.interestOps(SelectionKey.OP_READ);
                    continue;
                }
                boolean ended = ch.read(got) < 0 || !got.hasRemaining();
                Answer answer = answer(got.array(), got.position());
                if (answer != Answer.NONE || ended) {
                    return answer;
                }
            }
            return Answer.NONE;
        } catch (IOException | RuntimeException e) {
            return Answer.NONE; // nothing listens there, or not a socket we may open: no server answers
        }
    }

    private static Answer answer(byte[] b, int length) {
        Optional<String> version = parse(b, length);
        return version.map(v -> new Answer(v, null)).orElseGet(() -> refusal(b, length).map(r -> new Answer(null, r))
                .orElse(Answer.NONE));
    }

    /** The message of a complete error packet (0xff, two bytes of error code, the text) in these bytes. */
    static Optional<String> refusal(byte[] b, int length) {
        if (length < 7 || (b[4] & 0xff) != 0xff) {
            return Optional.empty();
        }
        int body = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16;
        if (length < 4 + body) {
            return Optional.empty(); // not all of it yet
        }
        return Optional.of(new String(b, 7, Math.max(0, body - 3), StandardCharsets.UTF_8).strip());
    }

    /** The version text of a greeting packet in these bytes; empty while incomplete, or for another packet. */
    static Optional<String> parse(byte[] b, int length) {
        // 3 bytes of body length, 1 of sequence number, then protocol version 10 and the zero-ended text
        if (length < 5 || (b[4] & 0xff) != 10) {
            return Optional.empty();
        }
        for (int end = 5; end < length; end++) {
            if (b[end] == 0) {
                return Optional.of(new String(b, 5, end - 5, StandardCharsets.US_ASCII));
            }
        }
        return Optional.empty();
    }

    /** "10.11.6" of "5.5.5-10.11.6-MariaDB-0+deb12u1", "8.0.36" of "8.0.36"; null when it starts otherwise. */
    static String version(String text) {
        Matcher m = VERSION.matcher(text == null ? "" : text);
        return m.find() ? m.group(1) : null;
    }
}
