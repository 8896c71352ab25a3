package io.dbrescue.postgres.restore;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Does a PostgreSQL server accept connections? What libpq's PQping (and pg_ctl -w before PostgreSQL 10)
 * asks: a startup packet, and the first answer — an authentication request means yes, the error
 * "the database system is starting up" (SQLSTATE 57P03) means not yet, any other error means the server
 * answers logins (it is up). Nothing is logged in: the connection is closed at the first answer.
 */
final class PgPing {
    enum Answer { ACCEPTING, STARTING, NO_ANSWER }

    private static final int PROTOCOL_3_0 = 196608;
    private static final int TIMEOUT_MILLIS = 2000;

    private PgPing() {
    }

    /** Over TCP to host:port. */
    static Answer tcp(String host, int port, String user) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.getOutputStream().write(startupPacket(user));
            s.getOutputStream().flush();
            return answer(s.getInputStream());
        } catch (IOException e) {
            return Answer.NO_ANSWER;
        }
    }

    /** Over the unix socket SOCKETDIR/.s.PGSQL.PORT. */
    static Answer unix(Path socketDir, int port, String user) {
        Path socket = socketDir.resolve(".s.PGSQL." + port);
        if (!Files.exists(socket)) {
            return Answer.NO_ANSWER;
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pg-ping-timeout");
            t.setDaemon(true);
            return t;
        });
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // a channel's reads have no timeout of their own: closing it ends a read that hangs
            timer.schedule(() -> {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closed already
                }
            }, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(java.nio.ByteBuffer.wrap(startupPacket(user)));
            return answer(Channels.newInputStream(ch));
        } catch (IOException e) {
            return Answer.NO_ANSWER;
        } finally {
            timer.shutdownNow();
        }
    }

    static byte[] startupPacket(String user) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeInt(body, PROTOCOL_3_0);
        for (String s : new String[] {"user", user, "database", "postgres", "application_name", "dbrescue-ping"}) {
            body.write(s.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        writeInt(packet, body.size() + 4);
        body.writeTo(packet);
        return packet.toByteArray();
    }

    /** 'R' (authentication request): accepting; 'E' with 57P03: starting; another error: accepting. */
    static Answer answer(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int type = d.read();
        if (type == 'R') {
            return Answer.ACCEPTING;
        }
        if (type != 'E') {
            return Answer.NO_ANSWER;
        }
        int length = d.readInt();
        if (length < 4 || length > 1 << 16) {
            return Answer.NO_ANSWER;
        }
        byte[] fields = new byte[length - 4];
        d.readFully(fields);
        return code(fields).equals("57P03") ? Answer.STARTING : Answer.ACCEPTING;
    }

    /** The SQLSTATE ('C' field) of an ErrorResponse body. */
    static String code(byte[] fields) {
        int i = 0;
        while (i < fields.length && fields[i] != 0) {
            byte field = fields[i++];
            int end = i;
            while (end < fields.length && fields[end] != 0) {
                end++;
            }
            if (field == 'C') {
                return new String(fields, i, end - i, StandardCharsets.UTF_8);
            }
            i = end + 1;
        }
        return "";
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
