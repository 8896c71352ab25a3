package io.dbrescue.redis;

import io.dbrescue.scan.DirectoryDetector;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Entry;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Folder;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.ReadOnly;
import io.dbrescue.scan.Status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The multi-part AOF of Redis 7.0+: a folder (appendonlydir by default) with a manifest
 * ("appendonly.aof.manifest") listing a base file (type b: an RDB, or an AOF when the RDB preamble is
 * off), history files (type h: no longer needed) and increment files (type i: AOF commands, in seq order).
 */
final class AofDirectoryDetector implements DirectoryDetector {
    private static final int MAX_MANIFEST = 1 << 20;

    /** One line of the manifest. */
    record Part(String file, long seq, char type) {
    }

    @Override
    public Finding detect(Folder folder) throws IOException {
        Entry manifestEntry = manifest(folder);
        if (manifestEntry == null) {
            return null;
        }
        byte[] bytes = folder.head(manifestEntry.name(), MAX_MANIFEST);
        List<Part> parts = bytes == null ? null : parse(new String(bytes, StandardCharsets.UTF_8));
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        Finding f = new Finding(Engine.REDIS, Kind.AOF).format("multi-part");
        f.detail("manifest", manifestEntry.name());
        List<Part> incr = new ArrayList<>();
        Part base = null;
        for (Part p : parts) {
            if (p.type() == 'b') {
                base = p;
            } else if (p.type() == 'i') {
                incr.add(p);
            }
        }
        incr.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        f.detail("baseFile", base == null ? null : base.file());
        f.detail("incrFiles", incr.stream().map(Part::file).toList());
        if (base == null && incr.isEmpty()) {
            f.problem(Status.INCOMPLETE, "The AOF manifest " + manifestEntry.name() + " lists no base or increment "
                    + "file: there is nothing Redis could load.");
        }
        List<String> missing = missingFiles(f, folder, parts);
        if (base != null && !missing.contains(base.file())) {
            judgeBase(f, folder, base.file());
        }
        judgeIncrements(f, folder, incr, missing);
        return f;
    }

    /** The first file named *.manifest in the folder, or null. */
    private static Entry manifest(Folder folder) throws IOException {
        for (Entry e : folder.entries()) {
            if (e.isFile() && e.name().endsWith(".manifest")) {
                return e;
            }
        }
        return null;
    }

    /** The base and increment files the manifest lists that are not in the folder (a problem when there are any). */
    private static List<String> missingFiles(Finding f, Folder folder, List<Part> parts) {
        List<String> missing = new ArrayList<>();
        for (Part p : parts) {
            Entry e = p.type() == 'h' ? null : folder.entry(p.file());
            if (p.type() != 'h' && (e == null || !e.isFile())) {
                missing.add(p.file());
            }
        }
        if (!missing.isEmpty()) {
            f.problem(Status.INCOMPLETE, "The AOF manifest lists " + String.join(", ", missing) + (missing.size() == 1
                    ? " but that file is" : " but these files are") + " not in the backup. Redis refuses to start "
                    + "with an incomplete AOF; look for the missing file" + (missing.size() == 1 ? "" : "s")
                    + " in another copy (or restore only what is there, losing those writes).");
        }
        return missing;
    }

    /** How each increment file that is there ends (only the last one may end inside a command). */
    private static void judgeIncrements(Finding f, Folder folder, List<Part> incr, List<String> missing)
            throws IOException {
        for (int k = 0; k < incr.size(); k++) {
            Part p = incr.get(k);
            if (missing.contains(p.file())) {
                continue;
            }
            Path file = folder.path().resolve(p.file());
            Aof.Tail t = Aof.checkEnd(file, 0, folder.entry(p.file()).size());
            RedisFileDetector.judgeTail(f, t, "The AOF part " + p.file(), k == incr.size() - 1);
        }
    }

    private static void judgeBase(Finding f, Folder folder, String name) throws IOException {
        Path file = folder.path().resolve(name);
        long size = folder.entry(name).size();
        byte[] head = folder.head(name, 9);
        if (Rdb.version(head) >= 0) {
            Rdb.Info info = RdbFacts.read(ReadOnly.open(file));
            String ver = info.aux.get("redis-ver");
            f.version(ver);
            f.detail("rdbVersion", info.rdbVersion);
            f.detail("redisVersion", ver);
            RdbFacts.judge(f, info, file, size, "The AOF base snapshot " + name);
        } else {
            Aof.Tail t = Aof.checkEnd(file, 0, size);
            RedisFileDetector.judgeTail(f, t, "The AOF base file " + name, false);
        }
    }

    /** Parses manifest lines "file NAME seq N type b|h|i"; null when the text is not a manifest. */
    static List<Part> parse(String text) {
        List<Part> parts = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words = split(line);
            if (words == null || words.size() % 2 != 0) {
                return null;
            }
            String file = null;
            long seq = -1;
            char type = 0;
            for (int i = 0; i < words.size(); i += 2) {
                String v = words.get(i + 1);
                switch (words.get(i)) {
                    case "file" -> file = v;
                    case "seq" -> {
                        try {
                            seq = Long.parseLong(v);
                        } catch (NumberFormatException e) {
                            return null;
                        }
                    }
                    case "type" -> type = v.length() == 1 ? v.charAt(0) : 0;
                    default -> {
                        // unknown keys are ignored, as Redis does
                    }
                }
            }
            if (file == null || file.contains("/") || seq < 0 || (type != 'b' && type != 'h' && type != 'i')) {
                return null;
            }
            parts.add(new Part(file, seq, type));
        }
        return parts;
    }

    /** Splits on spaces; "quoted words" with \" and \\ escapes (Redis quotes names with spaces). */
    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            StringBuilder w = new StringBuilder();
            if (c == '"') {
                i++;
                boolean closed = false;
                while (i < line.length()) {
                    char d = line.charAt(i++);
                    if (d == '\\' && i < line.length()) {
                        w.append(line.charAt(i++));
                    } else if (d == '"') {
                        closed = true;
                        break;
                    } else {
                        w.append(d);
                    }
                }
                if (!closed) {
                    return null;
                }
            } else {
                while (i < line.length() && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                    w.append(line.charAt(i++));
                }
            }
            out.add(w.toString());
        }
        return out;
    }
}
