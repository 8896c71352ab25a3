package io.dbrescue.elevate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * What the helper and the user's runner say to each other over the Unix socket, one JSON object a line. Helper to
 * runner: {@code progress} (bytes done in the step), {@code log} (a line for the live log), {@code report} (a fact
 * for the summary) and, last, {@code result} (done, failed with kind/text/fix, refused, cancelled). Runner to
 * helper: the line {@code cancel}. The socket closing counts as cancel for the helper: its runner is gone.
 */
final class HelperLink implements AutoCloseable {
    static final String CANCEL = "cancel";
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private final SocketChannel channel;
    private final BufferedReader in;
    private final Writer out;

    /** One message; the fields that do not apply to its type are null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(String type, Long bytes, String text, String key, Object value, String outcome, String kind,
                   String fix) {
        static Message progress(long bytes) {
            return new Message("progress", bytes, null, null, null, null, null, null);
        }

        static Message log(String text) {
            return new Message("log", null, text, null, null, null, null, null);
        }

        static Message report(String key, Object value) {
            return new Message("report", null, null, key, value, null, null, null);
        }

        static Message result(String outcome, String kind, String text, String fix) {
            return new Message("result", null, text, null, null, outcome, kind, fix);
        }
    }

    HelperLink(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
        this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
    }

    synchronized void send(Message m) throws IOException {
        out.write(JSON.writeValueAsString(m));
        out.write('\n');
        out.flush();
    }

    synchronized void sendLine(String line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush();
    }

    /** The next message, or null when the other side closed the socket. */
    Message receive() throws IOException {
        String line = in.readLine();
        return line == null ? null : JSON.readValue(line, Message.class);
    }

    /** The next raw line (the helper reads the runner's "cancel" this way), or null at the end. */
    String receiveLine() throws IOException {
        return in.readLine();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
