package io.dbrescue.gui;

import io.dbrescue.machine.TargetOptions;
import javafx.beans.Observable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.util.List;

/**
 * What the user typed into one card of the Target step. Empty fields mean "what dbrescue found". The password
 * lives here, in memory only, and goes to this card's engines alone ({@link WizardModel#secrets()}).
 */
public final class ServerForm {
    private final ServerCard card;
    public final StringProperty host = new SimpleStringProperty("");
    public final StringProperty port = new SimpleStringProperty("");
    public final StringProperty user = new SimpleStringProperty("");
    /** Never written anywhere: handed to the plan and the run in memory only. */
    public final StringProperty password = new SimpleStringProperty("");
    /** Where the data goes: a data directory for a server, the folder the files are copied into for files. */
    public final StringProperty folder = new SimpleStringProperty("");

    ServerForm(ServerCard card) {
        this.card = card;
    }

    public ServerCard card() {
        return card;
    }

    /** The fields whose change makes the plan out of date (the password goes to the run as it is then). */
    List<Observable> planInputs() {
        return List.of(host, port, user, folder);
    }

    /**
     * This card's values as the options of its engines; null when every field is empty (what discovery finds).
     * Files go into a folder, created when missing; a server's folder is its data directory.
     */
    public TargetOptions options() {
        String h = blankToNull(host.get());
        String p = blankToNull(port.get());
        String u = blankToNull(user.get());
        String f = blankToNull(folder.get());
        if (h == null && p == null && u == null && f == null) {
            return null;
        }
        Integer portNumber = p == null || !TargetViewModel.portProblem(p).isEmpty() ? null : Integer.valueOf(p);
        Path dir = f == null ? null : Path.of(f).toAbsolutePath().normalize();
        return new TargetOptions(h, portNumber, u, null, dir, null, card == ServerCard.FILES && dir != null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
