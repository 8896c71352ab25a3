package io.dbrescue.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The JSON writers of the commands, made on first use: picocli builds every command object at
 * start, and a static ObjectMapper there would load hundreds of classes for `scan` and `--version`.
 */
final class Json {
    private Json() {
    }

    private static final class Holder {
        static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        static final ObjectMapper LINE = new ObjectMapper();
    }

    /** Indented, for plans and results. */
    static ObjectMapper pretty() {
        return Holder.PRETTY;
    }

    /** One line per value, for --json-progress. */
    static ObjectMapper line() {
        return Holder.LINE;
    }
}
