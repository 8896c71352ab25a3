package io.dbrescue.gui;

import io.dbrescue.scan.Engine;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

/**
 * The user guide's picture of every step (docs only; not a test), taken from the real window with the real engine:
 * Source (a missing folder, then the backup), Scan, Target and Pre-flight with every finding chosen (a card per
 * server; the checks fail while the servers are not running); then the SQLite file alone is restored into a
 * folder (Strategy, Pre-flight, Preview and its question, Run, Summary); then Settings and History. Each picture is
 * the whole Xvfb screen ({@code import -window root}), so the screen must be the window's size. Run it through
 * {@code docs/images/regenerate.sh}, which starts Xvfb at 1100×750 and at 800×600.
 * Arguments: BACKUP OUT_DIR WIDTH HEIGHT RESTORE_INTO STATE_DIR (empty folders outside the backup: where the file
 * goes, and the journals, history and settings file).
 */
public final class StepScreens extends Application {
    private Stage stage;
    private WizardView view;
    private Path out;
    private String size;

    /** The entry point (a class that is not an Application, so the shaded jar's JavaFX is used). */
    public static final class Launch {
        public static void main(String[] args) {
            Application.launch(StepScreens.class, args);
        }
    }

    @Override
    public void start(Stage primary) throws Exception {
        List<String> a = getParameters().getRaw();
        Path backup = Path.of(a.get(0)).toAbsolutePath();
        out = Files.createDirectories(Path.of(a.get(1)));
        int w = Integer.parseInt(a.get(2));
        int h = Integer.parseInt(a.get(3));
        size = w + "x" + h;
        Path into = Path.of(a.get(4)).toAbsolutePath();
        Path state = Files.createDirectories(Path.of(a.get(5)));
        System.setProperty("dbrescue.state.dir", state.toString());
        stage = primary;
        view = DbRescueApp.create(stage, EngineServices.real(state), new RunHeldOpen(new FxJobs()), null);
        stage.setTitle("dbrescue — bring back the databases from a backup");
        stage.setScene(new Scene(view, w, h));
        stage.setX(0);
        stage.setY(0);
        stage.show();
        Thread t = new Thread(() -> {
            int exit = 0;
            try {
                walk(backup, into);
            } catch (Exception | AssertionError e) {
                e.printStackTrace();
                exit = 1;
            }
            System.exit(exit);
        }, "screens");
        t.setDaemon(true);
        t.start();
    }

    private void walk(Path backup, Path into) throws Exception {
        Wizard wz = view.wizard();
        fx(() -> wz.model.folder.set("/media/backup/old-system")); // a backup disk that is not mounted
        untilShown(); // the first picture is taken once the window is on the screen, not only created
        shot("wizard-1-source-missing");
        fx(() -> wz.model.folder.set(backup.toString()));
        shot("wizard-1-source");
        next();
        until(() -> wz.model.scan.get() != null);
        fx(() -> ((javafx.scene.control.TableView<?>) view.lookup("#findings")).getSelectionModel().select(0));
        shot("wizard-2-scan");
        next();
        until(() -> wz.model.target.get() != null);
        fx(() -> wz.model.form(ServerCard.FILES).folder.set(into.toString()));
        shot("wizard-3-target");
        next();
        until(() -> wz.model.plan.get() != null && !wz.model.planning.get());
        next();
        Thread.sleep(1500);
        shot("wizard-5-preflight-failed"); // the servers on this machine are not running
        fx(() -> wz.navigation.jumpTo(WizardStep.SCAN));
        fx(() -> wz.scan.rows().forEach(r -> r.chosen().set(r.finding().getEngine() == Engine.SQLITE)));
        next();
        until(() -> wz.model.target.get() != null);
        fx(() -> wz.model.form(ServerCard.FILES).folder.set(into.toString()));
        next();
        until(() -> wz.model.plan.get() != null && !wz.model.planning.get());
        shot("wizard-4-strategy");
        next();
        Thread.sleep(1500);
        shot("wizard-5-preflight");
        next();
        fx(() -> ((javafx.scene.control.TableView<?>) view.lookup("#steps")).getSelectionModel().select(1));
        shot("wizard-6-preview");
        Platform.runLater(wz.navigation::next); // asks, in a nested event loop
        Window confirm = dialog("Run the restore?");
        shot("wizard-6-confirm");
        answer(confirm, "Run");
        until(() -> wz.run.log().size() >= 2);
        shot("wizard-7-run");
        until(() -> wz.navigation.current().get() == WizardStep.SUMMARY);
        shot("wizard-8-summary");
        page("#openSettings", "dbrescue — Settings", "settings");
        page("#openHistory", "dbrescue — History", "history");
    }

    /**
     * The real jobs, but a finished run is held on the Run page a few seconds before the Summary shows: a
     * SQLite file is restored in well under a second, too fast to take the page while it is up.
     */
    private static final class RunHeldOpen implements Jobs {
        private final Jobs real;

        RunHeldOpen(Jobs real) {
            this.real = real;
        }

        @Override
        public <T> Job start(String name, Work<T> work, java.util.function.Consumer<T> onSuccess,
                java.util.function.Consumer<Throwable> onFailure) {
            Work<T> held = !"run".equals(name) ? work : updates -> {
                T result = work.call(updates);
                Thread.sleep(5000);
                return result;
            };
            return real.start(name, held, onSuccess, onFailure);
        }
    }

    /** Opens a page from the wizard's side bar, takes it, closes it. */
    private void page(String button, String title, String name) throws Exception {
        fx(() -> ((ButtonBase) view.lookup(button)).fire());
        Window w = dialog(title);
        shot(name);
        fx(() -> ((Stage) w).close());
    }

    private void next() throws Exception {
        fx(view.wizard().navigation::next);
    }

    private Window dialog(String title) throws Exception {
        until(() -> Window.getWindows().stream().anyMatch(x -> x instanceof Stage s && title.equals(s.getTitle())));
        return call(() -> Window.getWindows().stream().filter(x -> x instanceof Stage s && title.equals(s.getTitle()))
                .findFirst().orElseThrow());
    }

    private static void answer(Window dialog, String text) throws Exception {
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
        Thread.sleep(1200); // laid out and drawn
        Path file = out.resolve(name + "-" + size + ".png");
        new ProcessBuilder("/usr/bin/import", "-window", "root", file.toString()).inheritIO().start().waitFor();
        System.out.println("saved " + file);
    }

    /** Waits until a window of dbrescue can be seen (xdotool, as a person would see it) and has been drawn. */
    private static void untilShown() throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            Process p = new ProcessBuilder("xdotool", "search", "--onlyvisible", "--name", "dbrescue")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                Thread.sleep(2000); // its first frames are drawn
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the window was not shown within 60 s");
    }

    private static void until(BooleanSupplier done) throws Exception {
        long end = System.currentTimeMillis() + 120_000;
        while (!call(done::getAsBoolean)) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(200);
        }
    }

    private static void fx(Runnable r) throws Exception {
        call(() -> {
            r.run();
            return true;
        });
    }

    private static <T> T call(Callable<T> c) throws Exception {
        FutureTask<T> task = new FutureTask<>(c);
        Platform.runLater(task);
        return task.get();
    }
}
