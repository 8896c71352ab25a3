package io.dbrescue.postgres.restore;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The relay process of {@link PeerRelay}, started as the OS user that may log in by peer (the server's
 * owner): {@code PeerRelayMain LISTEN_SOCKET TARGET_SOCKET}. It listens on a Unix socket in a 0700 folder of
 * that user (so only that user and root can connect to it) and joins every connection to the server's own
 * socket, so the server sees a client running as that user. It prints "ready" once it listens and ends,
 * removing its socket, when its stdin closes (dbrescue ended, however it ended).
 *
 * <p>Only JDK classes and no nested classes: this one class file is all the relay process has on its class
 * path (copied into the relay's folder, readable by that user wherever dbrescue itself is installed).
 */
public final class PeerRelayMain {
    private static final int BUFFER = 1 << 16;

    private PeerRelayMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PeerRelayMain LISTEN_SOCKET TARGET_SOCKET");
            System.exit(2);
        }
        Path listen = Path.of(args[0]);
        UnixDomainSocketAddress target = UnixDomainSocketAddress.of(args[1]);
        Files.deleteIfExists(listen);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        Thread watch = new Thread(() -> endWithStdin(listen), "relay-stdin");
        watch.setDaemon(true);
        watch.start();
        System.out.println("ready");
        System.out.flush();
        while (true) {
            SocketChannel client = server.accept();
            SocketChannel upstream;
            try {
                upstream = SocketChannel.open(target);
            } catch (IOException e) {
                System.err.println("relay: cannot reach " + target + ": " + e.getMessage());
                close(client);
                continue;
            }
            AtomicInteger ended = new AtomicInteger();
            start(client, upstream, ended);
            start(upstream, client, ended);
        }
    }

    /** dbrescue holds our stdin open while it lives: its end (exit, crash, kill) ends the relay. */
    private static void endWithStdin(Path listen) {
        try {
            while (System.in.read() >= 0) {
                // nothing is sent; only the end counts
            }
        } catch (IOException e) {
            // treated as the end
        }
        removeFolder(listen);
        System.exit(0);
    }

    /** The socket, and the relay's own folder with it (a dbrescue-peer-* folder holds only the relay's files). */
    private static void removeFolder(Path listen) {
        Path dir = listen.toAbsolutePath().getParent();
        boolean own = dir != null && dir.getFileName() != null && dir.getFileName().toString().startsWith("dbrescue-peer-");
        try (Stream<Path> all = own ? Files.walk(dir) : Stream.of(listen)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // nothing more to do: dbrescue's next start leaves no socket of a dead relay in use
        }
    }

    private static void start(SocketChannel from, SocketChannel to, AtomicInteger ended) {
        Thread t = new Thread(() -> pump(from, to, ended), "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Copies one direction until its end, then half-closes the other side, so the far end sees the end too;
     * the second direction to end closes both channels. An error closes both at once.
     */
    private static void pump(SocketChannel from, SocketChannel to, AtomicInteger ended) {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            close(from);
            close(to);
            return;
        }
        if (ended.incrementAndGet() == 2) {
            close(from);
            close(to);
        }
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
