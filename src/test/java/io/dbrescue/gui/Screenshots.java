package io.dbrescue.gui;

import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A window's picture at 1100×750 and at 800×600, into DIR/NAME-1100x750.png and DIR/NAME-800x600.png when
 * {@code -Ddbrescue.screenshots=DIR} is given (the rendering is JavaFX's own, as the headless tests draw it).
 */
final class Screenshots {
    private Screenshots() {
    }

    static void both(FxRobot robot, Stage stage, String name) throws Exception {
        String dir = System.getProperty("dbrescue.screenshots");
        if (dir == null) {
            return;
        }
        for (int[] size : new int[][] {{1100, 750}, {800, 600}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            WaitForAsyncUtils.waitForFxEvents();
            save(robot, stage, Path.of(dir).resolve(name + "-" + size[0] + "x" + size[1] + ".png"));
        }
        robot.interact(() -> {
            stage.setWidth(1100);
            stage.setHeight(750);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    static void save(FxRobot robot, Stage stage, Path file) throws Exception {
        AtomicReference<WritableImage> shot = new AtomicReference<>();
        robot.interact(() -> shot.set(stage.getScene().snapshot(null)));
        WritableImage img = shot.get();
        PixelReader px = img.getPixelReader();
        BufferedImage out = new BufferedImage((int) img.getWidth(), (int) img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, px.getArgb(x, y));
            }
        }
        ImageIO.write(out, "png", file.toFile());
    }
}
