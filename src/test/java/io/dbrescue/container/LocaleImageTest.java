package io.dbrescue.container;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which locale an image gets how — decided from what the probe script reports (its real output format, written
 * here as the images on this machine answered it) — the derived image's name and its Containerfile.
 */
class LocaleImageTest {
    /** zonky's binaries on this machine's glibc copied in: no localedef, no sources, no compiled locales. */
    static final ImageFacts ZONKY = ImageFacts.parse(String.join("\n",
            "libc=GNU C Library (Debian GLIBC 2.36-9+deb12u14) stable release version 2.36.",
            "sources=", "charmaps=", "locales=", "icu=/usr/lib/postgresql/16/lib/libicuuc.so.60", "end=1"));
    /** Debian sid with postgresql-18: localedef and every source, only C.utf8 compiled. */
    static final ImageFacts SID = ImageFacts.parse(String.join("\n",
            "libc=GNU C Library (Debian GLIBC 2.43-7) stable release version 2.43.", "localedef=/usr/bin/localedef",
            "sources= C POSIX de_DE en_US sr_RS@latin", "charmaps= UTF-8 ISO-8859-1 ISO-8859-15", "locales= C C.utf8 POSIX",
            "icu=/usr/lib/x86_64-linux-gnu/libicuuc.so.78", "end=1"));
    /** A slim image: localedef, no sources, a different glibc. */
    static final ImageFacts SLIM = ImageFacts.parse(String.join("\n",
            "libc=GNU C Library (Debian GLIBC 2.41-12) stable release version 2.41.", "localedef=/usr/bin/localedef",
            "sources=", "charmaps=", "locales= C C.utf8 POSIX en_US.utf8", "end=1"));
    /** This machine: Debian 12 with the locales package and two locales made. */
    static final ImageFacts HOST = ImageFacts.parse(String.join("\n",
            "libc=GNU C Library (Debian GLIBC 2.36-9+deb12u14) stable release version 2.36.", "localedef=/usr/bin/localedef",
            "sources= C POSIX de_DE en_US", "charmaps= UTF-8 ISO-8859-1", "locales= C C.utf8 POSIX de_DE.utf8 en_US.utf8",
            "icu=/usr/lib/x86_64-linux-gnu/libicuuc.so.72", "end=1"));

    static Map<String, String> wanted(String... names) {
        Map<String, String> m = new TreeMap<>();
        for (String n : names) {
            m.put(n, "UTF8");
        }
        return m;
    }

    @Test
    void theProbeOutputIsRead() {
        assertThat(ZONKY.glibcVersion()).isEqualTo("2.36");
        assertThat(ZONKY.localedef()).isFalse();
        assertThat(ZONKY.icu()).isTrue();
        assertThat(SID.has("C.UTF-8")).isTrue();
        assertThat(SID.has("de_DE.UTF-8")).isFalse();
        assertThat(HOST.has("de_DE.UTF-8")).isTrue();
        assertThat(SLIM.icu()).isFalse();
        assertThat(ImageFacts.parse("libc=x\nsources= a")).as("a probe cut short").isNull();
    }

    @Test
    void eachMissingLocaleIsMadeTheBestWayThereIs() {
        LocaleImage.Decision zonky = LocaleImage.decide("localhost/t/postgres:16", ZONKY, HOST,
                wanted("C", "C.UTF-8", "de_DE.UTF-8", "POSIX"));
        assertThat(zonky.items()).extracting(LocaleImage.Item::name).containsExactly("C.UTF-8", "de_DE.UTF-8");
        assertThat(zonky.items()).extracting(LocaleImage.Item::how)
                .containsOnly(LocaleImage.How.HOST_COMPILED);
        assertThat(zonky.needsStep()).isTrue();
        assertThat(zonky.image()).isEqualTo(zonky.tag()).startsWith("localhost/dbrescue-locales/postgres:16-");

        LocaleImage.Decision sid = LocaleImage.decide("localhost/t/postgres:18", SID, HOST,
                wanted("C.UTF-8", "de_DE.UTF-8", "en_US.utf8", "sr_RS.UTF-8@latin"));
        assertThat(sid.items()).extracting(LocaleImage.Item::how).containsExactly(LocaleImage.How.PRESENT,
                LocaleImage.How.IN_IMAGE, LocaleImage.How.IN_IMAGE, LocaleImage.How.IN_IMAGE);

        LocaleImage.Decision slim = LocaleImage.decide("docker.io/library/postgres:16", SLIM, HOST,
                wanted("en_US.UTF-8", "de_DE.UTF-8"));
        assertThat(slim.items()).extracting(LocaleImage.Item::how)
                .containsExactly(LocaleImage.How.IN_IMAGE_HOST_SOURCES, LocaleImage.How.PRESENT);
    }

