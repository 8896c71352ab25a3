package io.dbrescue.cli;

import io.dbrescue.gui.DbRescueApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code dbrescue gui [BACKUP_DIR]}: opens the window, on that folder if given. */
@Command(name = "gui", mixinStandardHelpOptions = true, description = "Opens the window.")
public final class GuiCommand implements Callable<Integer> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GuiCommand.class);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BACKUP_DIR", arity = "0..1", description = "Scan this folder straight away.")
    Path backupDir;

    @Override
    public Integer call() {
        return open(backupDir, RunContext.of(spec));
    }

    /**
     * Opens the window on this folder (null: none) with the settings of this start (--config, --set) and returns
     * when it is closed; 1 when there is no display to open it on.
     */
    static int open(Path backupDir, RunContext context) {
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null
                && System.getProperty("glass.platform") == null) {
            System.err.println("dbrescue: no display found, so the window cannot open. Run it in a desktop "
                    + "session, or use the command line: dbrescue scan BACKUP_DIR (see dbrescue --help).");
            return 1;
        }
        try {
            // the window's runs go the command line's road: one service, made here with this start's settings
            // (what a run of the window should tell besides its log — no metrics endpoint — goes to the log file)
            DbRescueApp.launch(backupDir, context.service(notice -> LOG.warn("{}", notice)));
        } catch (UnsupportedOperationException e) { // JavaFX: "Unable to open DISPLAY", "Unable to load glass GTK library."
            LOG.info("the window could not open", e);
            String display = System.getenv("WAYLAND_DISPLAY") != null ? System.getenv("WAYLAND_DISPLAY")
                    : System.getenv("DISPLAY");
            System.err.println("dbrescue: " + WindowStartProblem.message(e.getMessage(), display));
            return 1;
        }
        return 0;
    }
}
