package io.dbrescue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on 127.0.0.1 for the servers the tests start. The port is free when asked for; a server
 * started right after gets it unless another process took it in between (the tests accept that small race,
 * as every server here needs a number on its command line).
 */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port nothing listens on now, on the loopback address. */
    public static int next() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }
}
