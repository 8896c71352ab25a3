package io.dbrescue.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.Writer;
import java.util.Collection;
import java.util.Map;

/**
 * Writes a {@link ScanResult} as the {@code scan --json} contract of the design notes. Written with
 * Jackson's streaming generator, field by field, so the contract is visible in one place (and the
 * command starts faster than with data binding).
 */
public final class ScanJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** For a console that is not UTF-8 (LANG=C): names outside ASCII as \\u escapes, not '?'. */
    private static final JsonFactory ASCII = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private ScanJson() {
    }

    public static void write(ScanResult result, Writer out) throws IOException {
        try (JsonGenerator g = (stdoutIsUnicode() ? FACTORY : ASCII).createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("root", result.root());
            g.writeArrayFieldStart("findings");
            for (Finding f : result.findings()) {
                writeFinding(f, g);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("warnings");
            for (ScanWarning w : result.warnings()) {
                g.writeStartObject();
                g.writeStringField("path", w.path());
                g.writeStringField("message", w.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("stats");
            g.writeNumberField("files", result.stats().files());
            g.writeNumberField("directories", result.stats().directories());
            g.writeNumberField("elapsedMillis", result.stats().elapsedMillis());
            g.writeEndObject();
            g.writeEndObject();
        }
        out.write(System.lineSeparator());
    }

    /** Whether System.out encodes any character (UTF-8), as Java 17 sets it up from the locale. */
    static boolean stdoutIsUnicode() {
        String name = System.getProperty("sun.stdout.encoding", System.getProperty("stdout.encoding"));
        java.nio.charset.Charset cs;
        try {
            cs = name != null ? java.nio.charset.Charset.forName(name) : java.nio.charset.Charset.defaultCharset();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return cs.name().startsWith("UTF-");
    }

    private static void writeFinding(Finding f, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("engine", f.getEngine().id());
        g.writeStringField("kind", f.getKind().id());
        g.writeStringField("path", f.getPath());
        g.writeStringField("version", f.getVersion());
        g.writeNumberField("sizeBytes", f.getSizeBytes());
        g.writeFieldName("cleanShutdown");
        writeValue(f.getCleanShutdown(), g);
        g.writeStringField("status", f.getStatus().id());
        g.writeFieldName("databases");
        writeValue(f.getDatabases(), g);
        g.writeStringField("format", f.getFormat());
        g.writeFieldName("warnings");
        writeValue(f.getWarnings(), g);
        if (!f.getDetails().isEmpty()) {
            g.writeFieldName("details");
            writeValue(f.getDetails(), g);
        }
        g.writeEndObject();
    }

    private static void writeValue(Object v, JsonGenerator g) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                writeValue(o, g);
            }
            g.writeEndArray();
        } else if (v.getClass().isArray() && v instanceof Object[] a) {
            writeValue(java.util.Arrays.asList(a), g);
        } else {
            g.writeString(v.toString());
        }
    }
}
