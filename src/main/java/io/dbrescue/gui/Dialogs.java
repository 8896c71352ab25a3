package io.dbrescue.gui;

/** Questions the wizard asks the user; the window shows an Alert, tests answer directly. */
@FunctionalInterface
public interface Dialogs {
    boolean confirm(String title, String message, String yesText);
}
