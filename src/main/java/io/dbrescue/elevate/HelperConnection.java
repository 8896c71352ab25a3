package io.dbrescue.elevate;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/** The helper's end of the socket: connects to the runner and turns its "cancel" (or its going away) into a cancel. */
final class HelperConnection {
    private HelperConnection() {
    }

    static HelperLink connect(Path socket, int uid, AtomicBoolean cancel) throws Refused, IOException {
        int owner = (Integer) Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != uid && owner != 0) {
            throw new Refused("The socket " + socket + " belongs to another user: it is not your dbrescue's.");
        }
        var channel = java.nio.channels.SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        HelperLink link = new HelperLink(channel);
        Thread listener = new Thread(() -> {
            try {
                String line;
                while ((line = link.receiveLine()) != null) {
                    if (HelperLink.CANCEL.equals(line.trim())) {
                        cancel.set(true);
                    }
                }
            } catch (IOException e) {
                // closed: treated as below
            }
            cancel.set(true); // the runner closed the socket (done, or gone): nothing more should start
        }, "privileged-run-cancel");
        listener.setDaemon(true);
        listener.start();
        return link;
    }
}
