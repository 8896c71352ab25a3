package io.dbrescue.cli;

import io.dbrescue.plan.Check;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Step;
import io.dbrescue.run.RunResult;
import io.dbrescue.text.Shell;
import io.dbrescue.text.Sizes;

import java.io.PrintWriter;

/** The human-readable plan (the dry run) and result. */
final class PlanPrinter {
    private PlanPrinter() {
    }

    static void print(Plan plan, PrintWriter out) {
        out.println("Plan " + plan.runId() + " for " + plan.request().backupRoot());
        out.println();
        for (Decision d : plan.decisions()) {
            String what = d.engine().displayName() + " " + (d.version() == null ? "" : d.version() + " ") + d.kind();
            out.println("  " + d.path() + " (" + what + ")");
            out.println("    " + (d.refused() ? "cannot be restored: " : "→ " + d.strategy().id() + ": ") + d.reason());
            for (Decision.Alternative a : d.alternatives()) {
                out.println("      " + (a.possible() ? "or " : "not ") + a.strategy().id() + ": " + a.why());
            }
        }
        out.println();
        out.println("Pre-flight checks:");
        for (Check c : plan.checks()) {
            out.println("  [" + c.level().id() + "] " + c.name() + ": " + c.message());
            if (c.fix() != null && c.level() != Check.Level.PASS) {
                out.println("         fix: " + c.fix());
            }
        }
        out.println();
        java.util.List<io.dbrescue.plan.Replacement> replaced = plan.replacements();
        out.println(replaced.isEmpty() ? "Nothing on this machine is replaced." : "Will be replaced:");
        for (io.dbrescue.plan.Replacement r : replaced) {
            out.println("  " + r.what() + " " + r.where());
            out.println("         " + (r.safetyCopy() == null ? "no safety copy (safety copies are off)"
                    : "safety copy: " + r.safetyCopy()));
        }
        out.println();
        out.println("Steps:");
        for (Step s : plan.steps()) {
            out.println("  " + s.id() + "  " + s.title() + (s.needsRoot() ? "   (needs root)" : "")
                    + (s.bytes() > 0 ? "   " + Sizes.human(s.bytes()) : ""));
            if (!s.argv().isEmpty()) {
                out.println("       $ " + Shell.quote(s.argv()));
            }
            if (!s.reads().isEmpty()) {
                out.println("       reads:  " + s.reads());
            }
            if (!s.writes().isEmpty()) {
                out.println("       writes: " + s.writes());
            }
            if (!s.undo().isEmpty()) {
                out.println("       undo:   " + s.undo());
            }
            String diff = s.params().get("diff");
            if (diff != null && !diff.isEmpty()) { // a carried configuration: what changes, file by file
                diff.lines().forEach(l -> out.println("       | " + l));
            }
        }
        out.println();
        out.println(plan.steps().size() + " step(s), " + Sizes.human(plan.totalBytes()) + " to move"
                + (plan.preflightFailed() ? "; pre-flight FAILED: fix the checks marked fail first." : "."));
    }

    static void print(RunResult result, PrintWriter out) {
        out.println();
        for (RunResult.GroupResult g : result.groups()) {
            out.println("  " + g.outcome().id().toUpperCase(java.util.Locale.ROOT) + "  " + g.group()
                    + (g.message() == null ? "" : ": " + g.message()));
            if (g.fix() != null) {
                out.println("      fix: " + g.fix());
            }
            g.report().forEach((k, v) -> out.println("      " + k + ": " + v));
        }
        out.println("Journal: " + result.journal());
    }
}
