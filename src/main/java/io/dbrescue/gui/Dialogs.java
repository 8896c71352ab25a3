package io.dbrescue.gui;

/** Questions the wizard asks the user; the window shows an Alert, tests answer directly. */
@FunctionalInterface
public interface Dialogs {
    boolean confirm(String title, String message, String yesText);

    /**
     * A question with several answers; returns the index of the one chosen, or the last (the one that changes
     * nothing) when the dialog is closed. By default the first answer against the last, through {@link #confirm}.
     */
    default int choose(String title, String message, String... answers) {
        return confirm(title, message, answers[0]) ? 0 : answers.length - 1;
    }
}
