package io.dbrescue.cli;

import io.dbrescue.gui.DbRescueApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code dbrescue gui [BACKUP_DIR]}: opens the window, on that folder if given. */
@Command(name = "gui", mixinStandardHelpOptions = true, description = "Opens the window.")
public final class GuiCommand implements Callable<Integer> {
    @Parameters(paramLabel = "BACKUP_DIR", arity = "0..1", description = "Scan this folder straight away.")
    Path backupDir;

    @Override
    public Integer call() {
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null
                && System.getProperty("glass.platform") == null) {
            System.err.println("dbrescue: no display found, so the window cannot open. Run it in a desktop "
                    + "session, or use the command line: dbrescue scan BACKUP_DIR (see dbrescue --help).");
            return 1;
        }
        DbRescueApp.launch(backupDir);
        return 0;
    }
}