    @Test
    void aLocaleNobodyCanMakeIsImpossibleAndSaysWhy() {
        // the zonky image has no localedef; this machine has no source for it
        LocaleImage.Decision d = LocaleImage.decide("localhost/t/postgres:16", ZONKY, HOST, wanted("xx_XX.UTF-8"));
        assertThat(d.impossible()).hasSize(1);
        assertThat(d.impossible().get(0).why()).contains("the image has no localedef")
                .contains("this machine has no locale source for it");
        // a glibc other than this machine's: no copy of locales compiled here
        ImageFacts otherGlibc = ImageFacts.parse(String.join("\n", "libc=GNU C Library stable release version 2.31.",
                "sources=", "charmaps=", "locales=", "end=1"));
        LocaleImage.Decision d2 = LocaleImage.decide("img:1", otherGlibc, HOST, wanted("de_DE.UTF-8"));
        assertThat(d2.impossible()).extracting(LocaleImage.Item::why)
                .containsExactly("the image has no localedef, and its glibc (2.31) is not this machine's (2.36) for a copy");
        // not the shape of a glibc locale name (a Windows one): refused, never put into a command
        LocaleImage.Decision d3 = LocaleImage.decide("img:1", SID, HOST, wanted("English_United States.1252"));
        assertThat(d3.impossible()).hasSize(1);
        assertThat(LocaleImage.fix("img:1", d.impossible())).contains("sudo apt install locales")
                .contains("FROM img:1").contains("RUN localedef -i xx_XX -c -f UTF-8 xx_XX.UTF-8");
    }

    @Test
    void muslTakesAnyNameAndAnImageWithAllOfThemNeedsNoStep() {
        ImageFacts musl = ImageFacts.parse("musl=/lib/ld-musl-x86_64.so.1\nsources=\ncharmaps=\nlocales=\nend=1");
        LocaleImage.Decision d = LocaleImage.decide("postgres:16-alpine", musl, HOST, wanted("de_DE.UTF-8"));
        assertThat(d.items()).extracting(LocaleImage.Item::how).containsExactly(LocaleImage.How.ANY_NAME);
        assertThat(d.needsStep()).isFalse();
        assertThat(d.image()).isEqualTo("postgres:16-alpine");
        LocaleImage.Decision none = LocaleImage.decide("x:1", ZONKY, HOST, wanted("C", "POSIX"));
        assertThat(none.items()).isEmpty();
        assertThat(none.needsStep()).isFalse();
        // not asked yet (the image is to be pulled): the step decides when it runs
        LocaleImage.Decision unknown = LocaleImage.decide("x:1", null, HOST, wanted("de_DE.UTF-8"));
        assertThat(unknown.needsStep()).isTrue();
    }

    @Test
    void theDerivedImageIsNamedByTheImageAndTheLocalesWhateverTheirSpelling() {
        String a = LocaleImage.tag("docker.io/library/postgres:16", List.of("de_DE.UTF-8", "en_US.UTF-8"));
        String b = LocaleImage.tag("docker.io/library/postgres:16", List.of("en_US.utf8", "de_DE.utf8"));
        assertThat(a).isEqualTo(b).matches("localhost/dbrescue-locales/postgres:16-[0-9a-f]{12}");
        assertThat(LocaleImage.tag("docker.io/library/postgres:17", List.of("de_DE.UTF-8"))).isNotEqualTo(
                LocaleImage.tag("docker.io/library/postgres:16", List.of("de_DE.UTF-8")));
        assertThat(LocaleImage.tag("registry.example/Team/PG", List.of("C.UTF-8"))).startsWith("localhost/dbrescue-locales/pg:latest-");
    }

    @Test
    void theContainerfileRunsLocaledefWithoutAShellAndLabelsTheImage() {
        LocaleImage.Decision sid = LocaleImage.decide("localhost/t/postgres:18", SID, HOST, wanted("de_DE.UTF-8"));
        assertThat(LocaleBuild.containerfile("localhost/t/postgres:18", "abc123", sid.built())).containsExactly(
                "FROM localhost/t/postgres:18", "USER 0",
                "RUN [\"localedef\", \"-i\", \"de_DE\", \"-c\", \"-f\", \"UTF-8\", \"de_DE.UTF-8\"]",
                "LABEL \"io.dbrescue.locales.base\"=\"abc123\" \"io.dbrescue.locales\"=\"de_DE.UTF-8\"");
        LocaleImage.Decision zonky = LocaleImage.decide("localhost/t/postgres:16", ZONKY, HOST, wanted("C.UTF-8"));
        assertThat(LocaleBuild.containerfile("localhost/t/postgres:16", "id", zonky.built()))
                .contains("COPY locales/ /usr/lib/locale/").noneMatch(l -> l.startsWith("RUN"));
        LocaleImage.Decision slim = LocaleImage.decide("p:16", SLIM, HOST, wanted("de_DE.UTF-8"));
        assertThat(LocaleBuild.containerfile("p:16", "id", slim.built())).contains("ENV I18NPATH=/dbrescue-i18n");
        assertThat(LocaleBuild.buildArgv("t:1", "podman", "/ctx", true)).containsSequence("-v",
                "/usr/share/i18n:/dbrescue-i18n:ro").contains("--network=none", "--pull=never");
    }
}
