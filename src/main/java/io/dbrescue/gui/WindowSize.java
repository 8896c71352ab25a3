package io.dbrescue.gui;

import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The window's size: 1100 × 750, or less on a smaller screen. Screens are measured in the desktop's own units,
 * so a 1920 × 1080 screen at GDK_SCALE=2 offers 960 × 540 and the window fits there too, with every button
 * inside it (the steps are laid out to hold down to that size).
 */
final class WindowSize {
    static final double WIDTH = 1100;
    static final double HEIGHT = 750;
    static final double MIN_WIDTH = 800;
    static final double MIN_HEIGHT = 540;
    /** Room for the title bar and borders a window manager adds around the scene. */
    private static final double DECORATION = 40;

    private WindowSize() {
    }

    static void fit(Stage stage, Parent root) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double width = Math.min(WIDTH, screen.getWidth());
        double height = Math.min(HEIGHT, screen.getHeight() - DECORATION);
        stage.setScene(new Scene(root, width, height));
        stage.setMinWidth(Math.min(MIN_WIDTH, width));
        stage.setMinHeight(Math.min(MIN_HEIGHT, height));
    }
}
