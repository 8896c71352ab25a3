package io.dbrescue.elevate;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The socket the runner listens on for its helper, in a folder of its own (mode 0700: only the user and root can
 * reach it), short enough for a socket path; removed with its folder when the step is over.
 */
final class ReplySocket implements AutoCloseable {
    private final Path dir;
    private final Path path;
    private final ServerSocketChannel server;

    private ReplySocket(Path dir, Path path, ServerSocketChannel server) {
        this.dir = dir;
        this.path = path;
        this.server = server;
    }

    static ReplySocket open() throws IOException {
        Path dir = Files.createTempDirectory("dbrescue-root-step-"); // rwx------
        Path path = dir.resolve("reply.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        server.configureBlocking(false);
        return new ReplySocket(dir, path, server);
    }

    Path path() {
        return path;
    }

    /** A connection from the helper, or null when none has come yet. */
    SocketChannel poll() throws IOException {
        SocketChannel c = server.accept();
        if (c != null) {
            c.configureBlocking(true);
        }
        return c;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
        Files.deleteIfExists(dir);
    }
}
