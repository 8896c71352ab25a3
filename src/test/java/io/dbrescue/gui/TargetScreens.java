package io.dbrescue.gui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

/**
 * Screenshots of the Target and Pre-flight steps over the real engine and this machine (docs only; not a test):
 * under Xvfb, {@code java -cp target/test-classes:target/dbrescue.jar io.dbrescue.gui.TargetScreens\$Launch
 * BACKUP OUT_DIR WIDTH HEIGHT}; each page is taken with ImageMagick's {@code import -window root}.
 */
public final class TargetScreens extends Application {
    /** The entry point (a class that is not an Application, so the shaded jar's JavaFX is used). */
    public static final class Launch {
        public static void main(String[] args) {
            Application.launch(TargetScreens.class, args);
        }
    }

    @Override
    public void start(Stage stage) throws Exception {
        List<String> a = getParameters().getRaw();
        Path backup = Path.of(a.get(0));
        Path out = Path.of(a.get(1));
        int w = Integer.parseInt(a.get(2));
        int h = Integer.parseInt(a.get(3));
        Path state = Files.createTempDirectory("dbrescue-screens");
        System.setProperty("dbrescue.state.dir", state.toString());
        WizardView view = DbRescueApp.create(stage, EngineServices.real(state), new FxJobs(), null);
        stage.setScene(new Scene(view, w, h));
        stage.setX(0);
        stage.setY(0);
        stage.show();
        Wizard wz = view.wizard();
        Thread t = new Thread(() -> {
            try {
                fx(() -> wz.model.folder.set(backup.toString()));
                fx(wz.navigation::next);
                until(() -> fx(() -> wz.model.scan.get() != null));
                fx(wz.navigation::next);
                until(() -> fx(() -> wz.model.target.get() != null));
                fx(() -> wz.model.form(ServerCard.FILES).folder.set("/tmp/restored"));
                shot(out.resolve("wizard-3-target-" + w + "x" + h + ".png"));
                fx(wz.navigation::next);
                until(() -> fx(() -> wz.model.plan.get() != null));
                fx(wz.navigation::next);
                Thread.sleep(1500);
                shot(out.resolve("wizard-5-preflight-" + w + "x" + h + ".png"));
            } catch (Exception e) {
                e.printStackTrace();
            }
            Platform.exit();
        });
        t.setDaemon(true);
        t.start();
    }

    private static void shot(Path file) throws Exception {
        Thread.sleep(1200);
        new ProcessBuilder("/usr/bin/import", "-window", "root", file.toString()).inheritIO().start().waitFor();
    }

    private static void until(Callable<Boolean> done) throws Exception {
        long end = System.currentTimeMillis() + 120_000;
        while (!done.call() && System.currentTimeMillis() < end) {
            Thread.sleep(200);
        }
    }

    private static void fx(Runnable r) throws Exception {
        call(() -> {
            r.run();
            return true;
        });
    }

    private static boolean fx(BooleanSupplier b) throws Exception {
        return call(b::getAsBoolean);
    }

    private static <T> T call(Callable<T> c) throws Exception {
        FutureTask<T> task = new FutureTask<>(c);
        Platform.runLater(task);
        return task.get();
    }
}
