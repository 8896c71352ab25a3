package io.dbrescue.settings;

import org.ini4j.Config;
import org.ini4j.Ini;
import org.ini4j.InvalidFileFormatException;
import org.ini4j.Profile;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * recovery.conf on disk: parsed with ini4j (plus a line index, which ini4j does not keep, so that
 * messages can name the line) and rewritten with ini4j so that comments and unknown keys survive.
 * Every write goes to a temporary file in the same folder, mode 0600, then is moved over the file.
 */
public final class SettingsFile {
    /** One {@code key = value} line. */
    public record Entry(String section, String name, String value, int line) {
    }

    /** What a file holds, and what is wrong with its shape (syntax, duplicates, keys outside a section). */
    public record Parsed(List<Entry> entries, List<Problem> problems) {
    }

    private static final Pattern INLINE_COMMENT = Pattern.compile("\\s+[#;].*$");
    private static final Pattern PARSE_LINE = Pattern.compile("at line: (\\d+)");

    private SettingsFile() {
    }

    static Config config() {
        Config c = new Config();
        c.setEscape(false);          // paths keep their backslashes
        c.setEmptyOption(true);      // "backup_path =" is an empty value, not null
        c.setGlobalSection(true);    // keys before any [section] are read (and reported), not a parse error
        c.setComment(true);          // comments survive a rewrite
        c.setMultiOption(true);      // duplicates are kept, so they can be reported
        c.setStrictOperator(false);
        return c;
    }

