package io.dbrescue.cli;

import io.dbrescue.app.Verification;
import io.dbrescue.run.RunResult;
import io.dbrescue.scan.BackupFolder;
import io.dbrescue.machine.TargetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dbrescue verify BACKUP_DIR --select PATH [--restore-test]}: can this be restored? */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Says whether the selected findings can be restored. With --restore-test each is really "
                + "restored into a throwaway server (temporary data directory, 127.0.0.1, a free port), checked and "
                + "removed. The backup and the real target are not touched.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every selected finding is RESTORABLE", "1:at least one is not (the reason is printed)",
                "2:bad input"})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BACKUP_DIR", description = "The backup folder (only read).")
    Path backupDir;

    @Option(names = "--select", paramLabel = "PATH", required = true, description = "A finding, by the path the scan reports.")
    List<String> select;

    @Option(names = "--restore-test", description = "Restore into a throwaway server to prove it works.")
    boolean restoreTest;

    @Option(names = "--target-bin", paramLabel = "DIR", description = "Server binaries to test with.")
    Path bin;

    @Option(names = "--run-as", paramLabel = "USER", description = "OS user for the throwaway server (when root).")
    String runAs;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Verification.Verdict> verdicts;
        try {
            RunContext context = RunContext.of(spec);
            verdicts = context.service(err).verify(backupDir.toAbsolutePath().normalize(), select, restoreTest,
                    new TargetOptions(null, null, null, bin == null ? null : bin.toAbsolutePath(), null, runAs),
                    context.secrets());
        } catch (IOException e) {
            String problem = BackupFolder.problem(backupDir, e);
            if (problem == null) {
                throw e;
            }
            err.println("dbrescue: " + problem);
            return RunResult.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            err.println("dbrescue: " + ConsoleErrors.badInput(e));
            return RunResult.BAD_INPUT;
        }
        boolean all = true;
        for (Verification.Verdict v : verdicts) {
            all &= v.restorable();
            out.println((v.restorable() ? "RESTORABLE      " : "NOT RESTORABLE  ") + v.path() + "  (" + v.how() + ")");
            out.println("    " + v.why());
            if (v.fix() != null) {
                out.println("    fix: " + v.fix());
            }
            v.report().forEach((k, val) -> out.println("    " + k + ": " + val));
        }
        out.flush();
        return all ? 0 : 1;
    }
}
