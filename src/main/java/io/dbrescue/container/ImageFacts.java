package io.dbrescue.container;

import io.dbrescue.run.Exec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a container image (or this machine) has for locales: its C library (glibc and its version, or musl),
 * the compiled locales, whether {@code localedef} and the locale sources are there, and whether an ICU library
 * is. Learnt by one fixed script run by the image's /bin/sh in a throwaway container ({@code podman run --rm
 * --network=none}; no user string goes into it) — the same script run here describes this machine. An image
 * is asked once per run of the program (by its id).
 *
 * @param libc        "glibc 2.36", "musl", or null when unknown
 * @param localedef   localedef is there
 * @param sources     the locale source files (de_DE, C...) in /usr/share/i18n/locales
 * @param charmaps    the character maps in /usr/share/i18n/charmaps (UTF-8...), without ".gz"
 * @param locales     the compiled locales, normalized (de_DE.utf8, C.utf8)
 * @param icu         an ICU library was found
 */
public record ImageFacts(String libc, boolean localedef, Set<String> sources, Set<String> charmaps, Set<String> locales,
                         boolean icu) {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFacts.class);
    private static final Map<String, ImageFacts> BY_IMAGE_ID = new ConcurrentHashMap<>();
    private static ImageFacts host;
    private static final Pattern GLIBC = Pattern.compile("release version (\\d+\\.\\d+)");

    /** The probe: POSIX sh with builtins only where the image may have nothing else (no ls, no head). */
    static final String SCRIPT = String.join("\n",
            "for l in /lib/x86_64-linux-gnu/libc.so.6 /usr/lib/x86_64-linux-gnu/libc.so.6 /lib/aarch64-linux-gnu/libc.so.6 "
                    + "/usr/lib/aarch64-linux-gnu/libc.so.6 /lib64/libc.so.6 /usr/lib64/libc.so.6 /usr/lib/libc.so.6 "
                    + "/lib/libc.so.6; do",
            "  if [ -x \"$l\" ]; then \"$l\" 2>/dev/null | { read -r first; echo \"libc=$first\"; }; break; fi",
            "done",
            "for m in /lib/ld-musl-*; do [ -e \"$m\" ] && echo \"musl=$m\"; done",
            "command -v localedef >/dev/null 2>&1 && echo \"localedef=$(command -v localedef)\"",
            // one line per list: the caller keeps only the last lines of a program's output
            "s=''; for f in /usr/share/i18n/locales/*; do [ -f \"$f\" ] && s=\"$s ${f##*/}\"; done; echo \"sources=$s\"",
            "s=''; for f in /usr/share/i18n/charmaps/*; do [ -f \"$f\" ] && { f=${f##*/}; s=\"$s ${f%.gz}\"; }; done; "
                    + "echo \"charmaps=$s\"",
            "s=''; if command -v locale >/dev/null 2>&1; then s=$(locale -a 2>/dev/null | while read -r n; do printf ' %s' \"$n\"; done)",
            "elif command -v localedef >/dev/null 2>&1; then",
            "  s=$(localedef --list-archive 2>/dev/null | while read -r n; do printf ' %s' \"$n\"; done)",
            "fi",
            "for d in /usr/lib/locale/*/LC_CTYPE; do [ -e \"$d\" ] && { d=${d%/LC_CTYPE}; s=\"$s ${d##*/}\"; }; done",
            "echo \"locales=$s\"",
            "for f in /usr/lib/*/libicuuc.so.* /usr/lib/libicuuc.so.* /usr/lib64/libicuuc.so.* "
                    + "/usr/lib/postgresql/*/lib/libicuuc.so.* /usr/local/lib/libicuuc.so.* /usr/local/pgsql/lib/libicuuc.so.*; do",
            "  [ -e \"$f\" ] && { echo \"icu=$f\"; break; }",
            "done",
            "echo end=1",
            "");

    /** glibc's major.minor ("2.36"), or null for musl or unknown. */
    public String glibcVersion() {
        return libc != null && libc.startsWith("glibc ") ? libc.substring("glibc ".length()) : null;
    }

    public boolean musl() {
        return "musl".equals(libc);
    }

    /** Whether a locale is compiled here ("de_DE.UTF-8" and "de_DE.utf8" count as one). */
    public boolean has(String locale) {
        return locales.contains(LocaleName.normalize(locale));
    }

    /** Whether the locale sources here hold this locale and its character map (localedef needs both). */
    public boolean hasSources(LocaleName l) {
        return sources.contains(l.source()) && charmaps.contains(l.charmap());
    }

    /** Reads the probe's output; null when it did not run to its end. */
    static ImageFacts parse(String out) {
        String libc = null;
        boolean localedef = false;
        boolean icu = false;
        boolean end = false;
        Set<String> sources = new LinkedHashSet<>();
        Set<String> charmaps = new LinkedHashSet<>();
        Set<String> locales = new LinkedHashSet<>();
        for (String line : out.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1).strip();
            switch (key) {
                case "libc" -> {
                    Matcher m = GLIBC.matcher(value);
                    libc = m.find() ? "glibc " + m.group(1) : libc;
                }
                case "musl" -> libc = "musl";
                case "localedef" -> localedef = !value.isEmpty();
                case "sources" -> sources.addAll(words(value));
                case "charmaps" -> charmaps.addAll(words(value));
                case "locales" -> words(value).forEach(w -> locales.add(LocaleName.normalize(w)));
                case "icu" -> icu = true;
                case "end" -> end = true;
                default -> { }
            }
        }
        return end ? new ImageFacts(libc, localedef, Set.copyOf(sources), Set.copyOf(charmaps), Set.copyOf(locales), icu)
                : null;
    }

    private static List<String> words(String line) {
        return java.util.Arrays.stream(line.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /**
     * Asks the image (which must be here), once per image id; null when it cannot be asked (no /bin/sh in it,
     * Podman failing) — then nothing is known about its locales.
     */
    public static ImageFacts of(String image, String runId) {
        String id = Podman.imageId(image);
        if (id == null) {
            return null;
        }
        ImageFacts known = BY_IMAGE_ID.get(id);
        if (known != null) {
            return known;
        }
        List<String> argv = new ArrayList<>(ContainerRun.of(image, runId).noNetwork()
                .command(List.of("/bin/sh", "-c", SCRIPT)).argv());
        ImageFacts facts = run(argv);
        if (facts != null) {
            BY_IMAGE_ID.put(id, facts);
        }
        return facts;
    }

    /** This machine's own locales (the same script through /bin/sh); null when it cannot be run. */
    public static synchronized ImageFacts host() {
        if (host == null) {
            host = run(List.of("/bin/sh", "-c", SCRIPT));
        }
        return host;
    }

    private static ImageFacts run(List<String> argv) {
        try {
            Exec.Result r = Exec.of(argv).probe().timeout(Duration.ofSeconds(60)).run(null);
            ImageFacts f = r.ok() ? parse(r.stdoutTail()) : null;
            if (f == null) {
                LOG.debug("locale probe {} gave nothing: exit {}, {}", argv.get(0), r.exitCode(), r.stderrTail());
            }
            return f;
        } catch (Exception e) {
            LOG.debug("locale probe failed", e);
            return null;
        }
    }
}
