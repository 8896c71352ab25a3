package io.dbrescue.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import io.dbrescue.settings.PrivateFiles;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one place logging is configured (logback, in code: it starts in a fraction of the time XML
 * takes). Found through META-INF/services, it starts with stderr at WARN (or -Ddbrescue.log.level);
 * {@link #configureRun} then applies the run's choice ({@code --debug}, {@code log_level}) and adds
 * the rotating log file. Every line goes through the {@link Redactor}: no password reaches a log.
 * A command's stdout is its answer (a table or JSON) and stays clean. Stack traces go to the log file
 * only: the console shows them (and lines marked {@link #FILE_ONLY}) only at debug level ({@code --debug}).
 * java.util.logging (the PostgreSQL driver's) is routed here too, so it follows the same rules.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements ch.qos.logback.classic.spi.Configurator {
    public static final String LOG_FILE_NAME = "dbrescue.log";
    static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";
    /** The console pattern below debug level: the message line without the stack trace. */
    static final String CONSOLE_PATTERN_NO_TRACE = CONSOLE_PATTERN + "%nopex";
    /**
     * Marks an event that the user has already been told about in words (a failed step, an unexpected
     * error): it goes to the log file with its trace, and to the console only at debug level.
     */
    public static final org.slf4j.Marker FILE_ONLY = org.slf4j.MarkerFactory.getMarker("FILE_ONLY");
    static final String FILE_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    static final FileSize MAX_FILE_SIZE = FileSize.valueOf("5MB");
    static final int FILES_KEPT = 5;

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        install(context, Level.toLevel(System.getProperty("dbrescue.log.level"), Level.WARN), null);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Configures logging for this run: stderr shows {@code consoleLevel} and above; when {@code logDir}
     * is given, {@code logDir/dbrescue.log} (rotated at 5 MB, 5 files kept) gets info and above, or
     * everything the console gets when that is more. Returns the log file, or empty when the folder
     * cannot be created (then only stderr is used, with a warning).
     */
    public static Optional<Path> configureRun(Level consoleLevel, Path logDir) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Path file = null;
        if (logDir != null) {
            try {
                PrivateFiles.folder(logDir);   // logs are for the user only: 0700, files 0600
                if (Files.isWritable(logDir)) {
                    file = PrivateFiles.file(logDir.resolve(LOG_FILE_NAME));
                }
            } catch (IOException | SecurityException e) {
                file = null;
            }
        }
        install(context, consoleLevel, file);
        if (logDir != null && file == null) {
            LoggerFactory.getLogger(LogSetup.class).warn("Cannot write the log folder {}; logging to the console "
                    + "only. Check its owner and permissions, or set XDG_STATE_HOME to a writable folder.", logDir);
        }
        return Optional.ofNullable(file);
    }

    /**
     * Adds every external command from now on to {@code bundle} ({@code --save-debug-log}), whatever the log level:
     * the commands' logger is let through at info, and the console and the log file keep their own thresholds.
     * Until the next {@link #configureRun}.
     */
    public static void collectCommands(DebugBundle bundle) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        CommandCollector collector = new CommandCollector(bundle);
        collector.setContext(context);
        collector.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(collector);
        ch.qos.logback.classic.Logger commands = context.getLogger(CommandLog.class);
        if (!commands.isInfoEnabled()) {
            commands.setLevel(Level.INFO);
        }
    }

    /** Level.toLevel for log_level values, WARN for anything unknown. */
    public static Level level(String name) {
        return Level.toLevel(name, Level.WARN);
    }

    private static synchronized void install(LoggerContext context, Level consoleLevel, Path file) {
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        routeJavaUtilLogging();
        boolean debug = Level.DEBUG.isGreaterOrEqual(consoleLevel);
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder(context, debug ? CONSOLE_PATTERN : CONSOLE_PATTERN_NO_TRACE));
        stderr.addFilter(threshold(context, consoleLevel));
        if (!debug) {
            stderr.addFilter(fileOnly(context));
        }
        stderr.start();
        root.addAppender(stderr);
        Level rootLevel = consoleLevel;
        if (file != null) {
            Level fileLevel = consoleLevel.isGreaterOrEqual(Level.INFO) ? Level.INFO : consoleLevel;
            root.addAppender(rollingFile(context, file, fileLevel));
            rootLevel = fileLevel.isGreaterOrEqual(consoleLevel) ? consoleLevel : fileLevel;
        }
        root.setLevel(rootLevel);
        context.getLogger(CommandLog.class).setLevel(null); // as the root says, until a bundle collects commands
        // JavaFX warns on every start that it runs from the class path (as the jar does): not for the user
        context.getLogger("javafx").setLevel(debug ? null : Level.ERROR);
    }

    private static Appender<ILoggingEvent> rollingFile(LoggerContext context, Path file, Level level) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("file");
        appender.setFile(file.toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file.resolveSibling("dbrescue.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(FILES_KEPT - 1);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(MAX_FILE_SIZE);
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder(context, FILE_PATTERN));
        appender.addFilter(threshold(context, level));
        appender.start();
        return appender;
    }

    private static LayoutWrappingEncoder<ILoggingEvent> encoder(LoggerContext context, String pattern) {
        RedactingLayout layout = new RedactingLayout(pattern, Redactor.global());
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    /** Drops events marked {@link #FILE_ONLY} (the console below debug level). */
    private static ch.qos.logback.core.filter.Filter<ILoggingEvent> fileOnly(LoggerContext context) {
        ch.qos.logback.core.filter.Filter<ILoggingEvent> f = new ch.qos.logback.core.filter.Filter<>() {
            @Override
            public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
                return event.getMarkerList() != null && event.getMarkerList().contains(FILE_ONLY)
                        ? ch.qos.logback.core.spi.FilterReply.DENY : ch.qos.logback.core.spi.FilterReply.NEUTRAL;
            }
        };
        f.setContext(context);
        f.start();
        return f;
    }

    /** java.util.logging prints to stderr by itself (with traces); its records go through logback instead. */
    private static void routeJavaUtilLogging() {
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
    }

    private static ThresholdFilter threshold(LoggerContext context, Level level) {
        ThresholdFilter f = new ThresholdFilter();
        f.setContext(context);
        f.setLevel(level.toString());
        f.start();
        return f;
    }
}
