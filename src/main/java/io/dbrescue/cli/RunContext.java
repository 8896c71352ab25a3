package io.dbrescue.cli;

import ch.qos.logback.classic.Level;
import io.dbrescue.app.RescueService;
import io.dbrescue.history.History;
import io.dbrescue.logging.DebugBundle;
import io.dbrescue.logging.LogSetup;
import io.dbrescue.logging.Redactor;
import io.dbrescue.run.Secrets;
import io.dbrescue.settings.AppPaths;
import io.dbrescue.settings.Settings;
import io.dbrescue.settings.SettingsReadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one invocation of dbrescue shares between Main and the commands: the folders, the effective
 * settings (file, then --set overrides), the passwords (dbrescue's environment), logging as chosen by
 * --debug / log_level and, with --save-debug-log, the debug bundle (which collects every external command).
 * The commands reach the engine through {@link #service}, made with these settings. Main makes the context
 * before the command runs and {@link #finish} writes the bundle after.
 */
public final class RunContext {
    private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);

    private final AppPaths paths;
    private final Path configFile;
    private final Map<String, String> overrides;
    private final Settings settings;
    private final SettingsReadException readError;
    private final DebugBundle bundle;
    private final Path bundleFile;
    private final Path logFile;
    private final Secrets secrets;
    private boolean missingConfig;

    /** Commands that act on the settings' values, so they refuse to run on settings with problems. */
    private static final java.util.Set<String> STRICT = java.util.Set.of("recover", "plan", "verify");
    /** Commands that create the settings file, so a --config FILE that is not there yet is fine. */
    private static final java.util.Set<String> CREATES = java.util.Set.of("config set", "config init");

    private RunContext(AppPaths paths, Path configFile, Map<String, String> overrides, Settings settings,
                       SettingsReadException readError, DebugBundle bundle, Path bundleFile, Path logFile,
                       Secrets secrets) {
        this.secrets = secrets;
        this.paths = paths;
        this.configFile = configFile;
        this.overrides = Map.copyOf(overrides);
        this.settings = settings;
        this.readError = readError;
        this.bundle = bundle;
        this.bundleFile = bundleFile;
        this.logFile = logFile;
    }

    /** Loads the settings and configures logging for this run. */
    public static RunContext start(Path config, Map<String, String> overrides, boolean debug, Path saveDebugLog,
                                   List<String> args, Secrets secrets) {
        AppPaths paths = AppPaths.current();
        Path file = config != null ? config.toAbsolutePath() : paths.configFile();
        Settings settings;
        SettingsReadException readError = null;
        try {
            settings = Settings.load(file).withOverrides(overrides);
        } catch (SettingsReadException e) {
            readError = e;
            settings = Settings.defaults(file).withOverrides(overrides);
        }
        String property = System.getProperty("dbrescue.log.level");
        Level level = debug ? Level.DEBUG
                : property != null ? Level.toLevel(property, Level.WARN) : LogSetup.level(settings.logLevel());
        io.dbrescue.run.StateDir.tighten(); // folders 0700, files 0600, also those made by older versions
        Path logFile = LogSetup.configureRun(level, paths.logDir()).orElse(null);
        LOG.debug("dbrescue {} on Java {}; settings from {} ({}); log file {}", version(),
                System.getProperty("java.runtime.version"), file, settings.fileExists() ? "present" : "not present",
                logFile);
        settings.values().forEach((id, v) -> LOG.debug("setting {} = {} ({})", id, v.raw(), v.source()));
        DebugBundle bundle = null;
        if (saveDebugLog != null) {
            bundle = new DebugBundle(Redactor.global());
            bundle.recordArguments(args);
            bundle.recordSettings(settings);
            if (readError != null) {
                bundle.recordError("settings", readError.getMessage());
            }
            LogSetup.collectCommands(bundle); // every external command of this run goes into it
        }
        RunContext ctx = new RunContext(paths, file, overrides, settings, readError, bundle, saveDebugLog, logFile,
                secrets);
        ctx.missingConfig = config != null && !java.nio.file.Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return ctx;
    }

    private static String version() {
        String v = RunContext.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** The context of the running command: Main's, or a fresh default one when a command runs on its own (tests). */
    public static RunContext of(picocli.CommandLine.Model.CommandSpec spec) {
        Object root = spec.root().userObject();
        if (root instanceof Main m && m.context() != null) {
            return m.context();
        }
        return start(null, Map.of(), false, null, List.of(), Secrets.environment());
    }

    public AppPaths paths() {
        return paths;
    }

    /** The settings file of this run (--config FILE, else the XDG location). */
    public Path configFile() {
        return configFile;
    }

    public Map<String, String> overrides() {
        return overrides;
    }

    /** The effective settings; defaults (plus overrides) when the file could not be read — see {@link #readError()}. */
    public Settings settings() {
        return settings;
    }

    public Optional<SettingsReadException> readError() {
        return Optional.ofNullable(readError);
    }

    /** The passwords of this invocation: dbrescue's environment (PGPASSWORD=… dbrescue recover …). */
    public Secrets secrets() {
        return secrets;
    }

    /**
     * The application service with this run's settings and history; what the user should be told besides errors
     * (the metrics endpoint could not start) goes to {@code err}.
     */
    public RescueService service(PrintWriter err) {
        return service(notice -> {
            err.println("dbrescue: " + notice);
            err.flush();
        });
    }

    /** The application service with this run's settings and history; {@code notices} hears what to tell the user. */
    public RescueService service(java.util.function.Consumer<String> notices) {
        return new RescueService(settings, new History(paths.historyFile()), notices);
    }

    /** The debug bundle when --save-debug-log was given. */
    public Optional<DebugBundle> bundle() {
        return Optional.ofNullable(bundle);
    }

    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    /** Records a step in the debug bundle (no-op without --save-debug-log). */
    public void step(String name, Duration duration, String outcome, String detail) {
        if (bundle != null) {
            bundle.recordStep(name, duration, outcome, detail);
        }
    }

    /** Records an error in the debug bundle (no-op without --save-debug-log). */
    public void error(String where, Throwable t) {
        if (bundle != null) {
            bundle.recordError(where, t);
        }
    }

    /**
     * Why {@code command} ("recover", "config show"...) must not run with these settings, or empty: a
     * {@code --config FILE} that does not exist stops every command but those that create it; an
     * unreadable file or bad values stop the commands that act on them (recover, plan, verify), as
     * an unknown --set key does. The config commands show and validate report the problems themselves.
     */
    public Optional<String> refusal(String command) {
        if (missingConfig && !CREATES.contains(command)) {
            return Optional.of("the settings file " + configFile + " given with --config does not exist. Check the "
                    + "path, or create the file with: dbrescue --config " + configFile + " config init");
        }
        if (!STRICT.contains(command)) {
            return Optional.empty();
        }
        if (readError != null) {
            return Optional.of(readError.getMessage() + " Nothing was done.");
        }
        if (!settings.isValid()) {
            return Optional.of(new io.dbrescue.settings.InvalidSettingsException(settings).getMessage());
        }
        return Optional.empty();
    }

    /** Commands other than config go on with defaults when the settings have problems; this says so once. */
    public void warnAboutSettings() {
        if (readError != null) {
            LOG.warn("{} The defaults are used for this command.", readError.getMessage());
        } else if (!settings.problems().isEmpty()) {
            LOG.warn("the settings have {} problem(s), so their defaults are used for this command; "
                    + "`dbrescue config validate` lists them. First: {}", settings.problems().size(),
                    settings.problems().get(0));
        }
    }

    /** Writes the debug bundle, if one was asked for. */
    public void finish(int exitCode, PrintWriter err) {
        if (bundle == null) {
            return;
        }
        bundle.recordStep("exit", Duration.ZERO, String.valueOf(exitCode), null);
        try {
            bundle.write(bundleFile);
            err.println("dbrescue: debug log saved to " + bundleFile + " (passwords removed). Attach it to your bug report.");
        } catch (IOException e) {
            err.println("dbrescue: could not save the debug log to " + bundleFile + ": " + e.getMessage()
                    + ". Give a path in a folder you can write to.");
        }
        err.flush();
    }
}