    /** Reads a file that exists; unreadable → SettingsReadException with a message that says what to do. */
    public static Parsed read(Path file) throws SettingsReadException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new SettingsReadException(file + " is a folder, not a settings file. Remove it or point "
                        + "to the settings file with --config FILE.", null);
            }
            bytes = Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw new SettingsReadException("cannot read " + file + ": permission denied. Make it readable "
                    + "(chmod 600 " + file + " as its owner) or use another file with --config FILE.", e);
        } catch (SettingsReadException e) {
            throw e;
        } catch (IOException e) {
            throw new SettingsReadException("cannot read " + file + ": " + e.getMessage()
                    + ". Check the file, or use another one with --config FILE.", e);
        }
        List<Problem> problems = new ArrayList<>();
        String text = decode(file, bytes, problems);
        Parsed parsed = parse(file, text);
        problems.addAll(parsed.problems());
        return new Parsed(parsed.entries(), problems);
    }

    /**
     * The file as text, line by line: a line that is not UTF-8 becomes a problem (and an empty line, so
     * the others keep their numbers and are still checked) instead of making the whole file unreadable.
     */
    static String decode(Path file, byte[] bytes, List<Problem> problems) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                try {
                    lines.add(StandardCharsets.UTF_8.newDecoder()
                            .decode(java.nio.ByteBuffer.wrap(bytes, start, i - start)).toString());
                } catch (java.nio.charset.CharacterCodingException e) {
                    problems.add(new Problem(Source.file(file, lines.size() + 1), "encoding", "this line is not "
                            + "UTF-8 text (the file was saved in another character set); settings files are UTF-8. "
                            + "Retype the line or save the file as UTF-8."));
                    lines.add("");
                }
                start = i + 1;
            }
        }
        return String.join("\n", lines);
    }

    static Parsed parse(Path file, String text) {
        List<Problem> problems = new ArrayList<>();
        String[] source = text.split("\r?\n", -1);
        Ini ini = load(file, source, problems);
        if (ini == null) {
            return new Parsed(List.of(), problems);
        }
        Map<String, List<Integer>> lines = lineIndex(String.join("\n", source));
        List<Entry> entries = new ArrayList<>();
        for (Profile.Section section : ini.values()) {
            String sectionName = section.getName();
            boolean global = sectionName.equals(ini.getConfig().getGlobalSectionName());
            if (!global && !Keys.SECTIONS.contains(sectionName)) {
                int line = lines.getOrDefault("[" + sectionName + "]", List.of(0)).get(0);
                problems.add(new Problem(Source.file(file, line), "[" + sectionName + "]",
                        "unknown section; the sections are [recovery], [images] and [binaries]."
                                + Suggest.hint(sectionName, Keys.SECTIONS)));
                continue;
            }
            for (String name : section.keySet()) {
                List<Integer> at = lines.getOrDefault(sectionName + "\0" + name, List.of(0));
                if (global) {
                    problems.add(new Problem(Source.file(file, at.get(0)), name,
                            "this key is outside any section; put it under [recovery] (or [images] / [binaries])."));
                    continue;
                }
                List<String> values = section.getAll(name);
                if (values.size() > 1) {
                    problems.add(new Problem(Source.file(file, at.get(at.size() - 1)), name,
                            "set more than once (lines " + joined(at) + "); keep one of them."));
                }
                String value = values.get(values.size() - 1);
                value = value == null ? "" : INLINE_COMMENT.matcher(value).replaceFirst("");
                entries.add(new Entry(sectionName, name, value.strip(), at.get(at.size() - 1)));
            }
        }
        return new Parsed(entries, problems);
    }

    /**
     * Loads the lines with ini4j, which stops at the first line it cannot read: that line becomes a
     * problem and is left out, and the rest is read again, so that every bad line is reported (and
     * blanked in {@code lines}). Null when a bad line cannot be told apart.
     */
    private static Ini load(Path file, String[] lines, List<Problem> problems) {
        for (int attempt = 0; attempt <= lines.length; attempt++) {
            Ini ini = new Ini();
            ini.setConfig(config());
            try {
                ini.load(new StringReader(String.join("\n", lines)));
                return ini;
            } catch (InvalidFileFormatException e) {
                Matcher m = PARSE_LINE.matcher(String.valueOf(e.getMessage()));
                int line = m.find() ? Integer.parseInt(m.group(1)) : 0;
                problems.add(new Problem(Source.file(file, line), "syntax", "this line is not [section], "
                        + "key = value or a # comment. Fix or remove it."));
                if (line < 1 || line > lines.length || lines[line - 1].isBlank()) {
                    return null;
                }
                String repaired = repaired(lines[line - 1]);
                lines[line - 1] = repaired.equals(lines[line - 1].strip()) ? "" : repaired;
            } catch (IOException e) {
                throw new IllegalStateException(e);   // a StringReader does not fail
            }
        }
        return null;
    }

    /**
     * What a bad line is read as after it was reported: "[recovery" as [recovery], so that the keys below
     * it are not also reported as outside any section; anything else as nothing.
     */
    private static String repaired(String bad) {
        String name = bad.strip().replace("[", "").replace("]", "").strip();
        return bad.strip().startsWith("[") && Keys.SECTIONS.contains(name) ? "[" + name + "]" : "";
    }

    private static String joined(List<Integer> lines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            b.append(i == 0 ? "" : i == lines.size() - 1 ? " and " : ", ").append(lines.get(i));
        }
        return b.toString();
    }

    /** Line numbers of section headers ("[name]") and keys ("section\0key"), as ini4j reads them. */
    private static Map<String, List<Integer>> lineIndex(String text) {
        Map<String, List<Integer>> index = new HashMap<>();
        String section = config().getGlobalSectionName();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[") && l.endsWith("]")) {
                section = l.substring(1, l.length() - 1).strip();
                index.computeIfAbsent("[" + section + "]", k -> new ArrayList<>()).add(i + 1);
                continue;
            }
            int eq = firstOperator(l);
            String key = (eq < 0 ? l : l.substring(0, eq)).strip();
            index.computeIfAbsent(section + "\0" + key, k -> new ArrayList<>()).add(i + 1);
        }
        return index;
    }

    private static int firstOperator(String l) {
        int eq = l.indexOf('=');
        int colon = l.indexOf(':');
        return eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    }

    /**
     * Sets one value and keeps everything else (comments, unknown keys and sections); creates the file
     * (and its folder, mode 0700) when it is missing.
     */
    public static void set(Path file, Key key, String value) throws IOException {
        setAll(file, Map.of(key, value));
    }

    /**
     * Sets values in one atomic write. Comments, unknown keys and sections are kept; a missing file
     * is created with a comment above each key saying what it does.
     */
    public static void setAll(Path file, Map<Key, String> values) throws IOException {
        Ini ini = new Ini();
        ini.setConfig(config());
        boolean fresh = !Files.exists(file);
        if (!fresh) {
            Parsed parsed = read(file);
            for (Problem p : parsed.problems()) {
                if (p.key().equals("syntax") || p.key().equals("encoding")) {
                    throw new IOException("cannot change " + file + ": " + p.where() + " is not valid "
                            + (p.key().equals("syntax") ? "INI" : "UTF-8 text")
                            + "; fix that line first (dbrescue config validate shows it).");
                }
            }
            ini.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } else {
            ini.setComment(" dbrescue settings. Every key: docs/configuration.md. Change a value with\n"
                    + " dbrescue config set KEY VALUE; check the file with dbrescue config validate.");
        }
        for (Map.Entry<Key, String> e : values.entrySet()) {
            Key key = e.getKey();
            Profile.Section s = ini.containsKey(key.section()) ? ini.get(key.section()) : ini.add(key.section());
            boolean added = !s.containsKey(key.name());
            // put replaces the last value in place, keeping its comment; earlier duplicates go.
            s.put(key.name(), e.getValue());
            while (s.length(key.name()) > 1) {
                s.remove(key.name(), 0);
            }
            if (added && fresh) {
                s.putComment(key.name(), " " + key.description() + " Allowed: " + key.allowed()
                        + ". Default: " + (key.defaultValue().isEmpty() ? "(empty)" : key.defaultValue()) + ".");
            }
        }
        StringWriter out = new StringWriter();
        ini.store(out);
        writeAtomically(file, out.toString());
    }

    /** Writes the whole file: a temporary file (mode 0600) in the same folder, flushed, then moved over it. */
    public static void writeAtomically(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 Writer w = java.nio.channels.Channels.newWriter(ch, StandardCharsets.UTF_8)) {
                w.write(content);
                w.flush();
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            if (e instanceof AccessDeniedException) {
                throw new AccessDeniedException(file.toString(), null, "cannot write " + file
                        + ": permission denied. Check the owner of " + dir + ".");
            }
            throw e;
        }
    }
}
