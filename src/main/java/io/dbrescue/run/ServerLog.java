package io.dbrescue.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what the server appended to its log since the start: whole lines, and the last few kept. */
final class ServerLog {
    private static final int TAIL = 12;
    private final Path file;
    private long offset;
    /** Bytes of a line not finished yet ('\n' never occurs inside a UTF-8 character). */
    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
    private final java.util.ArrayDeque<String> last = new java.util.ArrayDeque<>();

    ServerLog(Path file, long offset) {
        this.file = file;
        this.offset = offset;
    }

    List<String> newLines() throws IOException {
        List<String> lines = new ArrayList<>();
        byte[] bytes;
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            if (ch.size() <= offset) {
                return lines;
            }
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(ch.size() - offset, 1 << 20));
            ch.read(buf, offset);
            offset += buf.position();
            bytes = java.util.Arrays.copyOf(buf.array(), buf.position());
        }
        for (byte b : bytes) {
            if (b != '\n') {
                partial.write(b);
                continue;
            }
            String line = partial.toString(java.nio.charset.StandardCharsets.UTF_8);
            partial.reset();
            lines.add(line);
            if (!line.isBlank()) {
                last.addLast(line.stripTrailing());
                if (last.size() > TAIL) {
                    last.removeFirst();
                }
            }
        }
        return lines;
    }

    /** The last lines (and an unfinished one), as written. */
    String tail() {
        List<String> t = new ArrayList<>(last);
        String rest = partial.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (!rest.isBlank()) {
            t.add(rest.stripTrailing());
        }
        return String.join("\n", t);
    }
}
