package io.dbrescue.gui;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window stays responsive while the real scanner walks a large home-like tree (made by
 * src/bench/make-home-tree.py, 200,000 files, kept under target/ between runs): a probe thread posts
 * a Platform.runLater every 10 ms and measures how long each waits for the FX thread; an
 * AnimationTimer measures the gaps between pulses. Neither may exceed 100 ms.
 */
@ExtendWith(ApplicationExtension.class)
class WizardScanResponsivenessTest {
    static final int FILES = Integer.getInteger("wizard.bench.files", 200_000);
    static final long LIMIT_MS = 100;
    WizardView view;

    /** start() points the state folder here for every test of the class; the next class must not write here. */
    @AfterAll
    static void forgetTheStateFolder() {
        System.clearProperty("dbrescue.state.dir");
    }

    @Start
    void start(Stage stage) {
        Path state = Path.of("target", "gui-test-state").toAbsolutePath();
        System.setProperty("dbrescue.state.dir", state.toString());
        view = DbRescueApp.create(stage, EngineServices.real(state), new FxJobs(), null);
        stage.setScene(new Scene(view, 1100, 720));
        stage.show();
    }

    static Path tree() throws Exception {
        Path dir = Path.of("target", "gui-bench-tree-" + FILES).toAbsolutePath();
        Path done = dir.resolve(".complete");
        if (!Files.exists(done)) {
            Process p = new ProcessBuilder("python3", "src/bench/make-home-tree.py", dir.toString(), String.valueOf(FILES))
                    .inheritIO().start();
            assertThat(p.waitFor()).isZero();
            WizardViewModelTest.sqlite(dir.resolve("home/dev/projects/notes.db"));
            Files.createFile(done);
        }
        return dir;
    }

    @Test
    void theFxThreadIsNeverBlockedDuringALargeScan(FxRobot robot) throws Exception {
        Path tree = tree();
        robot.clickOn("#folder").write(tree.toString());
        WaitForAsyncUtils.waitForFxEvents();

        AtomicLong maxWait = new AtomicLong();
        AtomicLong maxPulseGap = new AtomicLong();
        AtomicLong probes = new AtomicLong();
        AtomicLong lastPulse = new AtomicLong();
        Set<String> liveTexts = ConcurrentHashMap.newKeySet();
        AnimationTimer pulses = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long last = lastPulse.getAndSet(now);
                if (last != 0) {
                    maxPulseGap.accumulateAndGet((now - last) / 1_000_000, Math::max);
                }
                liveTexts.add(view.wizard().scan.status().get()); // what the status label shows
            }
        };
        robot.interact(pulses::start);
        long t0 = System.nanoTime();
        java.util.List<String> slow = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread probe = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long posted = System.nanoTime();
                Platform.runLater(() -> {
                    long waited = (System.nanoTime() - posted) / 1_000_000;
                    if (waited > 50) {
                        slow.add(String.format("%d ms at +%d ms", waited, (posted - t0) / 1_000_000));
                    }
                    maxWait.accumulateAndGet(waited, Math::max);
                    probes.incrementAndGet();
                });
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fx-probe");
        probe.start();
        long start = System.nanoTime();
        robot.clickOn("#next"); // measured too: switching to the scan step happens on the FX thread
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> !view.wizard().scan.scanning().get()
                && view.wizard().model.scan.get() != null);
        long scanMillis = (System.nanoTime() - start) / 1_000_000;
        probe.interrupt();
        probe.join();
        robot.interact(pulses::stop);

        System.out.println("[responsiveness] waits over 50 ms: " + slow);
        String status = robot.lookup("#status").queryAs(Label.class).getText();
        System.out.printf("[responsiveness] %,d files scanned in %d ms; %d probes; longest runLater wait %d ms; "
                + "longest gap between pulses %d ms; %d distinct live texts; status: %s%n", FILES, scanMillis,
                probes.get(), maxWait.get(), maxPulseGap.get(), liveTexts.size(), status);
        assertThat(status).contains("1 database found");
        assertThat(liveTexts.stream().filter(t -> t.startsWith("Scanning:")).count()).as("live count shown").isGreaterThan(1);
        assertThat(maxWait.get()).as("longest wait for the FX thread (ms)").isLessThan(LIMIT_MS);
        assertThat(maxPulseGap.get()).as("longest gap between pulses (ms)").isLessThan(LIMIT_MS);
    }
}
