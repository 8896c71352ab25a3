package io.dbrescue.run;

import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * An executor that reads its step's parameters as the record of its kind, converted once from the step's map
 * ({@link Step#params(Class)}); the command it runs is the record's {@link StepParams#argv}, the one the preview showed.
 *
 * @param <P> the parameters of the kind
 */
public interface TypedStep<P extends StepParams> extends StepExecutor {
    /**
     * The record of the kind: the one the executor's class names where it implements {@code TypedStep<P>}; an
     * executor whose P is a type variable (a generic one) overrides this.
     */
    @SuppressWarnings("unchecked")
    default Class<P> paramsType() {
        for (Type t : getClass().getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == TypedStep.class
                    && p.getActualTypeArguments()[0] instanceof Class<?> record) {
                return (Class<P>) record;
            }
        }
        throw new IllegalStateException(getClass().getName() + " does not name its record: override paramsType()");
    }

    void run(P params, Step step, StepContext ctx) throws Exception;

    default void undo(P params, Step step, StepContext ctx) throws Exception {
    }

    @Override
    default void run(Step step, StepContext ctx) throws Exception {
        run(step.params(paramsType()), step, ctx);
    }

    @Override
    default void undo(Step step, StepContext ctx) throws Exception {
        undo(step.params(paramsType()), step, ctx);
    }
}
