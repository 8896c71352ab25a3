package io.dbrescue.gui;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

/**
 * Enter is Next and Escape is Cancel on every step, also when the keyboard is in a table, a list, a text that is
 * only read or on a button. Tables and lists take Enter and Escape for their own editing (start an edit, cancel an
 * edit) even when nothing is being edited, and a focused button swallows Escape, so the window's default and
 * cancel buttons would never hear them; this filter gives the keys to those buttons whenever the control has no
 * use for them. The buttons themselves decide what happens (Next
 * when it is allowed, Cancel asking first).
 */
final class WizardKeys {
    private WizardKeys() {
    }

    static void install(Node window, Button next, Button cancel) {
        window.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.isAltDown() || e.isControlDown() || e.isShiftDown() || e.isMetaDown() || window.getScene() == null) {
                return;
            }
            Node focus = window.getScene().getFocusOwner();
            Button target = e.getCode() == KeyCode.ENTER && notEditing(focus) ? next
                    : e.getCode() == KeyCode.ESCAPE && !inUse(focus) ? cancel : null;
            if (target != null) {
                e.consume();
                if (!target.isDisabled()) {
                    target.fire();
                }
            }
        });
    }

    /**
     * Whether Escape belongs to the focused control: an edit to cancel in a table or list, an open choice list to
     * close. Otherwise (a field, a button, nothing) it is the window's Cancel.
     */
    static boolean inUse(Node focus) {
        if (focus instanceof TableView<?> || focus instanceof ListView<?>) {
            return !notEditing(focus);
        }
        return focus instanceof ComboBoxBase<?> c && c.isShowing() || focus instanceof ChoiceBox<?> b && b.isShowing();
    }

    /**
     * Where Enter means Next although the control would take it: a table, list or read-only text with nothing
     * being edited in it, a radio button or a check box.
     */
    static boolean notEditing(Node focus) {
        if (focus instanceof TableView<?> t) {
            return t.getEditingCell() == null;
        }
        if (focus instanceof ListView<?> l) {
            return l.getEditingIndex() < 0;
        }
        // a focused radio button or check box would take Enter as a click (GTK's way); Space and the arrows
        // choose, Enter goes on
        return focus instanceof TextArea a && !a.isEditable() || focus instanceof ToggleButton
                || focus instanceof CheckBox;
    }
}
