package io.dbrescue.postgres.scan;

import io.dbrescue.scan.Compression;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ReadOnly;
import io.dbrescue.scan.Sample;
import io.dbrescue.scan.Status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Plain SQL output of pg_dump ("-- PostgreSQL database dump", "-- Dumped from database version X",
 * "-- Dumped by pg_dump version Y", ending with "-- PostgreSQL database dump complete") and of
 * pg_dumpall ("-- PostgreSQL database cluster dump", one "-- Database \"name\" dump" section per
 * database, ending with "-- PostgreSQL database cluster dump complete"), raw or in gzip/zstd/xz/bzip2.
 * Since pg_dump 17.6 / 16.10 / 15.14 a backslash-restrict KEY line follows the header and
 * a backslash-unrestrict KEY line the end marker. Text is scanned line by line as a stream, never held whole.
 */
final class PgPlainDump {
    private static final String DUMP = "-- PostgreSQL database dump";
    private static final String CLUSTER = "-- PostgreSQL database cluster dump";
    private static final String FROM = "-- Dumped from database version ";
    private static final String BY = "-- Dumped by pg_dump version ";
    private static final int TAIL = 4096;
    /** For a single-database dump the database lines (CREATE DATABASE, \connect) come right after the header. */
    private static final int SINGLE_DB_SCAN = 256 * 1024;

    private PgPlainDump() {
    }

