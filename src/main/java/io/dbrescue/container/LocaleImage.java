package io.dbrescue.container;

import io.dbrescue.plan.PlanContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The locales an old server in a container needs, provided by a derived image: the configured image plus, in one
 * layer, exactly the C library locales the old cluster's databases use that the image lacks. A server opens a
 * database only when its locale (LC_COLLATE / LC_CTYPE) exists ("database locale is incompatible with operating
 * system" otherwise); the official postgres images have en_US.utf8 and C.utf8 only, a minimal one none at all.
 *
 * <p>Each missing locale is made the best way there is, in this order: by the image's own localedef from its
 * own sources; by its localedef from this machine's sources (mounted read-only for the build); or — when the
 * image has no localedef but the same glibc version as this machine — compiled here and copied in (compiled
 * locale files are tied to the glibc version that reads them). When none works, the pre-flight fails with
 * the fix before anything is copied. The derived image is named by the configured image and the locales
 * ({@link #tag}); it is kept in Podman's storage and used again while the configured image's id (a label on the
 * derived image) is the same. Why a derived image and not the host's locales mounted into the container: it
 * works for any image whose glibc differs from this machine's (the official images run other Debian
 * releases), every later {@code podman run} of the run (pg_upgrade's several) simply names it, and building it
 * costs ~1 s (copied in) to ~5 s (localedef in the image) once.
 */
public final class LocaleImage {
    /** The label on a derived image: the id of the image it was made from. */
    public static final String BASE_LABEL = "io.dbrescue.locales.base";
    /** The label on a derived image: the locales added. */
    public static final String LOCALES_LABEL = "io.dbrescue.locales";
    /** Where this machine's locale sources are mounted while an image's localedef uses them. */
    static final String HOST_SOURCES_IN_BUILD = "/dbrescue-i18n";
    static final String HOST_SOURCES = "/usr/share/i18n";

    private LocaleImage() {
    }

    /** How one locale gets into the image. */
    public enum How {
        /** the image has it */
        PRESENT,
        /** the image's C library is musl: any name is accepted */
        ANY_NAME,
        /** localedef in the image, its own sources */
        IN_IMAGE,
        /** localedef in the image, this machine's sources mounted for the build */
        IN_IMAGE_HOST_SOURCES,
        /** compiled here (same glibc version), copied into the image */
        HOST_COMPILED,
        /** cannot be had */
        IMPOSSIBLE
    }

    /** One locale a server needs and how it gets it. */
    public record Item(String name, LocaleName locale, How how, String why) {
        boolean built() {
            return how == How.IN_IMAGE || how == How.IN_IMAGE_HOST_SOURCES || how == How.HOST_COMPILED;
        }
    }

    /**
     * What the image needs: the image to run (the configured one, or the derived {@code tag}), the items, and
     * the facts it was decided on (null when the image could not be asked).
     */
    public record Decision(String base, String tag, List<Item> items, ImageFacts facts) {
        /** Whether a derived image is made (or, when the image could not be asked yet, may be). */
        public boolean needsStep() {
            return facts == null ? !items.isEmpty() : items.stream().anyMatch(Item::built);
        }

        /** The image the server runs in. */
        public String image() {
            return needsStep() ? tag : base;
        }

        public List<Item> impossible() {
            return items.stream().filter(i -> i.how() == How.IMPOSSIBLE).toList();
        }

        public List<Item> built() {
            return items.stream().filter(Item::built).toList();
        }
    }

    /**
     * Decides, for each wanted locale (name to the database encoding it goes with), how the image gets it.
     * C and POSIX need nothing. {@code image} null: not known yet (every other locale is then to be checked
     * when the step runs).
     */
    public static Decision decide(String base, ImageFacts image, ImageFacts host, Map<String, String> wanted) {
        List<Item> items = new ArrayList<>();
        for (Map.Entry<String, String> w : new TreeMap<>(wanted).entrySet()) {
            String name = w.getKey();
            if (LocaleName.builtIn(name)) {
                continue;
            }
            LocaleName l = LocaleName.parse(name, w.getValue());
            items.add(image == null ? new Item(name, l, How.IMPOSSIBLE, "unknown") : item(name, l, image, host));
        }
        List<String> names = items.stream().map(Item::name).toList();
        return new Decision(base, tag(base, names), List.copyOf(items), image);
    }

    private static Item item(String name, LocaleName l, ImageFacts image, ImageFacts host) {
        if (image.musl()) {
            return new Item(name, l, How.ANY_NAME, "musl accepts every locale name");
        }
        if (image.has(name)) {
            return new Item(name, l, How.PRESENT, "in the image");
        }
        if (l == null) {
            return new Item(name, null, How.IMPOSSIBLE, name + " is not a locale name the C library knows");
        }
        if (image.localedef() && image.hasSources(l)) {
            return new Item(name, l, How.IN_IMAGE, "localedef in the image");
        }
        boolean hostSources = host != null && host.hasSources(l);
        if (image.localedef() && hostSources) {
            return new Item(name, l, How.IN_IMAGE_HOST_SOURCES, "localedef in the image, with this machine's locale sources");
        }
        String same = image.glibcVersion();
        if (hostSources && host.localedef() && same != null && same.equals(host.glibcVersion())) {
            return new Item(name, l, How.HOST_COMPILED, "compiled here and copied in: the same glibc " + same);
        }
        String why = (image.localedef() ? "the image has localedef but no source for it" : "the image has no localedef")
                + (hostSources ? ", and its glibc (" + (same == null ? "unknown" : same) + ") is not this machine's ("
                + host.glibcVersion() + ") for a copy" : ", and this machine has no locale source for it either");
        return new Item(name, l, How.IMPOSSIBLE, why);
    }

    /**
     * The derived image's name: the configured image's name with the locales' digest, in dbrescue's own
     * repository (localhost/dbrescue-locales/postgres:16-1a2b3c4d5e6f).
     */
    public static String tag(String base, List<String> names) {
        String last = base.substring(base.lastIndexOf('/') + 1);
        int colon = last.lastIndexOf(':');
        String repo = (colon < 0 ? last : last.substring(0, colon)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        String version = colon < 0 ? "latest" : last.substring(colon + 1).replaceAll("[^A-Za-z0-9_.-]", "-");
        String key = base + "\n" + names.stream().map(LocaleName::normalize).sorted().collect(Collectors.joining(" "));
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        repo = repo.isEmpty() ? "image" : repo;
        version = version.length() > 100 ? version.substring(0, 100) : version;
        return "localhost/dbrescue-locales/" + repo + ":" + version + "-" + digest;
    }

    /**
     * The pre-flight check of an image's locales (pass, warn when the image cannot be asked, fail with the fix
     * when a locale cannot be had) and the decision the plan goes on with.
     *
     * @param what "PostgreSQL 16 server", for the messages
     */
    public static Decision check(PlanContext ctx, String image, Map<String, String> wanted, String what) {
        boolean here = Podman.imageExists(image);
        ImageFacts facts = here ? ImageFacts.of(image, ctx.runId()) : null;
        Decision d = decide(image, facts, facts == null ? null : ImageFacts.host(), wanted);
        String names = d.items().stream().map(Item::name).collect(Collectors.joining(", "));
        if (d.items().isEmpty()) {
            ctx.pass("locales", "The old databases use the C locale only: the image " + image + " needs no locale files.");
        } else if (!here) {
            ctx.warn("locales", "The old databases use the locale(s) " + names + "; the image " + image + " is not here "
                    + "yet, so whether it has them is checked once it is — before anything is copied.", "Nothing to do.");
        } else if (facts == null) {
            ctx.warn("locales", "The old databases use the locale(s) " + names + "; dbrescue could not look inside the "
                    + "image " + image + " (it has no /bin/sh) to see whether it has them.", "If one is missing, the old "
                    + "server says so within seconds of its start, and the run stops there with the fix.");
        } else if (!d.impossible().isEmpty()) {
            ctx.fail("locales", "The old databases use the locale(s) " + names + "; the image " + image + " (" + what
                    + ") lacks " + d.impossible().stream().map(i -> i.name() + " (" + i.why() + ")")
                    .collect(Collectors.joining(", ")) + ", and a database whose locale is missing cannot be opened.",
                    fix(image, d.impossible()));
        } else if (d.needsStep()) {
            ctx.pass("locales", "The old databases use the locale(s) " + names + "; the image " + image + " lacks "
                    + d.built().stream().map(i -> i.name() + " (" + i.why() + ")").collect(Collectors.joining(", "))
                    + ": dbrescue makes the image " + d.tag() + " with them (kept for later runs; remove it with "
                    + "podman rmi " + d.tag() + ").");
        } else {
            ctx.pass("locales", "The image " + image + " has the locale(s) the old databases use: " + names
                    + (facts.musl() ? " (its C library, musl, accepts any locale name)" : "") + ".");
        }
        return d;
    }

    /** What to do when a locale cannot be had for an image. */
    static String fix(String image, List<Item> missing) {
        Item first = missing.get(0);
        String localedef = first.locale() == null ? "RUN localedef -i LANG_COUNTRY -f UTF-8 LANG_COUNTRY.UTF-8"
                : "RUN localedef " + String.join(" ", first.locale().localedefArgs(null));
        return "Install the locale sources on this machine (Debian/Ubuntu: sudo apt install locales; Fedora: sudo dnf "
                + "install glibc-locale-source; Arch: glibc has them) when the image has localedef or this machine's "
                + "glibc; or make an image that has the locales — a Containerfile with FROM " + image + " and "
                + localedef + " — and name it in the settings (images.postgresql). Then run again; nothing was changed.";
    }

    /** The {@code container-locales} step: make the derived image (when the run gets there). */
    public static void planStep(PlanContext ctx, Decision d, Map<String, String> wanted, String what) {
        if (!d.needsStep()) {
            return;
        }
        String adds = d.facts() == null ? "the locales it lacks of " + String.join(", ", d.items().stream().map(Item::name)
                .toList()) : d.built().stream().map(i -> i.name() + " (" + i.why() + ")").collect(Collectors.joining(", "));
        List<String> argv = LocaleBuild.buildArgv(d.tag(), Podman.command(), io.dbrescue.run.Journal.runsDir()
                .resolve(ctx.runId()).resolve(LocaleBuild.contextName(d.tag())).toString(), d.built().stream()
                .anyMatch(i -> i.how() == How.IN_IMAGE_HOST_SOURCES));
        ctx.step(new LocaleBuild.ContainerLocales(argv, d.base(), d.tag(), new java.util.LinkedHashMap<>(wanted),
                        String.join("\n", LocaleBuild.containerfile(d.base(), "ID", d.built()))),
                        "Make the image " + d.tag() + ": " + d.base() + " (" + what + ") with " + adds)
                .reads("the image " + d.base() + (d.built().stream().anyMatch(i -> i.how() != How.IN_IMAGE)
                        ? " and this machine's locale sources (" + HOST_SOURCES + ")" : ""))
                .writes("the image " + d.tag() + " in Podman's storage (kept for later runs)").add();
    }
}
