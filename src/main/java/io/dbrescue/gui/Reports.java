package io.dbrescue.gui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dbrescue.plan.Check;
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
import java.util.Locale;

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
        StringBuilder b = new StringBuilder();
        b.append("# dbrescue run ").append(result.runId()).append("\n\n")
                .append(SummaryViewModel.headline(result)).append("\n\n");
        for (RunResult.GroupResult g : result.groups()) {
            b.append("## ").append(g.outcome().id().toUpperCase(Locale.ROOT)).append(": ").append(g.group())
                    .append("\n\n");
            if (g.message() != null) {
                b.append(g.message()).append("\n\n");
            }
            if (g.fix() != null) {
                b.append("**Fix:** ").append(g.fix()).append("\n\n");
            }
            g.report().forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
            if (!g.report().isEmpty()) {
                b.append('\n');
            }
        }
        b.append("Journal: `").append(result.journal()).append("`\n");
        return b.toString();
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
