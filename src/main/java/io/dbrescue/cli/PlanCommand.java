package io.dbrescue.cli;

import io.dbrescue.plan.Plan;
import io.dbrescue.run.RunResult;
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
        RunContext context = RunContext.of(spec);
        PrintWriter err = spec.commandLine().getErr();
        Plan plan = options.plan(context.service(err), context.secrets(), err);
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
}
