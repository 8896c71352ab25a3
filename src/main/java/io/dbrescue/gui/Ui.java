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
        b.setOnAction(e -> action.run());
        return b;
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
