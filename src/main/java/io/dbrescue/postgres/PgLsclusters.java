package io.dbrescue.postgres;

import io.dbrescue.machine.DataDirs;
import io.dbrescue.machine.VersionedDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** postgresql-common's own list of clusters (pg_lsclusters), which also knows clusters outside the usual places. */
public final class PgLsclusters {
    private PgLsclusters() {
    }

    /** A row of pg_lsclusters. */
    public record Row(String version, String name, Integer port, String status, String owner, Path dataDir) {
        public boolean online() {
            return status != null && status.startsWith("online");
        }
    }

    /**
     * Parses pg_lsclusters' plain-text table:
     * <pre>
     * Ver Cluster Port Status Owner    Data directory              Log file
     * 15  main    5432 down   postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log
     * </pre>
     * The data directory is taken from its column (it may hold spaces); rows that do not fit are skipped.
     */
    public static List<Row> parse(String text) {
        List<Row> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int dataCol = -1;
        int logCol = -1;
        for (String line : text.split("\\R")) {
            String plain = line.replaceAll("\u001B\\[[0-9;]*m", "");  // colours, should a terminal be assumed
            if (plain.isBlank()) {
                continue;
            }
            if (plain.startsWith("Ver ") && plain.contains("Data directory")) {
                dataCol = plain.indexOf("Data directory");
                logCol = plain.indexOf("Log file");
                continue;
            }
            String[] t = plain.strip().split("\\s+");
            if (t.length < 6 || !VersionedDir.NUMBER.matcher(t[0]).matches()) {
                continue;
            }
            String data = dataColumn(plain, t, dataCol, logCol);
            if (data.startsWith("/")) {
                out.add(new Row(t[0], t[1], DataDirs.parsePort(t[2]), t[3], t[4], Path.of(data)));
            }
        }
        return out;
    }

    private static String dataColumn(String plain, String[] t, int dataCol, int logCol) {
        if (dataCol > 0 && plain.length() > dataCol && plain.charAt(dataCol - 1) == ' ') {
            int end = logCol > dataCol && plain.length() > logCol ? logCol : plain.length();
            return plain.substring(dataCol, end).strip();
        }
        return t[5];
    }
}
