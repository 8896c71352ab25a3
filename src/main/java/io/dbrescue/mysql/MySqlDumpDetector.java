package io.dbrescue.mysql;

import io.dbrescue.scan.Compression;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.FileDetector;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mysqldump / mariadb-dump output (plain SQL, also gzip/zstd/xz/bzip2 compressed). With comments on
 * (the default) it starts with "-- MySQL dump 10.x  Distrib ..." or "-- MariaDB dump ..." (newer
 * mariadb-dump put a "/*M!999999\- enable the sandbox mode *&#47;" line before it), names the server
 * in "-- Server version", and ends with "-- Dump completed on ...".
 */
final class MySqlDumpDetector implements FileDetector {
    private static final Pattern DUMP_LINE = Pattern.compile(
            "^-- (MySQL|MariaDB) dump ([^\\s,]+)(?:\\s+Distrib ([^\\s,]+))?,? for ",
            Pattern.MULTILINE);
    private static final Pattern SERVER_LINE = Pattern.compile("^-- Server version\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern HOST_DB_LINE = Pattern.compile("^-- Host: .*?Database: (\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+\\.\\d+)");
    private static final String SANDBOX = "/*M!999999\\- enable the sandbox mode */";
    private static final String NO_COMMENTS_START = "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;";
    private static final byte[] COMPLETED = "-- Dump completed".getBytes(StandardCharsets.US_ASCII);

    @Override
    public Finding detect(Sample file) throws IOException {
        byte[] content = file.contentHead();
        if (content.length < 20 || !(content[0] == '-' || content[0] == '/' || content[0] == '\n')) {
            return null;
        }
        String head = new String(content, StandardCharsets.ISO_8859_1);
        Matcher dump = DUMP_LINE.matcher(head);
        boolean withComments = dump.find() && dump.start() < 200;
        boolean sandbox = head.startsWith(SANDBOX);
        if (!withComments) {
            String rest = sandbox ? head.substring(SANDBOX.length()).stripLeading() : head.stripLeading();
            if (!rest.startsWith(NO_COMMENTS_START)) {
                return null;
            }
        }
        Finding f = withComments ? withComments(dump, head) : withoutComments(sandbox);
        Compression c = file.compression();
        f.format(c == Compression.NONE ? "plain" : "plain-" + c.id());

        Scan scan = scan(file, withComments);
        addDatabases(f, scan, head);
        if (scan.streamError != null) {
            f.problem(Status.DAMAGED, "The " + c.id() + " file is cut short or corrupt (" + scan.streamError
                    + "): the end of the dump is missing, so restoring it would lose data. Look for a "
                    + "complete copy of this dump.");
        } else if (withComments) {
            if (!scan.completed) {
                f.problem(Status.DAMAGED, "The dump does not end with \"-- Dump completed\": it was cut short "
                        + "(disk full, interrupted copy or dump). Restoring it would lose the missing part.");
            }
            f.detail("complete", scan.completed);
        }
        return f;
    }

    /** A dump with its header comments: the server and version from "-- Server version", else from the dump line. */
    private static Finding withComments(Matcher dump, String head) {
        Engine engine;
        String version = null;
        String tool = dump.group(1);
        // "10.19  Distrib 10.11.6-MariaDB" (MySQL, MariaDB up to 11.3) or "10.19-11.4.5-MariaDB" (11.4+)
        String distrib = dump.group(3) != null ? dump.group(3) : dump.group(2);
        Matcher server = SERVER_LINE.matcher(head);
        String serverVersion = server.find() ? server.group(1) : null;
        if (serverVersion != null) {
            engine = serverVersion.toLowerCase().contains("mariadb") ? Engine.MARIADB : Engine.MYSQL;
            Matcher v = VERSION.matcher(serverVersion);
            version = v.find() ? v.group(1) : null;
        } else {
            engine = tool.equals("MariaDB") || distrib.contains("MariaDB") ? Engine.MARIADB : Engine.MYSQL;
        }
        Finding f = new Finding(engine, Kind.DUMP).version(version);
        f.detail("dumpTool", dump.group().substring(3, dump.group().length() - 5).trim().replaceAll(",$", ""));
        f.detail("serverVersion", serverVersion);
        return f;
    }

    /** A dump made with --skip-comments: MariaDB's sandbox line is the only clue to the server. */
    private static Finding withoutComments(boolean sandbox) {
        Engine engine = sandbox ? Engine.MARIADB : Engine.MYSQL;
        Finding f = new Finding(engine, Kind.DUMP);
        f.warn("This dump was made without comments (--skip-comments), so it does not say which server "
                + "or version it came from"
                + (sandbox ? "" : " (it may be MariaDB rather than MySQL)")
                + ", and whether it is complete cannot be told.");
        return f;
    }

    /** The databases the dump creates (or its "-- Host: ... Database:" line names), system schemas apart. */
    private static void addDatabases(Finding f, Scan scan, String head) {
        Set<String> dbs = new LinkedHashSet<>(scan.databases);
        if (dbs.isEmpty()) {
            Matcher h = HOST_DB_LINE.matcher(head);
            if (h.find()) {
                dbs.add(h.group(1));
            }
        }
        List<String> user = new ArrayList<>();
        List<String> system = new ArrayList<>();
        for (String db : dbs) {
            (MySqlDataDirectoryDetector.SYSTEM_SCHEMAS.contains(db) ? system : user).add(db);
        }
        f.databases(user);
        if (!system.isEmpty()) {
            f.detail("systemDatabases", system);
        }
    }

    private record Scan(Set<String> databases, boolean completed, String streamError) {
    }

    /**
     * Streams the content once, line by line on bytes (lines of extended INSERTs can be megabytes long),
     * collecting "-- Current Database: `x`" and "USE `x`;" lines, and keeping the tail for
     * "-- Dump completed". For an uncompressed file the tail is read from the end of the file.
     */
    private static Scan scan(Sample file, boolean withComments) throws IOException {
        Set<String> dbs = new LinkedHashSet<>();
        byte[] tail = new byte[4096];
        long total = 0;
        String error = null;
        try (InputStream in = file.openContent()) {
            byte[] buf = new byte[1 << 16];
            byte[] line = new byte[512];
            int lineLen = 0;
            boolean atStart = true;
            boolean keep = false;
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (atStart) {
                        keep = b == '-' || b == 'U';
                        lineLen = 0;
                        atStart = false;
                    }
                    if (b == '\n') {
                        if (keep) {
                            database(line, lineLen, dbs);
                        }
                        atStart = true;
                    } else if (keep) {
                        if (lineLen < line.length) {
                            line[lineLen++] = b;
                        } else {
                            keep = false;
                        }
                    }
                }
                // keep the last 4096 bytes
                if (n >= tail.length) {
                    System.arraycopy(buf, n - tail.length, tail, 0, tail.length);
                } else {
                    System.arraycopy(tail, n, tail, 0, tail.length - n);
                    System.arraycopy(buf, 0, tail, tail.length - n, n);
                }
                total += n;
            }
        } catch (IOException | RuntimeException e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        byte[] end;
        if (file.compression() == Compression.NONE) {
            end = ReadOnly.tail(file.path(), 4096);
        } else {
            int len = (int) Math.min(total, tail.length);
            end = java.util.Arrays.copyOfRange(tail, tail.length - len, tail.length);
        }
        return new Scan(dbs, withComments && endsCompleted(end), error);
    }

    /** "-- Dump completed" on one of the last lines (only blank lines may follow it). */
    static boolean endsCompleted(byte[] end) {
        String s = new String(end, StandardCharsets.ISO_8859_1).stripTrailing();
        int last = s.lastIndexOf('\n');
        String lastLine = s.substring(last + 1);
        return lastLine.startsWith(new String(COMPLETED, StandardCharsets.ISO_8859_1));
    }

    private static final Pattern CURRENT_DB = Pattern.compile("^(?:-- Current Database: |USE )`((?:[^`]|``)+)`");

    private static void database(byte[] line, int len, Set<String> dbs) {
        if (len < 6) return;
        String s = new String(line, 0, len, StandardCharsets.UTF_8);
        Matcher m = CURRENT_DB.matcher(s);
        if (m.find()) {
            dbs.add(m.group(1).replace("``", "`"));
        }
    }
}
