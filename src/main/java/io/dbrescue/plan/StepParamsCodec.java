package io.dbrescue.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where a step's typed parameters ({@link StepParams}) become the string map a {@link Step} keeps
 * (for the preview, the journal and the backup guard) and back. Component names are the map's keys; numbers and
 * booleans are their text; a path is its text, or a file: URI when its name is not valid text (as
 * {@link PlanContext.StepBuilder#param} and {@link Step#path} have always done); a list, a map or a record (not an
 * {@link StepParams.Inline} one) is JSON text; absent
 * (null) values are left out; a component that cannot carry its key's name has it as {@link StepParams.Key}. A component named {@code argv} is the step's command line ({@link Step#argv}), kept
 * there and not among the parameters.
 */
public final class StepParamsCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARGV = "argv";

    private StepParamsCodec() {
    }

    /** The record's components as the step's parameters. */
    public static Map<String, String> toMap(StepParams params) {
        Map<String, String> out = new LinkedHashMap<>();
        put((Record) params, out);
        return out;
    }

    private static void put(Record params, Map<String, String> out) {
        for (RecordComponent c : params.getClass().getRecordComponents()) {
            Object v;
            try {
                java.lang.reflect.Method accessor = c.getAccessor();
                accessor.setAccessible(true); // records next to their executors are package-private
                v = accessor.invoke(params);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + params.getClass(), e);
            }
            if (v instanceof StepParams.Inline && v instanceof Record inline) {
                put(inline, out);
            } else if (v != null && !ARGV.equals(c.getName())) {
                out.put(key(c), text(v));
            }
        }
    }

    /** The step's parameters as the record of its kind (a journal from before the records existed reads the same). */
    public static <P extends StepParams> P fromStep(Step step, Class<P> type) {
        Map<String, String> map = step.params();
        if (java.util.Arrays.stream(type.getRecordComponents()).anyMatch(c -> ARGV.equals(c.getName()))) {
            map = new LinkedHashMap<>(map);
            map.put(ARGV, text(step.argv()));
        }
        return fromMap(map, type);
    }

    /** A parameter map as the record of its kind. */
    public static <P extends StepParams> P fromMap(Map<String, String> map, Class<P> type) {
        return build(map, type);
    }

    private static <P> P build(Map<String, String> map, Class<P> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = StepParams.Inline.class.isAssignableFrom(types[i]) ? build(map, types[i])
                    : value(map.get(key(components[i])), components[i]);
        }
        try {
            java.lang.reflect.Constructor<P> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName() + " from " + map.keySet(), e);
        }
    }

    /** A component's key in the step's map: its name, or the {@link StepParams.Key} it is given. */
    private static String key(RecordComponent c) {
        StepParams.Key k = c.getAnnotation(StepParams.Key.class);
        return k == null ? c.getName() : k.value();
    }

    /** A path parameter's value as the path: its text, or the file: URI of a name that is not valid text. */
    public static Path path(String value) {
        return value.startsWith("file:/") ? Path.of(java.net.URI.create(value)) : Path.of(value);
    }

    private static String text(Object v) {
        if (v instanceof Path p) {
            return Path.of(p.toString()).equals(p) ? p.toString() : p.toAbsolutePath().toUri().toString();
        }
        if (v instanceof List<?> || v instanceof Map<?, ?> || v instanceof Record) { // a record: its JSON object
            try {
                return JSON.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return v.toString();
    }

    private static Object value(String s, RecordComponent c) {
        Class<?> t = c.getType();
        if (s == null) {
            if (t == int.class || t == long.class) {
                return 0;
            }
            return t == boolean.class ? false : null;
        }
        if (t == String.class) {
            return s;
        }
        if (t == Path.class) {
            return path(s);
        }
        if (t == int.class || t == Integer.class) {
            return Integer.valueOf(s);
        }
        if (t == long.class || t == Long.class) {
            return Long.valueOf(s);
        }
        if (t == boolean.class || t == Boolean.class) {
            return Boolean.valueOf(s);
        }
        try {
            JavaType type = JSON.getTypeFactory().constructType(c.getGenericType());
            return JSON.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("parameter " + c.getName() + " is not " + c.getGenericType() + ": " + s, e);
        }
    }
}
