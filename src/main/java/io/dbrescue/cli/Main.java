package io.dbrescue.cli;

import io.dbrescue.plan.BackupGuard;
import io.dbrescue.run.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** Entry point: {@code dbrescue} opens the window; {@code dbrescue scan DIR} and friends run on a console. */
@Command(name = "dbrescue", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Finds the databases in a backup and brings them back after an OS reinstall.%n"
                + "Without a command it opens the window.",
        subcommands = {ScanCommand.class, PlanCommand.class, RecoverCommand.class, VerifyCommand.class, GuiCommand.class,
                ConfigCommand.class, HistoryCommand.class, PrivilegedRunCommand.class})
public final class Main implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Read settings from FILE instead of $XDG_CONFIG_HOME/dbrescue/recovery.conf.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT,
            description = "Override a setting for this run only (repeatable), e.g. --set max_parallel_operations=4.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print debug messages on stderr (and keep them in the log file).")
    boolean debug;

    @Option(names = "--save-debug-log", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Write a JSON file about this run (versions, settings, steps, commands, errors; "
                    + "passwords removed) to attach to a bug report.")
    Path saveDebugLog;

    private RunContext context;
    private final Secrets secrets;

    private Main(Secrets secrets) {
        this.secrets = secrets;
    }

    public static void main(String[] args) {
        Thread.setDefaultUncaughtExceptionHandler(ConsoleErrors::uncaught);
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests); passwords come from the environment. */
    public static int run(String... args) {
        return run(Secrets.environment(), args);
    }

    /**
     * As {@link #run(String...)} with these passwords (tests: a JVM cannot set its own environment, where the
     * command line takes them from: PGPASSWORD=… dbrescue recover …).
     */
    public static int run(Secrets secrets, String... args) {
        Main main = new Main(secrets);
        CommandLine cl = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(parseResult -> main.execute(cl, parseResult, args));
        cl.setParameterExceptionHandler(ConsoleErrors::badArguments);
        cl.setExecutionExceptionHandler((e, command, parsed) -> ConsoleErrors.unexpected(e, command, main.context));
        return cl.execute(args);
    }

    /** Sets up settings and logging for the run, runs the command, then writes the debug bundle if asked. */
    private int execute(CommandLine cl, CommandLine.ParseResult parseResult, String[] args) {
        try {
            BackupGuard.requireOutside(backupOf(parseResult), saveDebugLog, "--save-debug-log");
        } catch (BackupGuard.InsideBackup e) {
            cl.getErr().println("dbrescue: " + e.getMessage());
            cl.getErr().flush();
            return 2;
        }
        context = RunContext.start(config, overrides, debug, saveDebugLog, Arrays.asList(args), secrets);
        String command = commandPath(parseResult);
        // what a killed dbrescue left running or lying around (throwaway servers, containers, temporary folders)
        io.dbrescue.run.Leftovers.sweep(io.dbrescue.container.Podman::removeRun).forEach(line -> {
            cl.getErr().println(line);
            cl.getErr().flush();
        });
        int exit = 1;
        try {
            boolean help = helpAsked(parseResult);
            java.util.Optional<String> refused = help ? java.util.Optional.empty() : context.refusal(command);
            if (refused.isPresent()) {
                cl.getErr().println("dbrescue: " + refused.get());
                cl.getErr().flush();
                exit = io.dbrescue.run.RunResult.BAD_INPUT;
                return exit;
            }
            if (!help && !command.startsWith("config")) {
                context.warnAboutSettings();
            }
            exit = new CommandLine.RunLast().execute(parseResult);
            return exit;
        } catch (CommandLine.ExecutionException e) {
            context.error("command", e.getCause() != null ? e.getCause() : e);
            throw e; // ConsoleErrors.unexpected says it in one line (the trace goes to the log)
        } finally {
            context.finish(exit, cl.getErr());
        }
    }

    /** The backup folder the command reads (its BACKUP_DIR, or the resumed run's); null when it has none. */
    private static Path backupOf(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult sub = parseResult.subcommand();
        if (sub == null) {
            return null;
        }
        for (CommandLine.Model.PositionalParamSpec p : sub.matchedPositionals()) {
            if ("BACKUP_DIR".equals(p.paramLabel()) && p.getValue() instanceof Path path) {
                return path;
            }
        }
        String resume = sub.matchedOptionValue("--resume", null);
        if (resume != null) {
            try {
                return io.dbrescue.run.Journal.load(resume).plan().request().backupRoot();
            } catch (java.io.IOException | RuntimeException e) {
                return null; // the command says what is wrong with the run id
            }
        }
        return null;
    }

    /** "recover", "config show", "" for no command. */
    private static String commandPath(CommandLine.ParseResult parseResult) {
        StringBuilder b = new StringBuilder();
        for (CommandLine.ParseResult p = parseResult.subcommand(); p != null; p = p.subcommand()) {
            b.append(b.length() == 0 ? "" : " ").append(p.commandSpec().name());
        }
        return b.toString();
    }

    private static boolean helpAsked(CommandLine.ParseResult parseResult) {
        return parseResult.asCommandLineList().stream()
                .anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested());
    }

    /** This run's context; null before the command line was parsed. */
    public RunContext context() {
        return context;
    }

    @Override
    public Integer call() {
        return GuiCommand.open(null, context);
    }

    /** The version from the jar's manifest. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"dbrescue " + (v == null ? "(development build)" : v)};
        }
    }
}
