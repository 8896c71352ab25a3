package io.dbrescue.gui;

import io.dbrescue.Engines;
import io.dbrescue.scan.ScanListener;
import io.dbrescue.scan.ScanResult;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.concurrent.Service;
import javafx.concurrent.Task;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs the engine's scanner off the FX thread and reports progress through FX properties. */
public final class ScanService extends Service<ScanResult> {
    private volatile Path folder;
    private final ReadOnlyStringWrapper live = new ReadOnlyStringWrapper("");

    public void setFolder(Path folder) {
        this.folder = folder;
    }

    /** "1,234 folders, 56,789 files, 3 databases so far" while running. */
    public ReadOnlyStringProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    @Override
    protected Task<ScanResult> createTask() {
        Path target = folder;
        return new Task<>() {
            private final AtomicBoolean pending = new AtomicBoolean();
            private volatile int found;
            private volatile long dirs;
            private volatile long files;

            @Override
            protected ScanResult call() throws Exception {
                return Engines.scanner().scan(target, new ScanListener() {
                    @Override
                    public void found(io.dbrescue.scan.Finding finding) {
                        found++;
                        publish();
                    }

                    @Override
                    public void progress(long directories, long fileCount) {
                        dirs = directories;
                        files = fileCount;
                        publish();
                    }

                    @Override
                    public boolean cancelled() {
                        return isCancelled();
                    }
                });
            }

            /** Coalesces updates so the FX thread gets at most one pending runnable. */
            private void publish() {
                if (pending.compareAndSet(false, true)) {
                    Platform.runLater(() -> {
                        pending.set(false);
                        live.set(String.format("%,d folders, %,d files, %d database(s) so far", dirs, files, found));
                    });
                }
            }
        };
    }
}
