package io.dbrescue.gui;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/** Small helpers the step views share. */
final class Ui {
    private Ui() {
    }

    /** Writes a file the user named. */
    interface Export {
        void to(Path file) throws IOException;
    }

    static Label text(String text, String... styles) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.getStyleClass().addAll(styles);
        return l;
    }

    static Button button(String mnemonicText, String id, Runnable action) {
        Button b = new Button(mnemonicText);
        b.setMnemonicParsing(true);
        b.setId(id);
        b.setMinWidth(Region.USE_PREF_SIZE); // a button's words are never cut short
        b.setOnAction(e -> action.run());
        return b;
    }

    /** Whether the keyboard can go to this node now: it takes focus, is shown and enabled. */
    static boolean canTakeFocus(Node n) {
        return n.isFocusTraversable() && !n.isDisabled() && shown(n);
    }

    /** Whether the node and every parent of it are visible. */
    static boolean shown(Node n) {
        for (Node x = n; x != null; x = x.getParent()) {
            if (!x.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** The first node under {@code root}, in the order Tab visits them, that can take the keyboard; null if none. */
    static Node firstFocusable(Node root) {
        if (root instanceof javafx.scene.control.Control && canTakeFocus(root)) {
            return root;
        }
        if (root instanceof javafx.scene.Parent p && root.isVisible()) {
            for (Node child : p.getChildrenUnmodifiable()) {
                Node found = firstFocusable(child);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Asks where to save, then writes; a failure is said in words. */
    static void export(Node owner, Export how, String name) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save as");
        chooser.setInitialFileName(name);
        File file = chooser.showSaveDialog(owner.getScene().getWindow());
        if (file != null) {
            try {
                how.to(file.toPath());
            } catch (io.dbrescue.plan.BackupGuard.InsideBackup e) {
                new Alert(Alert.AlertType.ERROR, e.getMessage()).showAndWait();
            } catch (IOException e) {
                new Alert(Alert.AlertType.ERROR, "Could not write " + file + ": " + e.getMessage()
                        + " Choose a folder you can write to.").showAndWait();
            }
        }
    }
}
