package io.dbrescue.cli;

import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.target.TargetOptions;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

/** The options {@code plan} and {@code recover} share (see the design notes' CLI contract). */
final class RecoveryOptions {
    @Parameters(index = "0", arity = "0..1", paramLabel = "BACKUP_DIR", description = "The backup folder (only read, never changed).")
    Path backupDir;

    @Option(names = "--select", paramLabel = "PATH",
            description = "A finding to restore, by the path the scan reports (repeat for several).")
    List<String> select;

    @Option(names = "--strategy", paramLabel = "STRATEGY", defaultValue = "auto",
            description = "auto (default: dbrescue picks and says why), direct, container or dump-restore.")
    String strategy;

    @Option(names = "--target-host", paramLabel = "HOST", description = "Target server host (default: this machine).")
    String host;

    @Option(names = "--target-port", paramLabel = "PORT", description = "Target server port.")
    Integer port;

    @Option(names = "--target-user", paramLabel = "USER",
            description = "Database user on the target; the password comes from the engine's own mechanism "
                    + "(PGPASSWORD / ~/.pgpass, ~/.my.cnf, REDISCLI_AUTH), never from the command line.")
    String user;

    @Option(names = "--target-bin", paramLabel = "DIR", description = "Folder of the target version's binaries.")
    Path bin;

    @Option(names = "--target-data", paramLabel = "DIR", description = "Where a data directory goes.")
    Path data;

    @Option(names = "--run-as", paramLabel = "USER",
            description = "OS user that owns and runs server processes (when dbrescue runs as root).")
    String runAs;

    @Option(names = "--on-conflict", paramLabel = "WHAT", defaultValue = "ask",
            description = "A database of the same name already exists in the target: ask (stop in pre-flight), "
                    + "skip, rename (restore as NAME_restored) or replace (after a safety dump).")
    String onConflict;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "2", description = "Parallel jobs (pg_restore -j).")
    int jobs;

    @Option(names = "--no-safety-copy", description = "Do not keep a safety copy of what is overwritten.")
    boolean noSafetyCopy;

    @Option(names = "--require-all", description = "Stop at the first failure instead of going on with the others.")
    boolean requireAll;

    @Option(names = "--json", description = "Print the plan / the result as JSON.")
    boolean json;

    RecoveryRequest request() {
        if (backupDir == null) {
            throw new IllegalArgumentException("give the backup folder, e.g. dbrescue recover /media/backup --select PATH");
        }
        if (select == null || select.isEmpty()) {
            throw new IllegalArgumentException("say what to restore with --select PATH (one of the paths "
                    + "`dbrescue scan " + backupDir + "` reports)");
        }
        RecoveryRequest.Conflict conflict;
        try {
            conflict = RecoveryRequest.Conflict.valueOf(onConflict.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --on-conflict '" + onConflict + "' (use ask, skip, rename or replace)");
        }
        if (jobs < 1 || jobs > 64) {
            throw new IllegalArgumentException("--jobs must be between 1 and 64");
        }
        return new RecoveryRequest(backupDir.toAbsolutePath().normalize(), select, Strategy.parse(strategy),
                targetOptions(), conflict, jobs, !noSafetyCopy, requireAll);
    }

    TargetOptions targetOptions() {
        return new TargetOptions(host, port, user, bin == null ? null : bin.toAbsolutePath(),
                data == null ? null : data.toAbsolutePath(), runAs);
    }
}
