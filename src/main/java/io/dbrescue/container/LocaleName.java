package io.dbrescue.container;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A C library locale name as a database records it ({@code de_DE.UTF-8}, {@code en_US.utf8}, {@code C.UTF-8},
 * {@code sr_RS.UTF-8@latin}, {@code de_DE}) and what {@code localedef} needs to make it: the source
 * ({@code -i de_DE}, {@code sr_RS@latin}) and the character map ({@code -f UTF-8}). Names come from the backup's
 * catalog, so only the shape glibc uses is accepted (letters, digits, '_', '.', '-', '@'): anything else is
 * {@link #parse refused} and never reaches a command or a Containerfile.
 *
 * @param name       as the database has it
 * @param source     the locale source file's name (language_TERRITORY, and @modifier when there is one)
 * @param charmap    the character map's name, e.g. UTF-8, ISO-8859-15
 * @param normalized the name as glibc finds it after normalizing the codeset (de_DE.utf8)
 */
public record LocaleName(String name, String source, String charmap, String normalized) {
    private static final Pattern SHAPE = Pattern.compile(
            "([A-Za-z][A-Za-z0-9]{0,7}(?:_[A-Za-z0-9]{2,3})?)(?:\\.([A-Za-z0-9][A-Za-z0-9_-]{0,19}))?(?:@([A-Za-z0-9]{1,20}))?");
    /** PostgreSQL's server encodings to the character map a locale without a codeset uses with them. */
    private static final Map<String, String> CHARMAP_OF_ENCODING = Map.ofEntries(
            Map.entry("UTF8", "UTF-8"), Map.entry("LATIN1", "ISO-8859-1"), Map.entry("LATIN2", "ISO-8859-2"),
            Map.entry("LATIN3", "ISO-8859-3"), Map.entry("LATIN4", "ISO-8859-4"), Map.entry("LATIN5", "ISO-8859-9"),
            Map.entry("LATIN6", "ISO-8859-10"), Map.entry("LATIN7", "ISO-8859-13"), Map.entry("LATIN8", "ISO-8859-14"),
            Map.entry("LATIN9", "ISO-8859-15"), Map.entry("LATIN10", "ISO-8859-16"), Map.entry("ISO_8859_5", "ISO-8859-5"),
            Map.entry("ISO_8859_6", "ISO-8859-6"), Map.entry("ISO_8859_7", "ISO-8859-7"), Map.entry("ISO_8859_8", "ISO-8859-8"),
            Map.entry("KOI8R", "KOI8-R"), Map.entry("KOI8U", "KOI8-U"), Map.entry("EUC_JP", "EUC-JP"),
            Map.entry("EUC_KR", "EUC-KR"), Map.entry("EUC_TW", "EUC-TW"), Map.entry("EUC_CN", "GB2312"),
            Map.entry("GB18030", "GB18030"), Map.entry("WIN1250", "CP1250"), Map.entry("WIN1251", "CP1251"),
            Map.entry("WIN1252", "CP1252"), Map.entry("WIN1255", "CP1255"), Map.entry("WIN1256", "CP1256"));
    /** Codesets as glibc normalizes them (lower case, letters and digits) to their character map's name. */
    private static final Map<String, String> CHARMAP_OF_CODESET = Map.ofEntries(
            Map.entry("utf8", "UTF-8"), Map.entry("iso88591", "ISO-8859-1"), Map.entry("iso88592", "ISO-8859-2"),
            Map.entry("iso88593", "ISO-8859-3"), Map.entry("iso88594", "ISO-8859-4"), Map.entry("iso88595", "ISO-8859-5"),
            Map.entry("iso88596", "ISO-8859-6"), Map.entry("iso88597", "ISO-8859-7"), Map.entry("iso88598", "ISO-8859-8"),
            Map.entry("iso88599", "ISO-8859-9"), Map.entry("iso885910", "ISO-8859-10"), Map.entry("iso885913", "ISO-8859-13"),
            Map.entry("iso885914", "ISO-8859-14"), Map.entry("iso885915", "ISO-8859-15"), Map.entry("iso885916", "ISO-8859-16"),
            Map.entry("koi8r", "KOI8-R"), Map.entry("koi8u", "KOI8-U"), Map.entry("eucjp", "EUC-JP"),
            Map.entry("euckr", "EUC-KR"), Map.entry("euctw", "EUC-TW"), Map.entry("gb2312", "GB2312"),
            Map.entry("gbk", "GBK"), Map.entry("gb18030", "GB18030"), Map.entry("big5", "BIG5"),
            Map.entry("big5hkscs", "BIG5-HKSCS"), Map.entry("cp1251", "CP1251"), Map.entry("cp1255", "CP1255"),
            Map.entry("tis620", "TIS-620"), Map.entry("sjis", "SHIFT_JIS"));

    /** Whether a name needs no locale files at all: C and POSIX are built into every C library. */
    public static boolean builtIn(String name) {
        return name == null || name.isBlank() || name.equals("C") || name.equals("POSIX");
    }

    /**
     * The localedef inputs of a name, or null when the name has not the shape of a glibc locale or its
     * character map is not known.
     *
     * @param encoding the database's encoding (PostgreSQL's name, UTF8, LATIN1...): the character map of a name
     *                 without a codeset ("de_DE"); may be null
     */
    public static LocaleName parse(String name, String encoding) {
        if (name == null) {
            return null;
        }
        Matcher m = SHAPE.matcher(name);
        if (!m.matches()) {
            return null;
        }
        String base = m.group(1);
        String codeset = m.group(2);
        String modifier = m.group(3);
        String charmap;
        if (codeset != null) {
            charmap = CHARMAP_OF_CODESET.get(normalizeCodeset(codeset));
        } else {
            charmap = encoding == null ? null : CHARMAP_OF_ENCODING.get(encoding.toUpperCase(Locale.ROOT));
        }
        if (charmap == null) {
            return null;
        }
        String source = modifier == null ? base : base + "@" + modifier;
        String normalized = base + (codeset == null ? "" : "." + normalizeCodeset(codeset))
                + (modifier == null ? "" : "@" + modifier);
        return new LocaleName(name, source, charmap, normalized);
    }

    /** glibc's _nl_normalize_codeset: letters lower-cased, digits kept, the rest dropped; "iso" before all digits. */
    public static String normalizeCodeset(String codeset) {
        StringBuilder b = new StringBuilder();
        boolean letters = false;
        for (char c : codeset.toCharArray()) {
            if (Character.isLetter(c)) {
                b.append(Character.toLowerCase(c));
                letters = true;
            } else if (Character.isDigit(c)) {
                b.append(c);
            }
        }
        return letters ? b.toString() : "iso" + b;
    }

    /** A locale name as glibc looks it up ("de_DE.UTF-8" and "de_DE.utf8" are one locale). */
    public static String normalize(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return name;
        }
        int at = name.indexOf('@', dot);
        String codeset = at < 0 ? name.substring(dot + 1) : name.substring(dot + 1, at);
        return name.substring(0, dot) + "." + normalizeCodeset(codeset) + (at < 0 ? "" : name.substring(at));
    }

    /** localedef's arguments: make this locale (into the archive, or into a folder when {@code into} is a path). */
    public java.util.List<String> localedefArgs(String into) {
        // -c: write it even when the source has warnings (Debian's locale-gen does the same)
        return java.util.List.of("-i", source, "-c", "-f", charmap, into == null ? name : into);
    }
}
