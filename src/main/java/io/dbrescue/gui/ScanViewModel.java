package io.dbrescue.gui;

import io.dbrescue.text.Wording;

import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ScanListener;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.Status;
import io.dbrescue.text.Sizes;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** Step 2: scans the folder in the background with a live count; the user ticks what to bring back. */
public final class ScanViewModel implements StepViewModel {
    private static final String NOTHING_YET = "Nothing found yet.";
    private final WizardModel model;
    private final RecoveryService service;
    private final Jobs jobs;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final BooleanProperty scanning = new SimpleBooleanProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty emptyText = new SimpleStringProperty(NOTHING_YET);
    private final StringBinding blocked;
    private Jobs.Job job;

    /** One line of the table: a finding and whether it is chosen. */
    public static final class Row {
        private final Finding finding;
        private final BooleanProperty chosen = new SimpleBooleanProperty();

        Row(Finding finding, boolean chosen) {
            this.finding = finding;
            this.chosen.set(chosen);
        }

        public Finding finding() {
            return finding;
        }

        public BooleanProperty chosen() {
            return chosen;
        }
    }

    public ScanViewModel(WizardModel model, RecoveryService service, Jobs jobs) {
        this.model = model;
        this.service = service;
        this.jobs = jobs;
        blocked = Bindings.createStringBinding(this::whyBlocked, scanning, error, model.scan, model.chosen);
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public BooleanProperty scanning() {
        return scanning;
    }

    /** The live count while scanning, the totals after. */
    public StringProperty status() {
        return status;
    }

    @Override
    public ObservableStringValue blocked() {
        return blocked;
    }

    /** What the empty table says: nothing yet while scanning; after a scan that found nothing, why and what to check. */
    public ObservableStringValue emptyText() {
        return emptyText;
    }

    /** Scans when the folder is new (going back and forth does not scan again). */
    @Override
    public void entered() {
        ScanResult done = model.scan.get();
        if (!scanning.get() && (done == null || !done.root().equals(absolute(model.folder.get())))) {
            scan();
        }
    }

    public void scan() {
        if (scanning.get()) {
            return;
        }
        Path folder = Path.of(model.folder.get().trim());
        rows.clear();
        model.chosen.clear();
        model.scan.set(null);
        model.plan.set(null);
        error.set("");
        emptyText.set(NOTHING_YET);
        scanning.set(true);
        status.set("Scanning " + folder + " …");
        AtomicLong found = new AtomicLong();
        job = jobs.start("scan", u -> service.scan(folder, new ScanListener() {
            private volatile long dirs;
            private volatile long files;

            @Override
            public void found(Finding finding) {
                found.incrementAndGet();
                show();
            }

            @Override
            public void progress(long directories, long fileCount) {
                dirs = directories;
                files = fileCount;
                show();
            }

            private void show() {
                String text = "Scanning: " + Wording.count(dirs, "folder") + ", " + Wording.count(files, "file") + ", "
                        + Wording.count(found.get(), "database") + " so far";
                u.post("live", () -> {
                    if (scanning.get()) {
                        status.set(text);
                    }
                });
            }

            @Override
            public boolean cancelled() {
                return u.cancelled();
            }
        }), this::succeeded, this::failed);
    }

    public void cancel() {
        if (job != null && scanning.get()) {
            job.cancel();
        }
    }

    private void succeeded(ScanResult result) {
        scanning.set(false);
        model.scan.set(result);
        for (Finding f : result.findings()) {
            Row row = new Row(f, f.getStatus() == Status.OK);
            row.chosen.addListener((o, was, now) -> syncChosen());
            rows.add(row);
        }
        syncChosen();
        if (result.findings().isEmpty()) {
            status.set(io.dbrescue.scan.EmptyScan.headline(result));
            emptyText.set(io.dbrescue.scan.EmptyScan.explain(result));
            return;
        }
        status.set(Wording.count(result.findings().size(), "database") + " found in "
                + Wording.count(result.stats().files(), "file") + " and "
                + Wording.count(result.stats().directories(), "folder")
                + String.format(java.util.Locale.ROOT, " (%.1f s)", result.stats().elapsedMillis() / 1000.0)
                + (result.warnings().isEmpty() ? "." : "; " + Wording.count(result.warnings().size(), "item") + " skipped."));
    }

    private void failed(Throwable t) {
        scanning.set(false);
        String folder = model.folder.get();
        String message;
        if (t instanceof CancellationException) {
            message = "Scan cancelled. Press Scan again to start over, or Back to choose another folder.";
        } else {
            String problem = io.dbrescue.scan.BackupFolder.problem(folder, t);
            message = problem != null ? problem : "The scan stopped: " + t.getMessage();
        }
        error.set(message);
        status.set(message);
    }

    private void syncChosen() {
        model.chosen.setAll(rows.stream().filter(r -> r.chosen.get()).map(Row::finding).toList());
        model.plan.set(null);
    }

    private String whyBlocked() {
        if (scanning.get()) {
            return "Wait for the scan to finish, or cancel it.";
        }
        if (!error.get().isEmpty()) {
            return error.get();
        }
        ScanResult r = model.scan.get();
        if (r == null) {
            return "Scan the folder first.";
        }
        if (r.findings().isEmpty()) {
            return "No database found. Go Back to choose another folder, or mount the backup disk and press Scan again.";
        }
        return model.chosen.isEmpty() ? "Tick at least one database to bring back." : "";
    }

    private static String absolute(String folder) {
        return Path.of(folder.trim()).toAbsolutePath().normalize().toString();
    }

    /** The state column: clean / copied while running / damaged / incomplete. */
    public static String state(Finding f) {
        return switch (f.getStatus()) {
            case DAMAGED -> "damaged";
            case INCOMPLETE -> "incomplete";
            case OK -> f.getCleanShutdown() == null ? "ok"
                    : f.getCleanShutdown() ? "clean shutdown" : "copied while running";
        };
    }

    /** The State column: the state, and how many warnings the details pane lists ("clean shutdown · 1 warning"). */
    public static String stateAndWarnings(Finding f) {
        int n = f.getWarnings().size();
        return state(f) + (n == 0 ? "" : " · " + n + (n == 1 ? " warning" : " warnings"));
    }

    /** The details pane: databases inside, the engine's facts, warnings. */
    public static String details(Finding f) {
        StringBuilder b = new StringBuilder();
        b.append(f.getEngine().displayName()).append(' ').append(Wording.kind(f.getKind().id()))
                .append(f.getVersion() == null ? "" : " (version " + f.getVersion() + ")").append('\n')
                .append(f.getPath()).append("\n")
                .append(Sizes.human(f.getSizeBytes())).append(", ").append(state(f)).append("\n\n");
        if (f.getFormat() != null) {
            b.append("Format: ").append(f.getFormat()).append('\n');
        }
        b.append("Databases: ").append(f.getDatabases().isEmpty() ? "(not known without a server)"
                : String.join(", ", f.getDatabases())).append('\n');
        Map<String, Object> d = f.getDetails();
        if (!d.isEmpty()) {
            b.append('\n').append(d.entrySet().stream().map(e -> Wording.detailLabel(e.getKey()) + ": " + Wording.detailValue(e.getValue()))
                    .collect(Collectors.joining("\n"))).append('\n');
        }
        if (!f.getWarnings().isEmpty()) {
            b.append("\nWarnings:\n").append(f.getWarnings().stream().map(w -> "• " + Wording.forWindow(w))
                    .collect(Collectors.joining("\n"))).append('\n');
        }
        return b.toString();
    }
}
