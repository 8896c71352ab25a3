package io.dbrescue.logging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dbrescue.settings.Problem;
import io.dbrescue.settings.Settings;
import io.dbrescue.settings.SettingsFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code --save-debug-log FILE} writes: one JSON file for a bug report with the versions
 * (dbrescue, Java, OS), the arguments, the settings and where each came from, the steps with their
 * timings, every external command with its exit code, duration and stderr tail, and the errors.
 * Everything is redacted when recorded and again when written. Thread-safe: the engine records
 * from its worker threads.
 */
public final class DebugBundle {
    private final Redactor redactor;
    private final Instant started = Instant.now();
    private final List<Object> arguments = new ArrayList<>();
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final List<Object> steps = new ArrayList<>();
    private final List<Object> commands = new ArrayList<>();
    private final List<Object> errors = new ArrayList<>();

    public DebugBundle(Redactor redactor) {
        this.redactor = redactor;
    }

    public synchronized void recordArguments(List<String> args) {
        arguments.clear();
        arguments.addAll(redactor.redactArgv(prepend("dbrescue", args)).subList(1, args.size() + 1));
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> l = new ArrayList<>();
        l.add(first);
        l.addAll(rest);
        return l;
    }

    /** The effective settings, each value with its source, and the settings' problems. */
    public synchronized void recordSettings(Settings s) {
        settings.clear();
        settings.put("file", String.valueOf(s.file()));
        settings.put("fileExists", s.fileExists());
        Map<String, Object> values = new LinkedHashMap<>();
        s.values().forEach((id, v) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", v.raw());
            m.put("source", v.source().toString());
            values.put(id, m);
        });
        settings.put("values", values);
        settings.put("problems", s.problems().stream().map(Problem::toString).toList());
    }

    /** A step of the run: its name, how long it took, how it ended (ok, failed, skipped …) and any detail. */
    public synchronized void recordStep(String name, Duration duration, String outcome, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("durationMillis", duration.toMillis());
        m.put("outcome", outcome);
        m.put("detail", detail);
        steps.add(m);
    }

    /** An external command (CommandLog calls this). */
    public synchronized void recordCommand(CommandRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("argv", r.argv());
        m.put("environment", r.environment());
        m.put("exitCode", r.exitCode());
        m.put("durationMillis", r.durationMillis());
        m.put("stderrTail", r.stderrTail());
        commands.add(m);
    }

    /** An error: where it happened (a step, a command) and the exception with its stack trace. */
    public synchronized void recordError(String where, Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("where", where);
        m.put("type", error.getClass().getName());
        m.put("message", String.valueOf(error.getMessage()));
        m.put("stackTrace", trace.toString());
        errors.add(m);
    }

    /** An error that is only a message (a finding that could not be restored, …). */
    public synchronized void recordError(String where, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("where", where);
        m.put("message", message);
        errors.add(m);
    }

    /** The bundle as a tree of maps and lists, every string redacted. */
    public synchronized Map<String, Object> toMap() {
        Map<String, Object> root = new LinkedHashMap<>();
        String v = DebugBundle.class.getPackage().getImplementationVersion();
        root.put("dbrescue", v == null ? "development build" : v);
        root.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        root.put("startedAt", started.toString());
        root.put("writtenAt", Instant.now().toString());
        root.put("arguments", List.copyOf(arguments));
        root.put("settings", new LinkedHashMap<>(settings));
        root.put("steps", List.copyOf(steps));
        root.put("commands", List.copyOf(commands));
        root.put("errors", List.copyOf(errors));
        @SuppressWarnings("unchecked")
        Map<String, Object> redacted = (Map<String, Object>) redactAll(root);
        return redacted;
    }

    private Object redactAll(Object o) {
        if (o instanceof String s) {
            return redactor.redact(s);
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k),
                    Redactor.isSecretName(String.valueOf(k)) && val instanceof String ? Redactor.MASK : redactAll(val)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(this::redactAll).toList();
        }
        return o;
    }

    /** Writes the bundle as one JSON file (atomically, mode 0600). */
    public void write(Path file) throws IOException {
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toMap());
        SettingsFile.writeAtomically(file, json + "\n");
    }
}
