package io.dbrescue.plan;

import java.util.List;

/**
 * Everything a recovery will do, decided before anything changes: per finding a decision, the
 * pre-flight checks, and the ordered steps. The dry run prints it; the runner executes it; the
 * journal keeps it for resume.
 */
public record Plan(String runId, String createdAt, RecoveryRequest request, List<Decision> decisions,
                   List<Check> checks, List<Step> steps) {

    /** What the plan replaces on this machine and where each safety copy goes (also in {@code plan --json}). */
    @com.fasterxml.jackson.annotation.JsonProperty(value = "replacements",
            access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public List<Replacement> replacements() {
        return Replacements.of(this);
    }

    public boolean preflightFailed() {
        return checks.stream().anyMatch(c -> c.level() == Check.Level.FAIL);
    }

    public long totalBytes() {
        return steps.stream().mapToLong(Step::bytes).sum();
    }

    public List<Step> steps(String group) {
        return steps.stream().filter(s -> s.group().equals(group)).toList();
    }

    /** The finding paths that have steps, in plan order. */
    public List<String> groups() {
        return steps.stream().map(Step::group).distinct().toList();
    }
}
