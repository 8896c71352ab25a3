package io.dbrescue.gui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import io.dbrescue.plan.Check;
import io.dbrescue.plan.Destination;
import io.dbrescue.plan.Destinations;
import io.dbrescue.plan.Replacement;
import io.dbrescue.run.Journal;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.Step;
import io.dbrescue.run.RunResult;

import io.dbrescue.plan.BackupGuard;
import io.dbrescue.settings.SettingsFile;
import io.dbrescue.text.Shell;
import io.dbrescue.text.Sizes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The plan and the result as files a person keeps: JSON (as the CLI's --json) and Markdown. */
public final class Reports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {
    }

    public static void writeJson(Object planOrResult, Path file, Path backup) throws IOException {
        writeText(JSON.writeValueAsString(planOrResult), file, backup);
    }

    /**
     * Written next to the file first (mode 0600: a report names every path), then moved into place, so a failed
     * write leaves no half file; refused ({@link BackupGuard.InsideBackup}) inside the backup.
     */
    public static void writeText(String text, Path file, Path backup) throws IOException {
        BackupGuard.requireOutside(backup, file, "The report");
        SettingsFile.writeAtomically(file, text);
    }

    /** The backup of what the window shows (the plan's, else the folder chosen); null when there is none yet. */
    static Path backupOf(WizardModel model) {
        Plan plan = model.plan.get();
        if (plan != null) {
            return plan.request().backupRoot();
        }
        String folder = model.folder.get();
        return folder == null || folder.isBlank() ? null : Path.of(folder);
    }

    public static String markdown(Plan plan) {
        StringBuilder b = new StringBuilder();
        b.append("# dbrescue plan ").append(plan.runId()).append("\n\n")
                .append("Backup: `").append(plan.request().backupRoot()).append("`  \n")
                .append("Made: ").append(plan.createdAt()).append("\n\n## What comes back, and how\n\n");
        for (Decision d : plan.decisions()) {
            b.append("- **").append(d.path()).append("** (").append(d.engine().displayName())
                    .append(d.version() == null ? "" : " " + d.version()).append(", ").append(d.kind()).append("): ")
                    .append(d.refused() ? "cannot be restored: " : d.strategy().id() + " — ").append(d.reason())
                    .append('\n');
            for (Decision.Alternative a : d.alternatives()) {
                b.append("  - ").append(a.possible() ? "or " : "not ").append(a.strategy().id()).append(": ")
                        .append(a.why()).append('\n');
            }
        }
        b.append("\n## Pre-flight checks\n\n| | Check | Finding | What was found | Fix |\n|---|---|---|---|---|\n");
        for (Check c : plan.checks()) {
            b.append("| ").append(c.level().id().toUpperCase(Locale.ROOT)).append(" | ").append(cell(c.name()))
                    .append(" | ").append(cell(c.group())).append(" | ").append(cell(c.message())).append(" | ")
                    .append(cell(c.level() == Check.Level.PASS ? null : c.fix())).append(" |\n");
        }
        b.append("\n## Will be replaced\n\n");
        if (plan.replacements().isEmpty()) {
            b.append("Nothing that is on this machine now.\n");
        }
        for (Replacement r : plan.replacements()) {
            b.append("- ").append(r.what()).append(" `").append(r.where()).append("`: ")
                    .append(r.safetyCopy() == null ? "no safety copy (safety copies are off)"
                            : "safety copy `" + r.safetyCopy() + "`").append('\n');
        }
        b.append("\n## Steps\n\n");
        for (Step s : plan.steps()) {
            b.append("### ").append(s.id()).append(" ").append(s.title())
                    .append(s.needsRoot() ? " (needs root)" : "").append("\n\n");
            if (!s.argv().isEmpty()) {
                b.append("    ").append(Shell.quote(s.argv())).append("\n\n");
            }
            line(b, "Reads", s.reads());
            line(b, "Writes", s.writes());
            if (s.bytes() > 0) {
                line(b, "Bytes", Sizes.human(s.bytes()));
            }
            line(b, "Undo", s.undo());
            b.append('\n');
        }
        b.append(plan.steps().size()).append(" step(s), ").append(Sizes.human(plan.totalBytes())).append(" to move.\n");
        return b.toString();
    }

    public static String markdown(RunResult result) {
        return markdown(result, null);
    }

    /** The run's report: per finding what happened, where it is now (from the plan that ran) and what was checked. */
    public static String markdown(RunResult result, Plan plan) {
        StringBuilder b = new StringBuilder();
        b.append("# dbrescue run ").append(result.runId()).append("\n\n")
                .append(SummaryViewModel.headline(result)).append("\n\n");
        for (RunResult.GroupResult g : result.groups()) {
            b.append("## ").append(SummaryViewModel.title(g)).append("\n\n");
            if (g.message() != null) {
                b.append(g.message()).append("\n\n");
            }
            if (g.fix() != null) {
                b.append("**Fix:** ").append(g.fix()).append("\n\n");
            }
            Destination d = plan == null ? null : Destinations.of(plan, g.group()).orElse(null);
            if (d != null) {
                b.append("- ").append(nowAt(g)).append(": ").append(d.where()).append('\n');
                if (!d.client().isEmpty()) {
                    b.append("- Open it with: `").append(Shell.quote(d.client())).append("`\n");
                }
            }
            g.report().forEach((k, v) -> b.append("- ").append(ReportText.label(k)).append(": ")
                    .append(ReportText.value(k, v)).append('\n'));
            if (d != null || !g.report().isEmpty()) {
                b.append('\n');
            }
        }
        b.append("Journal and logs: `").append(result.journal()).append("`\n");
        return b.toString();
    }

    /** "Now at" for what was restored; "Would have been at" for what was not. */
    static String nowAt(RunResult.GroupResult g) {
        return g.outcome() == Journal.Outcome.RESTORED ? "Now at" : "Would have been at";
    }

    /** The result as the CLI's --json has it, plus where each finding is now ({@code destinations}). */
    public static Map<String, Object> withDestinations(RunResult result, Plan plan) {
        Map<String, Object> out = JSON.convertValue(result, new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, Object> where = new LinkedHashMap<>();
        for (RunResult.GroupResult g : result.groups()) {
            if (plan != null) {
                Destinations.of(plan, g.group()).ifPresent(d -> where.put(g.group(), d));
            }
        }
        out.put("destinations", where);
        return out;
    }

    private static void line(StringBuilder b, String label, String value) {
        if (value != null && !value.isEmpty()) {
            b.append("- ").append(label).append(": ").append(value).append('\n');
        }
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
