package io.dbrescue.cli;

import io.dbrescue.app.RescueService;
import io.dbrescue.plan.Plan;
import io.dbrescue.run.Journal;
import io.dbrescue.run.JournalException;
import io.dbrescue.run.ProgressListener;
import io.dbrescue.run.RunResult;
import io.dbrescue.run.Runner;
import io.dbrescue.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code dbrescue recover BACKUP_DIR --select PATH ...}: plan, check, confirm, run; or resume a run. */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Brings the selected findings back: plans, runs the pre-flight checks, asks for confirmation "
                + "(unless --yes) and runs the steps, with progress. --dry-run stops after the plan.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything was restored (or the dry run's pre-flight passed)",
                "1:nothing was restored (each failure is explained)", "2:bad input",
                "3:partly restored: some findings failed (see the summary)",
                "4:pre-flight failed, or another run is restoring into the same target: nothing was changed",
                "5:restored, but a verification could not run (its login was refused): check by hand",
                "130:cancelled (resume with --resume RUN_ID)"})
public final class RecoverCommand implements Callable<Integer> {


    @Spec
    CommandSpec spec;

    @Mixin
    RecoveryOptions options;

    @Option(names = "--resume", paramLabel = "RUN_ID", description = "Continue an interrupted run from its journal.")
    String resume;

    @Option(names = "--dry-run", description = "Show the plan and pre-flight checks; change nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--json-progress", description = "Print one JSON line per progress event (for scripts).")
    boolean jsonProgress;

    @Option(names = "--on-cancel", paramLabel = "rollback|keep", defaultValue = "rollback",
            description = "What Ctrl-C (or SIGTERM) leaves: rollback (default) undoes everything done for the database "
                    + "in progress, so it is as it was; keep undoes only the step in progress and keeps the rest for "
                    + "--resume. Either way --resume RUN_ID can finish the run later.")
    String onCancel;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Runner.CancelMode cancelMode;
        switch (onCancel.trim().toLowerCase(Locale.ROOT)) {
            case "rollback", "roll-back", "undo" -> cancelMode = Runner.CancelMode.ROLL_BACK;
            case "keep", "pause" -> cancelMode = Runner.CancelMode.KEEP;
            default -> {
                err.println("dbrescue: unknown --on-cancel '" + onCancel + "' (use rollback or keep)");
                return RunResult.BAD_INPUT;
            }
        }
        RunContext context = RunContext.of(spec);
        RescueService service = context.service(err);
        // the settings were checked by Main (RunContext.refusal) before this runs
        Runner runner = service.runner(context.secrets());
        return resume != null ? resume(service, runner, cancelMode, out, err)
                : recover(service, context, runner, cancelMode, out, err);
    }

    /** {@code --resume RUN_ID}: the journal's plan, from where it stopped. */
    private int resume(RescueService service, Runner runner, Runner.CancelMode cancelMode, PrintWriter out,
                       PrintWriter err) throws IOException {
        Journal journal;
        try {
            journal = Journal.load(resume);
        } catch (JournalException e) {
            err.println("dbrescue: " + e.getMessage());
            return RunResult.BAD_INPUT;
        }
        if (journal.data().finished) {
            err.println("dbrescue: run " + resume + " already finished; nothing to resume.");
            return RunResult.BAD_INPUT;
        }
        out.println("Resuming run " + resume + ".");
        RunResult result;
        try (CancelOnSignal signals = CancelOnSignal.install(runner, cancelMode, err)) {
            result = refusedOrRun(() -> service.resume(runner, journal, listener(out, service.settings())), err);
        }
        return summary(result, false, out);
    }

    /** Plan, pre-flight, dry run or confirmation, run. */
    private int recover(RescueService service, RunContext context, Runner runner, Runner.CancelMode cancelMode,
                        PrintWriter out, PrintWriter err) throws IOException {
        Settings settings = service.settings();
        boolean dryRun = this.dryRun || settings.dryRunMode();
        boolean yes = this.yes || !settings.requireConfirmation();
        Plan plan = options.plan(service, context.secrets(), err);
        if (plan == null) {
            return RunResult.BAD_INPUT;
        }
        if (options.json && dryRun) {
            out.println(Json.pretty().writeValueAsString(plan));
        } else if (!jsonProgress) {
            PlanPrinter.print(plan, out);
        }
        if (plan.preflightFailed()) {
            err.println("dbrescue: pre-flight failed; nothing was changed. Fix these and run again:");
            plan.checks().stream().filter(c -> c.level() == io.dbrescue.plan.Check.Level.FAIL).forEach(c -> err.println(
                    "  " + c.group() + ": " + c.name() + ": " + c.message() + (c.fix() == null ? "" : " Fix: " + c.fix())));
            return RunResult.PREFLIGHT_FAILED;
        }
        if (dryRun) {
            out.println("This was a dry run" + (this.dryRun ? "" : " (dry_run_mode is on in the settings)")
                    + ": nothing was changed.");
            return RunResult.OK;
        }
        if (!yes && !confirm(plan, out)) {
            err.println("dbrescue: not confirmed; nothing was changed. (Use --yes to skip the question.)");
            return RunResult.BAD_INPUT;
        }
        RunResult result;
        try (CancelOnSignal signals = CancelOnSignal.install(runner, cancelMode, err)) {
            result = refusedOrRun(() -> service.run(runner, plan, listener(out, settings)), err);
        }
        return summary(result, options.json, out);
    }

    /** What the run did (or PREFLIGHT_FAILED when it was refused before it started), and its exit code. */
    private int summary(RunResult result, boolean json, PrintWriter out) throws IOException {
        if (result == null) {
            return RunResult.PREFLIGHT_FAILED;
        }
        if (json) {
            out.println(Json.pretty().writeValueAsString(result));
        } else if (!jsonProgress) {
            PlanPrinter.print(result, out);
            if (result.cancelled()) {
                out.println((result.rolledBack()
                        ? "Cancelled: the database in progress was put back as it was before the run."
                        : "Stopped: the step in progress was undone; what was done before it is kept.")
                        + " Finish the run later with: dbrescue recover --resume " + result.runId());
            }
        }
        out.flush();
        return result.exitCode();
    }

    /**
     * The run, or null when it was refused before anything changed (another run holds the target, the run's
     * folder is inside the backup): then the reason is printed on one line.
     */
    private static RunResult refusedOrRun(RunBody body, PrintWriter err) throws IOException {
        try {
            return body.run();
        } catch (io.dbrescue.run.TargetLock.Busy | io.dbrescue.plan.BackupGuard.InsideBackup e) {
            err.println("dbrescue: " + e.getMessage());
            return null;
        }
    }

    @FunctionalInterface
    private interface RunBody {
        RunResult run() throws IOException;
    }

    private ProgressListener listener(PrintWriter out, Settings settings) {
        return listener(out, settings.enableProgressTracking());
    }

    private ProgressListener listener(PrintWriter out, boolean tracking) {
        if (jsonProgress) {
            return e -> {
                try {
                    out.println(Json.line().writeValueAsString(e));
                    out.flush();
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            };
        }
        return new ConsoleProgress(out, tracking);
    }

    private boolean confirm(Plan plan, PrintWriter out) throws IOException {
        out.print("Run these " + plan.steps().size() + " steps? Type yes to continue: ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).equals("yes");
    }
}
