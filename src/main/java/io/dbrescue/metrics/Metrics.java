package io.dbrescue.metrics;

import io.dbrescue.history.Outcome;
import io.dbrescue.history.RunRecord;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The values the metrics endpoint shows, updated by the engine from any thread: progress of the
 * current recovery (bytes done / total, phase, throughput), runs by outcome and a histogram of
 * restore durations (seeded from history at start, so the numbers survive restarts).
 */
public final class Metrics {
    /** Upper bounds of the restore-duration buckets, in seconds. */
    static final double[] BUCKETS = {10, 30, 60, 300, 900, 1800, 3600, 7200, 21600};

    private long bytesDone;
    private long bytesTotal;
    private String phase = "idle";
    private double throughput;
    private final Map<Outcome, Long> runs = new EnumMap<>(Outcome.class);
    private final long[] bucketCounts = new long[BUCKETS.length];
    private long durationCount;
    private double durationSum;

    public Metrics() {
        for (Outcome o : Outcome.values()) {
            runs.put(o, 0L);
        }
    }

    /** Progress of the current recovery, in bytes. */
    public synchronized void progress(long done, long total) {
        bytesDone = done;
        bytesTotal = total;
    }

    /** The current phase (preflight, copy, restore, verify, idle …); shown as a label. */
    public synchronized void phase(String name) {
        phase = name;
    }

    /** Current throughput in bytes per second. */
    public synchronized void throughput(double bytesPerSecond) {
        throughput = bytesPerSecond;
    }

    /** A recovery ended: counts its outcome; successful ones add their duration to the histogram. */
    public synchronized void runFinished(Outcome outcome, Duration duration) {
        runs.merge(outcome, 1L, Long::sum);
        if (outcome == Outcome.SUCCESS) {
            double s = duration.toMillis() / 1000.0;
            for (int i = 0; i < BUCKETS.length; i++) {
                if (s <= BUCKETS[i]) {
                    bucketCounts[i]++;
                }
            }
            durationCount++;
            durationSum += s;
        }
    }

    /** Seeds the counters from past runs (History.read().records()). */
    public synchronized void addHistory(List<RunRecord> records) {
        records.forEach(r -> runFinished(r.outcome(), Duration.ofMillis(r.durationMillis())));
    }

    /** The Prometheus text exposition format, version 0.0.4. */
    public synchronized String render() {
        StringBuilder b = new StringBuilder();
        gauge(b, "dbrescue_bytes_done", "Bytes copied or restored so far in the current recovery.", bytesDone);
        gauge(b, "dbrescue_bytes_total", "Bytes the current recovery has to copy or restore.", bytesTotal);
        head(b, "dbrescue_phase", "The phase of the current recovery (1 for the current phase).", "gauge");
        b.append("dbrescue_phase{phase=\"").append(escape(phase)).append("\"} 1\n");
        gauge(b, "dbrescue_throughput_bytes_per_second", "Current throughput of the recovery.", throughput);
        head(b, "dbrescue_runs_total", "Recoveries by outcome.", "counter");
        runs.forEach((o, n) -> b.append("dbrescue_runs_total{outcome=\"").append(o.id()).append("\"} ").append(n)
                .append('\n'));
        head(b, "dbrescue_restore_duration_seconds", "Duration of successful recoveries.", "histogram");
        for (int i = 0; i < BUCKETS.length; i++) {
            b.append("dbrescue_restore_duration_seconds_bucket{le=\"").append(number(BUCKETS[i])).append("\"} ")
                    .append(bucketCounts[i]).append('\n');
        }
        b.append("dbrescue_restore_duration_seconds_bucket{le=\"+Inf\"} ").append(durationCount).append('\n');
        b.append("dbrescue_restore_duration_seconds_sum ").append(number(durationSum)).append('\n');
        b.append("dbrescue_restore_duration_seconds_count ").append(durationCount).append('\n');
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, double value) {
        head(b, name, help, "gauge");
        b.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void head(StringBuilder b, String name, String help, String type) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String number(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
