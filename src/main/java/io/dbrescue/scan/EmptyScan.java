package io.dbrescue.scan;

import java.util.List;

/**
 * What to tell a person whose scan found no database: what was looked at, what dbrescue looks for, and the
 * usual cause — a backup disk that is not mounted leaves an empty folder where it should be. Written once for
 * every front end.
 */
public final class EmptyScan {
    /** What the detectors recognise, in words. */
    public static final String LOOKS_FOR = "dbrescue looks for PostgreSQL and MySQL / MariaDB data directories, "
            + "their dumps (pg_dump, pg_dumpall, mysqldump, mariadb-dump, also compressed), SQLite files, Redis "
            + "snapshots (dump.rdb) and append-only files, and MongoDB data folders and dumps. It knows them by "
            + "what is inside, whatever their names.";
    private static final int SKIPPED_SHOWN = 3;

    private EmptyScan() {
    }

    /** One line: nothing found, and how much was looked at. */
    public static String headline(ScanResult r) {
        if (isEmptyFolder(r)) {
            return r.root() + " is empty: there is nothing in it to look at.";
        }
        return "No database found in " + r.root() + ": dbrescue looked at " + count(r.stats().files(), "file")
                + " in " + count(r.stats().directories(), "folder") + ".";
    }

    /** The question to ask oneself (is the disk mounted, is it the right folder), then what is looked for. */
    public static String advice(ScanResult r) {
        return (isEmptyFolder(r)
                ? "Is the backup disk mounted? The folder a disk is mounted on stays empty until it is."
                : "Is the backup disk mounted, and is this the folder that holds the copy of the old system "
                        + "(its /var/lib, /home or dumps)?") + "\n\n" + LOOKS_FOR;
    }

    /**
     * The full explanation (the window): the headline, the advice, the first things skipped. The command line
     * prints the headline and the advice, then its own full list of what was skipped.
     */
    public static String explain(ScanResult r) {
        StringBuilder b = new StringBuilder(headline(r)).append("\n\n").append(advice(r));
        List<ScanWarning> skipped = r.warnings();
        if (!skipped.isEmpty()) {
            b.append("\n\n").append(count(skipped.size(), "item")).append(skipped.size() == 1 ? " was" : " were")
                    .append(" skipped:");
            skipped.stream().limit(SKIPPED_SHOWN).forEach(w -> b.append("\n• ").append(w.path()).append(": ")
                    .append(w.message()));
            if (skipped.size() > SKIPPED_SHOWN) {
                b.append("\n• and ").append(skipped.size() - SKIPPED_SHOWN).append(" more");
            }
        }
        return b.toString();
    }

    /** Nothing under the root at all (the scan counts the root itself as one folder). */
    static boolean isEmptyFolder(ScanResult r) {
        return r.stats().files() == 0 && r.stats().directories() <= 1 && r.warnings().isEmpty();
    }

    /** "1 file", "2,345 files". */
    static String count(long n, String noun) {
        return io.dbrescue.text.Wording.count(n, noun);
    }
}