    /** 0 = not a plain dump, 1 = pg_dump, 2 = pg_dumpall; from the first lines of the content. */
    static int kindOf(byte[] content) {
        String text = new String(content, 0, Math.min(content.length, 512), StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", 8);
        for (int i = 0; i < Math.min(lines.length - 1, 6); i++) {
            String line = lines[i].stripTrailing();
            if (line.equals(DUMP)) {
                return 1;
            }
            if (line.equals(CLUSTER)) {
                return 2;
            }
            if (!line.isEmpty() && !line.equals("--")) {
                return 0;
            }
        }
        return 0;
    }

    static Finding detect(Sample s, int kind) throws IOException {
        Compression c = s.compression();
        boolean dumpall = kind == 2;
        String format = c == Compression.NONE ? "plain" : "plain-" + c.id();
        Scan scan = new Scan();
        boolean cut = false;
        String cutWhy = null;
        long limit = c == Compression.NONE && !dumpall ? SINGLE_DB_SCAN : Long.MAX_VALUE;
        try (InputStream in = s.openContent()) {
            scan.run(in, limit);
        } catch (IOException | RuntimeException e) {
            cut = true;
            cutWhy = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        byte[] tail = c == Compression.NONE ? ReadOnly.tail(s.path(), TAIL) : scan.tail();
        String tailText = new String(tail, StandardCharsets.UTF_8);
        if (!dumpall && scan.pgDumpVersion == null && scan.serverVersion == null) {
            s.suspicious("Starts with \"" + DUMP + "\" but has no \"Dumped from/by\" lines of pg_dump; "
                    + "not taken as a PostgreSQL dump.");
            return null;
        }
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DUMP).format(format)
                .version(PgArchiveHeader.shortVersion(scan.serverVersion))
                .databases(new ArrayList<>(dumpall ? userDatabases(scan.databases) : scan.databases))
                .detail("serverVersion", scan.serverVersion)
                .detail("pgDumpVersion", scan.pgDumpVersion)
                .detail("compression", c == Compression.NONE ? "none" : c.id());
        if (dumpall) {
            f.detail("dumpall", true);
            if (scan.databases.contains("template1")) {
                f.detail("allDatabases", new ArrayList<>(scan.databases));
            }
            if (!scan.databasesSection && scan.databases.isEmpty() && !cut) {
                f.detail("globalsOnly", true);
                f.warn("This pg_dumpall output holds only roles and tablespaces (pg_dumpall --globals-only), "
                        + "no databases; it does not say which server version it came from.");
            }
        }
        if (scan.restrict) {
            f.warn("The dump uses \\restrict (pg_dump 17.6, 16.10, 15.14, 14.19, 13.22 or newer): load it with a psql "
                    + "of those releases or newer; an older psql reports \"invalid command \\restrict\".");
        }
        if (cut) {
            f.problem(Status.DAMAGED, "The compressed file is cut short or corrupt (" + cutWhy + "): the dump inside "
                    + "ends early, so loading it would stop partway with part of the data missing. Look for a complete copy.");
        } else if (!tailText.contains(dumpall ? CLUSTER + " complete" : DUMP + " complete")) {
            f.problem(Status.DAMAGED, "The dump is cut short: it does not end with \""
                    + (dumpall ? CLUSTER : DUMP) + " complete\", which pg_dump" + (dumpall ? "all" : "")
                    + " writes last. Loading it would stop partway with part of the data missing. Look for a complete copy.");
        }
        return f;
    }

    /** pg_dumpall's databases without template1 (dumped only for its settings; every cluster has one). */
    private static List<String> userDatabases(Set<String> all) {
        return all.stream().filter(d -> !d.equals("template1") && !d.equals("template0")).toList();
    }

    /** Streams the text: collects version lines and database names, keeps the last bytes. */
    static final class Scan {
        String serverVersion;
        String pgDumpVersion;
        boolean restrict;
        boolean databasesSection;
        final Set<String> databases = new LinkedHashSet<>();
        private boolean inCopy;
        private final byte[] tail = new byte[TAIL];
        private int tailLen;
        private final byte[] line = new byte[1024];
        private int lineLen;
        private boolean capturing = true;
        private boolean atLineStart = true;

        void run(InputStream in, long limit) throws IOException {
            // small reads: a decompressor that hits a cut-short end throws away what it decoded in that read
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while (total < limit && (n = in.read(buf)) > 0) {
                total += n;
                keepTail(buf, n);
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (atLineStart) {
                        atLineStart = false;
                        lineLen = 0;
                        capturing = inCopy ? b == '\\' : (b == '-' || b == '\\' || b == 'C');
                    }
                    if (b == '\n') {
                        if (capturing) {
                            onLine(new String(line, 0, lineLen, StandardCharsets.UTF_8));
                        }
                        atLineStart = true;
                    } else if (capturing && lineLen < line.length) {
                        line[lineLen++] = b;
                    }
                }
            }
        }

        private void keepTail(byte[] buf, int n) {
            if (n >= TAIL) {
                System.arraycopy(buf, n - TAIL, tail, 0, TAIL);
                tailLen = TAIL;
            } else {
                int keep = Math.min(tailLen, TAIL - n);
                System.arraycopy(tail, tailLen - keep, tail, 0, keep);
                System.arraycopy(buf, 0, tail, keep, n);
                tailLen = keep + n;
            }
        }

        byte[] tail() {
            return java.util.Arrays.copyOf(tail, tailLen);
        }

        void onLine(String l) {
            if (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
            }
            if (inCopy) {
                if (l.equals("\\.")) {
                    inCopy = false;
                }
                return;
            }
            if (l.startsWith("COPY ") && l.endsWith("FROM stdin;")) {
                inCopy = true;
            } else if (l.startsWith(FROM)) {
                if (serverVersion == null) {
                    serverVersion = l.substring(FROM.length()).strip();
                }
            } else if (l.startsWith(BY)) {
                if (pgDumpVersion == null) {
                    pgDumpVersion = l.substring(BY.length()).strip();
                }
            } else if (l.equals("-- Databases")) {
                databasesSection = true;
            } else if (l.startsWith("-- Database \"") && l.endsWith("\" dump")) {
                databases.add(l.substring("-- Database \"".length(), l.length() - "\" dump".length()));
            } else if (l.startsWith("-- Name: ") && l.contains("; Type: DATABASE;")) {
                databases.add(l.substring("-- Name: ".length(), l.indexOf("; Type: DATABASE;")));
            } else if (l.startsWith("CREATE DATABASE ")) {
                String name = identifier(l.substring("CREATE DATABASE ".length()));
                if (name != null) {
                    databases.add(name);
                }
            } else if (l.startsWith("\\connect ")) {
                String name = connectTarget(l.substring("\\connect ".length()).strip());
                if (name != null) {
                    databases.add(name);
                }
            } else if (l.startsWith("\\restrict ")) {
                restrict = true;
            }
        }

        /** A SQL identifier at the start: plain (up to a space or ';') or "double ""quoted""". */
        static String identifier(String s) {
            if (s.startsWith("\"")) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i < s.length(); i++) {
                    char ch = s.charAt(i);
                    if (ch == '"') {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                            b.append('"');
                            i++;
                        } else {
                            return b.toString();
                        }
                    } else {
                        b.append(ch);
                    }
                }
                return null;
            }
            int end = 0;
            while (end < s.length() && s.charAt(end) != ' ' && s.charAt(end) != ';') {
                end++;
            }
            return end == 0 ? null : s.substring(0, end);
        }

        /**
         * psql's \connect argument as pg_dump writes it (appendPsqlMetaConnect): a plain name, or
         * -reuse-previous=on "dbname='it''s'" (conninfo quoting inside psql double quotes). "-" means
         * the same database.
         */
        static String connectTarget(String arg) {
            if (arg.startsWith("-reuse-previous=on ")) {
                String v = arg.substring("-reuse-previous=on ".length()).strip();
                if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
                    v = v.substring(1, v.length() - 1).replace("\"\"", "\"");
                }
                if (v.startsWith("dbname=")) {
                    v = v.substring("dbname=".length());
                    if (v.startsWith("'") && v.endsWith("'") && v.length() >= 2) {
                        StringBuilder b = new StringBuilder();
                        for (int i = 1; i < v.length() - 1; i++) {
                            char ch = v.charAt(i);
                            if (ch == '\\' && i + 1 < v.length() - 1) {
                                ch = v.charAt(++i);
                            }
                            b.append(ch);
                        }
                        return b.toString();
                    }
                    return v;
                }
                return null;
            }
            String name = identifier(arg);
            return name == null || name.equals("-") ? null : name;
        }
    }
}
