package io.dbrescue.cli;

import io.dbrescue.run.ProgressEvent;
import io.dbrescue.run.ProgressListener;
import io.dbrescue.text.Sizes;

import java.io.PrintWriter;

/** Progress on a terminal: the log lines, and a percentage with throughput and ETA now and then. */
final class ConsoleProgress implements ProgressListener {
    private final PrintWriter out;
    private final boolean tracking;
    private long lastPrint;

    /** @param tracking whether to show percentage, throughput and ETA (enable_progress_tracking) or only the log lines */
    ConsoleProgress(PrintWriter out, boolean tracking) {
        this.out = out;
        this.tracking = tracking;
    }

    @Override
    public void progress(ProgressEvent e) {
        if (e.message() != null) {
            out.println(e.message());
        } else if (tracking && System.nanoTime() - lastPrint > 2_000_000_000L && e.total() > 0) {
            lastPrint = System.nanoTime();
            out.printf("  %3.0f%%  %s of %s  %s/s  %s%n", e.fraction() * 100, Sizes.human(e.done()), Sizes.human(e.total()),
                    Sizes.human((long) e.bytesPerSecond()), e.etaSeconds() < 0 ? "" : "about " + eta(e.etaSeconds()) + " left");
        }
        out.flush();
    }

    private static String eta(long seconds) {
        return seconds < 90 ? seconds + " s" : seconds < 5400 ? (seconds + 30) / 60 + " min" : (seconds + 1800) / 3600 + " h";
    }
}
