package io.dbrescue.cli;

import io.dbrescue.Recovery;
import io.dbrescue.plan.Plan;
import io.dbrescue.run.RunResult;
import io.dbrescue.scan.BackupFolder;
import io.dbrescue.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code dbrescue plan BACKUP_DIR --select PATH ...}: what a recovery would do, and the pre-flight checks. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Shows what recovering the selected findings would do — every step and command — and the "
                + "pre-flight checks. Changes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the plan is ready (pre-flight passed)", "2:bad input (missing folder, unknown selection)",
                "4:pre-flight failed (see the checks marked fail)"})
public final class PlanCommand implements Callable<Integer> {


    @Spec
    CommandSpec spec;

    @Mixin
    RecoveryOptions options;

    @Override
    public Integer call() throws IOException {
        Plan plan = plan(options, RunContext.of(spec).settings(), spec.commandLine().getErr());
        if (plan == null) {
            return RunResult.BAD_INPUT;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            out.println(Json.pretty().writeValueAsString(plan));
        } else {
            PlanPrinter.print(plan, out);
            out.println("This was a dry run: nothing was changed.");
        }
        out.flush();
        return plan.preflightFailed() ? RunResult.PREFLIGHT_FAILED : RunResult.OK;
    }

    /** Plans, or prints why not (bad input) and returns null. */
    static Plan plan(RecoveryOptions options, Settings settings, PrintWriter err) throws IOException {
        try {
            return Recovery.plan(options.request(settings), settings.allBinaries());
        } catch (IOException e) {
            String problem = BackupFolder.problem(options.backupDir != null ? options.backupDir
                    : settings.backupPath().orElse(null), e);
            if (problem == null) {
                throw e;
            }
            err.println("dbrescue: " + problem);
        } catch (IllegalArgumentException e) { // incl. Planner.UnknownSelection
            err.println("dbrescue: " + ConsoleErrors.badInput(e));
        }
        err.flush();
        return null;
    }
}
