package io.dbrescue.gui;

import javafx.application.Platform;
import javafx.concurrent.Service;
import javafx.concurrent.Task;
import javafx.concurrent.WorkerStateEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@link Jobs} on JavaFX: each piece of work runs as a {@link Service} on a named daemon thread;
 * updates are batched into at most one pending {@code Platform.runLater} per job, so the FX thread
 * only ever does small amounts of work however fast the engine reports.
 */
public final class FxJobs implements Jobs {
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dbrescue-background");
        t.setDaemon(true);
        return t;
    });

    @Override
    public <T> Job start(String name, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        AtomicBoolean cancel = new AtomicBoolean();
        Batch batch = new Batch();
        Updates updates = new Updates() {
            @Override
            public void post(String key, Runnable update) {
                batch.add(key, update);
            }

            @Override
            public void append(Runnable update) {
                batch.add(null, update);
            }

            @Override
            public boolean cancelled() {
                return cancel.get();
            }
        };
        Service<T> service = new Service<>() {
            @Override
            protected Task<T> createTask() {
                return new Task<>() {
                    @Override
                    protected T call() throws Exception {
                        Thread.currentThread().setName("dbrescue-" + name);
                        return work.call(updates);
                    }
                };
            }
        };
        service.setExecutor(threads);
        // the answer comes after the last update so the UI shows the final numbers
        service.setOnSucceeded((WorkerStateEvent e) -> {
            batch.drain();
            onSuccess.accept(service.getValue());
        });
        service.setOnFailed(e -> {
            batch.drain();
            onFailure.accept(service.getException());
        });
        service.start();
        return () -> cancel.set(true);
    }

    /** Updates waiting for the FX thread: keyed ones replace each other, unkeyed ones queue. */
    private static final class Batch {
        private final Map<Object, Runnable> pending = new LinkedHashMap<>();
        private boolean scheduled;
        private int seq;

        synchronized void add(String key, Runnable update) {
            pending.put(key == null ? (Object) Integer.valueOf(seq++) : key, update);
            if (!scheduled) {
                scheduled = true;
                Platform.runLater(this::drain);
            }
        }

        void drain() {
            List<Runnable> run;
            synchronized (this) {
                run = new ArrayList<>(pending.values());
                pending.clear();
                scheduled = false;
            }
            run.forEach(Runnable::run);
        }
    }
}
