package io.dbrescue;

import io.dbrescue.cli.GuiCommand;
import io.dbrescue.cli.PlanCommand;
import io.dbrescue.cli.RecoverCommand;
import io.dbrescue.cli.ScanCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Entry point: {@code dbrescue} opens the window; {@code dbrescue scan DIR} and friends run on a console. */
@Command(name = "dbrescue", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Finds the databases in a backup and brings them back after an OS reinstall.%n"
                + "Without a command it opens the window.",
        subcommands = {ScanCommand.class, PlanCommand.class, RecoverCommand.class, GuiCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public Integer call() {
        return new GuiCommand().call();
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
