package io.dbrescue.plan;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The record class of each typed step kind, so that code reading a plan of any engine ({@link Replacements},
 * {@link Destinations}) reads a step as its record and asks it through a role of {@link StepParams} (Replaces,
 * Verifies) instead of knowing each kind's keys. The table comes from the engines' wiring ({@code io.dbrescue.Engines}),
 * found through a {@link ServiceLoader} because the engines import this package and not the other way round; it is
 * read once and never changes.
 */
public final class StepKinds {
    /** Provides the table (registered in META-INF/services). */
    public interface Source {
        Map<String, Class<? extends StepParams>> types();
    }

    private static final class Table {
        private static final Map<String, Class<? extends StepParams>> TYPES = load();

        private static Map<String, Class<? extends StepParams>> load() {
            return ServiceLoader.load(Source.class, StepKinds.class.getClassLoader()).findFirst()
                    .map(s -> Map.copyOf(s.types())).orElse(Map.of());
        }
    }

    private StepKinds() {
    }

    /** The kinds that have a record. */
    public static java.util.Set<String> kinds() {
        return Table.TYPES.keySet();
    }

    /** The record class of a kind, if it has one. */
    public static Optional<Class<? extends StepParams>> type(String kind) {
        return Optional.ofNullable(Table.TYPES.get(kind));
    }

    /** The step as its kind's record when that record plays the role (StepParams.Replaces...); empty otherwise. */
    public static <R> Optional<R> as(Step step, Class<R> role) {
        return type(step.kind()).filter(role::isAssignableFrom).map(t -> role.cast(step.params(t)));
    }
}
