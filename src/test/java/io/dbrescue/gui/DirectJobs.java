package io.dbrescue.gui;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** {@link Jobs} for plain JUnit: the work runs at once on the caller's thread. */
final class DirectJobs implements Jobs {
    @Override
    public <T> Job start(String name, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        AtomicBoolean cancel = new AtomicBoolean();
        T value;
        try {
            value = work.call(new Updates() {
                @Override
                public void post(String key, Runnable update) {
                    update.run();
                }

                @Override
                public void append(Runnable update) {
                    update.run();
                }

                @Override
                public boolean cancelled() {
                    return cancel.get();
                }
            });
        } catch (Exception e) {
            onFailure.accept(e);
            return () -> cancel.set(true);
        }
        onSuccess.accept(value);
        return () -> cancel.set(true);
    }
}
