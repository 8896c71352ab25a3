package io.dbrescue.cli;

import io.dbrescue.scan.BackupFolder;
import io.dbrescue.scan.ScanJson;
import io.dbrescue.scan.ScanResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code dbrescue scan BACKUP_DIR [--json]}: what databases are in this backup. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Lists every database found in BACKUP_DIR. Reads only; changes nothing there.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the scan ran (whether or not it found anything)",
                "2:BACKUP_DIR is missing, not a folder or unreadable"})
public final class ScanCommand implements Callable<Integer> {
    public static final int EXIT_BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BACKUP_DIR", description = "The backup folder to look through.")
    Path backupDir;

    @Option(names = "--json", description = "Print one JSON object (the documented contract) instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        RunContext ctx = RunContext.of(spec);
        long started = System.nanoTime();
        ScanResult result;
        try {
            result = ctx.service(err).scan(backupDir);
        } catch (IOException e) {
            ctx.step("scan " + backupDir, Duration.ofNanos(System.nanoTime() - started), "failed", e.toString());
            return fail(e, err);
        }
        ctx.step("scan " + backupDir, Duration.ofNanos(System.nanoTime() - started), "ok",
                result.findings().size() + " finding(s), " + result.warnings().size() + " warning(s), "
                        + result.stats().files() + " files, " + result.stats().directories() + " folders");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ScanJson.write(result, out);
        } else {
            new ScanTable(result).print(out);
        }
        out.flush();
        return 0;
    }

    /** The one-line message for a backup folder that cannot be scanned. */
    private int fail(IOException error, PrintWriter err) throws IOException {
        String problem = BackupFolder.problem(backupDir, error);
        if (problem == null) {
            throw error;
        }
        err.println("dbrescue: " + problem);
        return EXIT_BAD_INPUT;
    }
}
