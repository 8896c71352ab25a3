package io.dbrescue.gui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TableView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.stage.Window;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The user guide's pictures of every step, taken from the real window on a real display (run it under Xvfb):
 * the real scanner on BACKUP, the stand-in planner and runner of {@link WizardDemo}. Walks Source → Summary,
 * with the question Cancel asks on the way, then an EMPTY folder's scan, saving each as OUT/wizard-N-step[SUFFIX].png.
 * <pre>
 * installer/with-xvfb.sh -s 1280x800 java -Ddemo.stepMillis=300 -cp target/test-classes:target/dbrescue.jar \
 *     'io.dbrescue.gui.WizardScreenshots$Launch' docs/images 1100 750 "" BACKUP EMPTY
 * </pre>
 * (a SUFFIX such as "-800x600" keeps the pictures of a smaller window apart).
 */
public final class WizardScreenshots extends Application {
    private Path out;
    private String suffix;
    private Stage stage;
    private WizardView view;

    /** The entry point (a class that is not an Application, so the jar's JavaFX is used). */
    public static final class Launch {
        public static void main(String[] args) {
            Application.launch(WizardScreenshots.class, args);
        }
    }

    @Override
    public void start(Stage primary) throws Exception {
        List<String> a = getParameters().getRaw();
        out = Files.createDirectories(Path.of(a.get(0)));
        suffix = a.get(3);
        stage = primary;
        Platform.setImplicitExit(false); // the walk opens a second window after closing the first
        open(Double.parseDouble(a.get(1)), Double.parseDouble(a.get(2)));
        Thread walk = new Thread(() -> {
            int exit = 0;
            try {
                walk(Path.of(a.get(4)).toAbsolutePath(), Path.of(a.get(5)).toAbsolutePath());
            } catch (Exception | AssertionError e) {
                e.printStackTrace();
                exit = 1;
            }
            System.exit(exit);
        }, "screenshots");
        walk.setDaemon(true);
        walk.start();
    }

    private void open(double width, double height) {
        view = DbRescueApp.create(stage, new WizardDemo.DemoService(), new FxJobs(), null);
        stage.setTitle("dbrescue — bring back the databases from a backup");
        stage.setScene(new Scene(view, width, height));
        stage.show();
    }

    private void walk(Path backup, Path empty) throws Exception {
        Wizard w = view.wizard();
        fx(() -> w.model.folder.set(backup.toString()));
        shot("wizard-1-source");
        next();
        waitFor(() -> w.model.scan.get() != null);
        fx(() -> table("#findings").getSelectionModel().select(firstDataDirectory(w)));
        shot("wizard-2-scan");
        Platform.runLater(w.navigation::cancel); // asks, in a nested event loop
        Window close = waitForDialog("Close dbrescue?");
        shot(close, "wizard-close-question");
        answer(close, "Keep working");
        next();
        waitFor(() -> !w.target.facts().isEmpty());
        shot("wizard-3-target");
        next();
        waitFor(() -> !w.strategy.decisions().isEmpty() && !w.model.planning.get());
        shot("wizard-4-strategy");
        next();
        shot("wizard-5-preflight");
        next();
        fx(() -> table("#steps").getSelectionModel().select(1));
        shot("wizard-6-preview");
        Platform.runLater(w.navigation::next); // asks, in a nested event loop
        Window confirm = waitForDialog("Run the restore?");
        shot(confirm, "wizard-6-confirm");
        answer(confirm, "Run");
        waitFor(() -> w.run.log().size() >= 3);
        shot("wizard-7-run");
        waitFor(() -> w.navigation.current().get() == WizardStep.SUMMARY);
        shot("wizard-8-summary");

        fx(() -> {
            double width = view.getScene().getWidth();
            double height = view.getScene().getHeight();
            stage.close();
            stage = new Stage();
            open(width, height);
            view.wizard().model.folder.set(empty.toString());
        });
        Wizard e = view.wizard();
        next();
        waitFor(() -> e.model.scan.get() != null);
        shot("wizard-2-scan-empty");
    }

    private static int firstDataDirectory(Wizard w) {
        List<ScanViewModel.Row> rows = w.scan.rows();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).finding().getKind() == io.dbrescue.scan.Kind.DATA_DIRECTORY) {
                return i;
            }
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private TableView<Object> table(String id) {
        return (TableView<Object>) view.lookup(id);
    }

    private void next() throws Exception {
        fx(() -> view.wizard().navigation.next());
    }

    private Window waitForDialog(String title) throws Exception {
        waitFor(() -> Window.getWindows().stream().anyMatch(x -> x instanceof Stage s && title.equals(s.getTitle())));
        return call(() -> Window.getWindows().stream().filter(x -> x instanceof Stage s && title.equals(s.getTitle()))
                .findFirst().orElseThrow());
    }

    private void answer(Window dialog, String text) throws Exception {
        fx(() -> {
            DialogPane pane = (DialogPane) dialog.getScene().getRoot();
            for (ButtonType b : pane.getButtonTypes()) {
                if (b.getText().equals(text)) {
                    ((Button) pane.lookupButton(b)).fire();
                }
            }
        });
    }

    private void shot(String name) throws Exception {
        Thread.sleep(400); // the last changes laid out and drawn
        shot(stage, name);
    }

    private void shot(Window window, String name) throws Exception {
        Thread.sleep(300);
        WritableImage img = call(() -> window.getScene().snapshot(null));
        PixelReader px = img.getPixelReader();
        BufferedImage png = new BufferedImage((int) img.getWidth(), (int) img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                png.setRGB(x, y, px.getArgb(x, y));
            }
        }
        Path file = out.resolve(name + suffix + ".png");
        ImageIO.write(png, "png", file.toFile());
        System.out.println("saved " + file);
    }

    private static void waitFor(BooleanSupplier condition) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (call(condition::getAsBoolean)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out");
    }

    private static void fx(Runnable r) throws Exception {
        call(() -> {
            r.run();
            return null;
        });
    }

    private static <T> T call(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        return f.get();
    }
}
