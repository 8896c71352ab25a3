package io.dbrescue.cli;

import io.dbrescue.app.RequestBuilder;
import io.dbrescue.app.RescueService;
import io.dbrescue.plan.Containers;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Secrets;
import io.dbrescue.scan.BackupFolder;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The options {@code plan} and {@code recover} share (README.md and docs/user-guide.md show them in use), and the one
 * place they are checked: picocli converters for single values, {@link #request} for the rest; the
 * service's {@link RequestBuilder} adds the settings.
 */
final class RecoveryOptions {
    @Parameters(index = "0", arity = "0..1", paramLabel = "BACKUP_DIR", description = "The backup folder (only read, never changed).")
    Path backupDir;

    @Option(names = "--select", paramLabel = "PATH",
            description = "A finding to restore, by the path the scan reports (repeat for several).")
    List<String> select;

    @Option(names = "--strategy", paramLabel = "STRATEGY",
            description = "auto (default: dbrescue picks and says why, preferring preferred_migration_strategy "
                    + "from the settings), direct, container or dump-restore.")
    String strategy;

    @Option(names = "--upgrade-method", paramLabel = "METHOD",
            description = "For data of an older major version (the container strategy): auto (default: in place — "
                    + "PostgreSQL's pg_upgrade, or the newer MariaDB / MySQL server upgrading a copy — when the programs "
                    + "are at hand and the target holds no databases yet, else dump), dump (the old server in a "
                    + "container, dumped into the running target), pg-upgrade or in-place (a copy upgraded in place "
                    + "replaces the target data directory).")
    String upgradeMethod;

    @Option(names = "--target-host", paramLabel = "HOST", description = "Target server host (default: this machine).")
    String host;

    @Option(names = "--target-port", paramLabel = "PORT", converter = PortConverter.class,
            description = "Target server port (1-65535).")
    Integer port;

    @Option(names = "--target-user", paramLabel = "USER",
            description = "Database user on the target; the password comes from the engine's own mechanism "
                    + "(PGPASSWORD / ~/.pgpass, ~/.my.cnf, REDISCLI_AUTH), never from the command line.")
    String user;

    @Option(names = "--target-bin", paramLabel = "DIR", description = "Folder of the target version's binaries.")
    Path bin;

    @Option(names = "--target-data", paramLabel = "DIR",
            description = "Where a data directory goes; for a single file (SQLite, Redis) a folder to put it in "
                    + "(an existing folder, or a path ending in /, which is created) or a file name.")
    String data;

    @Option(names = "--run-as", paramLabel = "USER",
            description = "OS user that owns and runs server processes (when dbrescue runs as root).")
    String runAs;

    @Option(names = "--on-conflict", paramLabel = "WHAT", defaultValue = "ask",
            description = "A database of the same name already exists in the target: ask (stop in pre-flight), "
                    + "skip, rename (restore as NAME_restored) or replace (after a safety dump).")
    String onConflict;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Parallel jobs (pg_restore -j); default max_parallel_operations from the settings.")
    Integer jobs;

    @Option(names = "--no-safety-copy", description = "Do not keep a safety copy of what is overwritten.")
    boolean noSafetyCopy;

    @Option(names = "--require-all", description = "Stop at the first failure instead of going on with the others.")
    boolean requireAll;

    @Option(names = "--json", description = "Print the plan / the result as JSON.")
    boolean json;

    /**
     * The request: what the command line says, with the settings filling in what it leaves open. Throws
     * IllegalArgumentException (bad input) saying, in the command line's words, what is missing or wrong.
     */
    RecoveryRequest request(RequestBuilder builder) {
        Path backup = builder.backup(backupDir).backupFolder();
        if (backup == null) {
            throw new IllegalArgumentException("give the backup folder, e.g. dbrescue recover /media/backup --select PATH "
                    + "(or set backup_path in the settings)");
        }
        if (select == null || select.isEmpty()) {
            throw new IllegalArgumentException("say what to restore with --select PATH (one of the paths "
                    + "`dbrescue scan " + backup + "` reports)");
        }
        RecoveryRequest.Conflict conflict;
        try {
            conflict = RecoveryRequest.Conflict.valueOf(onConflict.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --on-conflict '" + onConflict + "' (use ask, skip, rename or replace)");
        }
        if (jobs != null && (jobs < 1 || jobs > 64)) {
            throw new IllegalArgumentException("--jobs must be between 1 and 64");
        }
        return builder.select(select).strategy(strategy == null ? Strategy.AUTO : Strategy.parse(strategy))
                .upgradeMethod(upgradeMethod == null ? Containers.UpgradeMethod.AUTO
                        : Containers.UpgradeMethod.parse(upgradeMethod))
                .server(host, port, user).binDir(bin == null ? null : bin.toAbsolutePath())
                .dataDir(data == null ? null : Path.of(data).toAbsolutePath(), data != null && data.endsWith("/"))
                .runAs(runAs).onConflict(conflict).jobs(jobs).noSafetyCopy(noSafetyCopy).requireAll(requireAll).build();
    }

    /** Plans through the service with the invocation's passwords, or says why not on {@code err} and returns null. */
    Plan plan(RescueService service, Secrets secrets, PrintWriter err) throws IOException {
        RequestBuilder builder = service.request();
        try {
            return service.plan(request(builder), secrets);
        } catch (IOException e) {
            String problem = BackupFolder.problem(builder.backupFolder(), e);
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

    /** A TCP port: 1 to 65535, said before anything connects (a JDBC URL with port 0 fails obscurely). */
    static final class PortConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port;
            try {
                port = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("port must be 1–65535, not '" + value + "'");
            }
            if (port < 1 || port > 65535) {
                throw new CommandLine.TypeConversionException("port must be 1–65535, not " + port);
            }
            return port;
        }
    }
}
