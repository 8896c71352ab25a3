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

    /**
     * A step that keeps something for the steps after it (a container running the old server) under this name: a
     * resumed run runs it again while the step that {@link Releases} the name is not done.
     */
    interface Holds {
        String holds();
    }

    /** A step that lets go of what a {@link Holds} step keeps under this name. */
    interface Releases {
        String releases();
    }

    /** A step that may replace something on this machine ({@link Replacements}). */
    interface Replaces {
        /** What this step replaces and where its safety copy goes; null when this one replaces nothing. */
        Replacement replacement(Step step, Replacements.Where where);
    }

    /** The step that checks a restored finding where it now is ({@link Destinations}). */
    interface Verifies {
        /**
         * Where the finding is, and how a person opens it.
         *
         * @param dataDirectory the data directory (or file's folder) the plan fills, or null when it fills none
         */
        Destination destination(Step step, String dataDirectory);
    }

    /** The command the step runs, shown in the preview; empty when dbrescue does the work itself. */
    default List<String> argv() {
        return List.of();
    }
}
