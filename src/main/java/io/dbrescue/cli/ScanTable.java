package io.dbrescue.cli;

import io.dbrescue.scan.EmptyScan;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.scan.ScanWarning;
import io.dbrescue.text.Sizes;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The human-readable form of a scan: one row per finding, then the warnings. */
final class ScanTable {
    private static final String[] HEADERS = {"ENGINE", "KIND", "VERSION", "SIZE", "STATE", "PATH"};
    private final ScanResult result;

    ScanTable(ScanResult result) {
        this.result = result;
    }

    void print(PrintWriter out) {
        out.println("Backup: " + result.root());
        if (result.findings().isEmpty()) {
            // the window's words (what was looked at, is the disk mounted, what dbrescue looks for)
            out.println(EmptyScan.headline(result));
            out.println();
            out.println(EmptyScan.advice(result));
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADERS);
            for (Finding f : result.findings()) {
                rows.add(new String[] {f.getEngine().displayName(), f.getKind().id(),
                        f.getVersion() == null ? "?" : f.getVersion(), Sizes.human(f.getSizeBytes()), state(f),
                        f.getPath()});
            }
            int[] widths = new int[HEADERS.length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
                }
                out.println(line.toString().stripTrailing());
            }
            for (Finding f : result.findings()) {
                for (String w : f.getWarnings()) {
                    out.println("  " + f.getPath() + ": " + w);
                }
            }
            out.println(result.findings().size() + " database(s) found in " + result.stats().files() + " files, "
                    + result.stats().directories() + " folders, " + result.stats().elapsedMillis() + " ms.");
        }
        if (!result.warnings().isEmpty()) {
            out.println();
            out.println("Skipped or suspicious (" + result.warnings().size() + "):");
            for (ScanWarning w : result.warnings()) {
                out.println("  " + w.path() + ": " + w.message());
            }
        }
    }

    private static String state(Finding f) {
        return switch (f.getStatus()) {
            case DAMAGED -> "damaged";
            case INCOMPLETE -> "incomplete";
            case OK -> f.getCleanShutdown() == null ? "ok"
                    : f.getCleanShutdown() ? "clean" : "not shut down";
        };
    }
}
