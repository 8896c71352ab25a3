package io.dbrescue.cli;

import io.dbrescue.settings.Key;
import io.dbrescue.settings.Keys;
import io.dbrescue.settings.Problem;
import io.dbrescue.settings.Settings;
import io.dbrescue.settings.SettingsFile;
import io.dbrescue.settings.SettingsReadException;
import io.dbrescue.settings.Suggest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code dbrescue config show|set|validate|init}: the settings in recovery.conf. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Shows, changes and checks the settings (recovery.conf; docs/configuration.md lists every key).",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Set.class, ConfigCommand.Validate.class,
                ConfigInit.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (validate: the file is valid)", "1:the file could not be written",
                "2:invalid settings, an unknown key or value, or an unreadable file"})
public final class ConfigCommand implements Callable<Integer> {
    public static final int EXIT_INVALID = 2;
    public static final int EXIT_WRITE_FAILED = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_INVALID;
    }

    /** {@code config show}: every effective value and where it came from. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints every setting's effective value and where it came from "
                    + "(default, FILE:LINE or command line).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            RunContext ctx = RunContext.of(spec);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (ctx.readError().isPresent()) {
                err.println("dbrescue: " + ctx.readError().get().getMessage());
                return EXIT_INVALID;
            }
            Settings s = ctx.settings();
            out.println("Settings file: " + s.file() + (s.fileExists() ? "" : " (not there: defaults in effect)"));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"KEY", "VALUE", "SOURCE"});
            s.values().forEach((id, v) -> rows.add(new String[] {id, v.raw().isEmpty() ? "(empty)" : v.raw(),
                    v.source().toString()}));
            int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0) + 2;
            int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0) + 2;
            for (String[] r : rows) {
                out.println(String.format("%-" + w0 + "s%-" + w1 + "s%s", r[0], r[1], r[2]));
            }
            out.flush();
            if (!s.problems().isEmpty()) {
                err.println("dbrescue: " + s.problems().size() + " problem(s); the values above are the defaults "
                        + "for these keys:");
                s.problems().forEach(p -> err.println(p));
                err.flush();
            }
            return 0;
        }
    }

    /** {@code config set KEY VALUE}: changes one value in the file, keeping everything else. */
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Changes one setting in the settings file (comments and other lines are kept). "
                    + "KEY as in `config show`: max_parallel_operations, images.postgresql, binaries.postgresql_16.")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", arity = "1")
        String value;

        @Override
        public Integer call() {
            RunContext ctx = RunContext.of(spec);
            PrintWriter err = spec.commandLine().getErr();
            Optional<Key> k = Keys.byId(key);
            if (k.isEmpty()) {
                err.println("dbrescue: unknown key '" + key + "'." + Suggest.hint(key, Keys.ids())
                        + " `dbrescue config show` lists the keys; binary folders are binaries.ENGINE_VERSION "
                        + "(e.g. binaries.postgresql_16).");
                return EXIT_INVALID;
            }
            try {
                k.get().parse(value);
            } catch (IllegalArgumentException e) {
                err.println("dbrescue: " + k.get().id() + ": " + e.getMessage());
                return EXIT_INVALID;
            }
            Path file = ctx.configFile();
            try {
                SettingsFile.set(file, k.get(), value.strip());
            } catch (SettingsReadException e) {
                err.println("dbrescue: " + e.getMessage());
                return EXIT_INVALID;
            } catch (IOException e) {
                err.println("dbrescue: could not write " + file + ": " + e.getMessage()
                        + ". Check that its folder exists and belongs to you, or use --config FILE.");
                return EXIT_WRITE_FAILED;
            }
            spec.commandLine().getOut().println(k.get().id() + " = " + value.strip() + " (saved in " + file + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code config validate [FILE]}: one line per problem, exit 2 when there is any. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Checks a settings file (default: the one in use). Prints one line per problem, "
                    + "FILE:LINE: key: message, and exits 2 when there is any.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", arity = "0..1", description = "The file to check.")
        Path file;

        @Override
        public Integer call() {
            RunContext ctx = RunContext.of(spec);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path f = file != null ? file.toAbsolutePath() : ctx.configFile();
            Settings s;
            try {
                s = Settings.load(f).withOverrides(ctx.overrides());
            } catch (SettingsReadException e) {
                err.println("dbrescue: " + e.getMessage());
                err.flush();
                return EXIT_INVALID;
            }
            if (s.problems().isEmpty()) {
                out.println(f + ": " + (Files.exists(f) ? "valid." : "not there; the defaults are in effect (valid)."));
                out.flush();
                return 0;
            }
            for (Problem p : s.problems()) {
                out.println(p);
            }
            out.flush();
            err.println("dbrescue: " + s.problems().size() + " problem(s). Fix each line above (or change it with "
                    + "`dbrescue config set KEY VALUE`); docs/configuration.md lists every key and its values.");
            err.flush();
            return EXIT_INVALID;
        }
    }
}
