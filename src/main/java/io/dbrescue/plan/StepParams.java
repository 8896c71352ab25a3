package io.dbrescue.plan;

import java.util.List;

/**
 * The parameters of one step kind, as a record: what its planner fills in and its executor reads. The record
 * builds the step's command line ({@link #argv}) once, for the dry run's preview and for the run. In a plan and a
 * journal the parameters are a map of strings under the record's component names ({@link StepParamsCodec}), so
 * journals written before the records existed still resume.
 */
public interface StepParams {
    /** The step kind whose executor runs these parameters ("pg-stop"). */
    String kind();

    /**
     * A group of parameters several kinds share (a server's login): a record whose components stand in the step's
     * map beside the kind's own, under their own names, as if they were the kind's.
     */
    interface Inline {
    }

    /**
     * The key of a component whose name cannot be a Java name ("new"): the step's map keeps the key the kind has
     * always used.
     */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.RECORD_COMPONENT)
    @interface Key {
        String value();
    }

    /** The command the step runs, shown in the preview; empty when dbrescue does the work itself. */
    default List<String> argv() {
        return List.of();
    }
}
