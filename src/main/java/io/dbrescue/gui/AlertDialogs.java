package io.dbrescue.gui;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;

import java.util.ArrayList;
import java.util.List;

/**
 * The window's {@link Dialogs}: modal alerts. The last answer is the one that changes nothing: Escape and the
 * dialog's close box choose it, and so does Enter (it is the default button), so no key alone replaces data,
 * cancels a run or closes the window.
 */
final class AlertDialogs implements Dialogs {
    @Override
    public boolean confirm(String title, String message, String yesText) {
        return choose(title, message, yesText, "Go back") == 0;
    }

    @Override
    public int choose(String title, String message, String... answers) {
        List<ButtonType> buttons = new ArrayList<>();
        for (int i = 0; i < answers.length; i++) {
            boolean last = i == answers.length - 1;
            buttons.add(new ButtonType(answers[i], last ? ButtonBar.ButtonData.CANCEL_CLOSE
                    : i == 0 ? ButtonBar.ButtonData.OK_DONE : ButtonBar.ButtonData.OTHER));
        }
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, message, buttons.toArray(ButtonType[]::new));
        a.setTitle(title);
        a.setHeaderText(title);
        for (ButtonType b : buttons) {
            ((javafx.scene.control.Button) a.getDialogPane().lookupButton(b)).setDefaultButton(b == buttons.get(buttons.size() - 1));
        }
        ButtonType chosen = a.showAndWait().orElse(buttons.get(buttons.size() - 1));
        return buttons.indexOf(chosen);
    }
}
